"""Run one task on an inline fixture (the format of tests/fixtures/tasks/*/fires.yaml, as a dict)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.findings import Finding
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec

__all__ = ["CATALOG", "SERVER", "run_inline"]

CATALOG = load_catalog(default_tasks_dir())
SERVER = "server_properties"


def run_inline(task_id: str, fixture: dict[str, Any], tmp_path: Path) -> Finding:
    """The one finding of `task_id` on the snapshot the fixture describes."""
    snapshot = materialize(fixture_spec(fixture), tmp_path / "snapshot")
    report = analyse(snapshot, CATALOG, Selection(task_ids=(task_id,)), EngineOptions())
    (finding,) = report.findings
    return finding
