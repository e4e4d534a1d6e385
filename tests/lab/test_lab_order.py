"""The lab plugin runs the lab tests of all files grouped by the lab they declare (no lab comes up twice)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.lab.pytest_lab import pytest_collection_modifyitems


@dataclass
class _Item:
    """What the plugin reads of a collected test: its name, its closest `lab` marker, its fixtures."""

    name: str
    lab: tuple[str, ...] | None = None  # None: not a lab test; (): `lab` without arguments
    fixturenames: list[str] = field(default_factory=list)

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        return pytest.mark.lab(*self.lab).mark if name == "lab" and self.lab is not None else None


def test_lab_tests_run_grouped_by_their_lab_and_the_others_keep_their_places() -> None:
    items = [
        _Item("unit-1"),
        _Item("collect-planted-1", ("kraft", "planted")),
        _Item("collect-zookeeper", ("zookeeper", "healthy")),
        _Item("unit-2"),
        _Item("proof-zookeeper", ("zookeeper", "healthy")),
        _Item("proof-planted", ("kraft", "planted")),
        _Item("lab-fixture", (), ["lab_factory", "lab"]),
        _Item("down", (), ["lab_factory"]),
        _Item("lab-zookeeper", ("zookeeper", "healthy")),
        _Item("unit-3"),
    ]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [i.name for i in items] == [
        "unit-1", "collect-planted-1", "proof-planted", "unit-2", "collect-zookeeper", "proof-zookeeper",
        "lab-zookeeper", "lab-fixture", "down", "unit-3",
    ]
