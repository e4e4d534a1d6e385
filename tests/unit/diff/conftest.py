"""The snapshot pair of pair.py, written once per session, its states, and its diff (analysed once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import Catalog, default_tasks_dir, load_catalog
from kafkapilot.diff.build import Diff, build_diff
from kafkapilot.diff.state import ClusterState, cluster_state
from kafkapilot.engine import EngineOptions
from kafkapilot.facts import build_facts
from kafkapilot.report.render_json import render_json
from kafkapilot.snapshot.load import load_snapshot
from tests.unit.diff.pair import new_spec, old_spec, write


def state_of(path: Path) -> ClusterState:
    """The state a diff reads of the snapshot at `path`."""
    with load_snapshot(path) as snapshot:
        return cluster_state(build_facts(snapshot))


@pytest.fixture(scope="session")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("diff-pair")
    return write(old_spec(), root / "old"), write(new_spec(), root / "new")


@pytest.fixture(scope="session")
def states(pair: tuple[Path, Path]) -> tuple[ClusterState, ClusterState]:
    return state_of(pair[0]), state_of(pair[1])


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(default_tasks_dir())


@pytest.fixture(scope="session")
def diff(pair: tuple[Path, Path], catalog: Catalog) -> Diff:
    return build_diff(*pair, catalog)


@pytest.fixture(scope="session")
def reports(pair: tuple[Path, Path], catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The JSON reports of the pair, as `kafkapilot analyse -r json` writes them."""
    root = tmp_path_factory.mktemp("diff-reports")
    written = []
    for snapshot in pair:
        report = analyse(snapshot, catalog, Selection(), EngineOptions())
        path = root / f"{snapshot.name}.json"
        path.write_text(render_json(report), encoding="utf-8")
        written.append(path)
    return written[0], written[1]
