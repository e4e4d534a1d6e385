"""Every case of every check concludes as its file says (tests/fixtures/tasks/<task_id>/<case>.yaml).

fires.yaml fails (at the task's severity, or one its check declares), quiet.yaml passes, and any
other case file says what it expects (see tests/factory/cases.py for the format).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from tests.factory.cases import DEFAULTS, Case, SnapshotWriter, load_cases, mismatches

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tasks"
CATALOG = load_catalog(default_tasks_dir())
DETERMINISTIC = [t for t in CATALOG.tasks if not t.needs_llm]
CASES = load_cases(FIXTURES, DETERMINISTIC)


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> SnapshotWriter:
    return SnapshotWriter(tmp_path_factory.mktemp("cases"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case(case: Case, snapshots: SnapshotWriter) -> None:
    snapshot = snapshots.write(case.fixture, snapshots.workdir / case.task_id / case.name)
    options = EngineOptions(param_overrides={case.task_id: case.params} if case.params else {})
    (finding,) = analyse(snapshot, CATALOG, Selection(task_ids=(case.task_id,)), options).findings
    problems = mismatches(finding, case.expect)
    assert not problems, f"{case.path}: " + "; ".join(problems)


def test_every_deterministic_task_has_both_default_cases() -> None:
    found = {(c.task_id, c.name) for c in CASES}
    missing = [f"{t.id}/{n}.yaml" for t in DETERMINISTIC for n in DEFAULTS if (t.id, n) not in found]
    assert missing == []
