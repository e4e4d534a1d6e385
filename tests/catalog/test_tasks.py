"""Every check fires on its `fires` fixture and stays quiet on its `quiet` fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.findings import Finding, Status
from tests.factory.fixtures import build_fixture

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tasks"
CATALOG = load_catalog(default_tasks_dir())
DETERMINISTIC = [t.id for t in CATALOG.tasks if not t.needs_llm]


def _run(task_id: str, fixture: str, tmp_path: Path) -> Finding:
    snapshot = build_fixture(FIXTURES / task_id / f"{fixture}.yaml", tmp_path / fixture)
    report = analyse(snapshot, CATALOG, Selection(task_ids=(task_id,)), EngineOptions())
    (finding,) = report.findings
    return finding


@pytest.mark.parametrize("task_id", DETERMINISTIC)
def test_fires(task_id: str, tmp_path: Path) -> None:
    finding = _run(task_id, "fires", tmp_path)
    assert finding.status is Status.FAIL, f"{task_id} did not fire: {finding.status.value}: {finding.summary}"
    assert finding.evidence, "a failing finding carries evidence"
    assert all(e.message for e in finding.evidence)
    assert finding.remediation.strip()


@pytest.mark.parametrize("task_id", DETERMINISTIC)
def test_quiet(task_id: str, tmp_path: Path) -> None:
    finding = _run(task_id, "quiet", tmp_path)
    assert finding.status is Status.PASS, f"{task_id} is not quiet: {finding.status.value}: {finding.summary}"
