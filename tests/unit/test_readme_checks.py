"""The checks the README shows under "Write a check" load, validate and decide as the README says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.findings import Status
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec

README = Path(__file__).resolve().parents[2] / "README.md"


def _examples() -> list[str]:
    section = README.read_text().split("## Write a check", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, flags=re.S)


def _run(example: str, fixture: dict, tmp_path: Path) -> tuple[Status, list[str]]:
    task = yaml.safe_load(example)
    tasks = tmp_path / "analysis_tasks"
    (tasks / task["category"]).mkdir(parents=True)
    (tasks / task["category"] / f"{task['id']}.yaml").write_text(example)
    catalog = load_catalog(tasks)
    snapshot = materialize(fixture_spec(fixture), tmp_path / "snapshot")
    (finding,) = analyse(snapshot, catalog, Selection(task_ids=(task["id"],)), EngineOptions()).findings
    return finding.status, [e.message for e in finding.evidence]


def test_the_readme_shows_two_checks() -> None:
    assert [yaml.safe_load(e)["id"] for e in _examples()] == ["io_threads_too_low", "rack_broker_count_unequal_example"]


@pytest.mark.parametrize(("threads", "expected"), [("8", Status.PASS), ("4", Status.FAIL)])
def test_the_io_threads_example_decides(threads: str, expected: Status, tmp_path: Path) -> None:
    fixture = {"base": "kraft3", "patches": [{"host": "kafka-2", "artifact": "server_properties",
                                              "append": f"num.io.threads={threads}\n"}]}
    status, _ = _run(_examples()[0], fixture, tmp_path)
    assert status == expected


def test_the_vars_example_decides_per_rack(tmp_path: Path) -> None:
    # kraft3: one broker per rack; kraft5: rack-a and rack-b hold two brokers each, rack-c one (5/3 each is none)
    assert _run(_examples()[1], {"base": "kraft3"}, tmp_path / "equal")[0] == Status.PASS
    status, messages = _run(_examples()[1], {"base": "kraft5"}, tmp_path / "unequal")
    assert status == Status.FAIL
    expected = [f"Rack rack-{r} holds {n} of the 5 racked brokers" for r, n in (("a", 2), ("b", 2), ("c", 1))]
    assert sorted(messages) == expected
