"""Consumer lag per group and partition between two collections two hours apart: trends and rates."""

from __future__ import annotations

import pytest

from kafkapilot.diff.changes import compare_states
from kafkapilot.diff.lag import trend
from kafkapilot.diff.state import ClusterState, OffsetState


def test_every_trend_and_its_rate_per_hour(states: tuple[ClusterState, ClusterState]) -> None:
    changes = compare_states(*states)
    assert changes.hours == 2.0
    groups = changes.consumer_groups
    assert groups is not None
    found = {(c.topic, c.partition): (c.trend, c.rate_per_hour) for c in groups.partitions}
    assert found == {
        ("orders", 0): ("stalled", 100.0),  # offset 1200 both times, lag 100 → 300
        ("orders", 1): ("catching_up", -150.0),  # lag 500 → 200
        ("orders", 2): ("falling_behind", 100.0),  # offset 1000 → 1300, lag 100 → 300
        ("orders", 3): ("steady", 0.0),
        ("orders", 4): ("reset", 250.0),  # offset 1000 → 500
        ("orders", 5): ("unknown", None),  # no committed offset: the tool printed '-'
    }
    assert groups.added == ("fresh",)
    assert groups.removed == ("retired",)


@pytest.mark.parametrize(("old", "new", "expected"), [
    (OffsetState(10, 20, 10), OffsetState(10, 30, 20), "stalled"),
    (OffsetState(10, 20, 10), OffsetState(15, 30, 15), "falling_behind"),
    (OffsetState(10, 20, 10), OffsetState(25, 30, 5), "catching_up"),
    (OffsetState(10, 20, 10), OffsetState(20, 30, 10), "steady"),
    (OffsetState(10, 20, 10), OffsetState(0, 20, 20), "reset"),
    (OffsetState(10, 20, None), OffsetState(10, 30, 20), "unknown"),
    (OffsetState(None, 20, 10), OffsetState(None, 30, 20), "unknown"),  # lag grew, but no offset to tell why
    (OffsetState(None, 20, 10), OffsetState(None, 30, 5), "catching_up"),
])
def test_trend_from_offsets_and_lags(old: OffsetState, new: OffsetState, expected: str) -> None:
    assert trend(old, new) == expected
