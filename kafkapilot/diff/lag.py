"""Consumer lag between two snapshots, per group and partition, with its rate per hour.

The trend of a partition, from its committed offset and its lag in OLD and NEW:

- catching up: the lag shrank;
- steady: the lag is the same;
- stalled: the lag grew and the committed offset did not move (nothing is consuming);
- falling behind: the lag grew although the committed offset advanced (consuming slower than producing);
- reset: the lag grew and the committed offset went back (offsets were reset);
- unknown: a lag or an offset is missing on one side (the tool printed `-`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kafkapilot.diff.state import OffsetState

__all__ = ["TRENDS", "GroupLag", "LagChange", "compare_lag"]

TRENDS: Final = ("stalled", "falling_behind", "reset", "catching_up", "steady", "unknown")
"""Every trend, the ones to act on first."""


@dataclass(frozen=True)
class LagChange:
    """One partition of one group on both sides."""

    group: str
    topic: str
    partition: int
    old: OffsetState
    new: OffsetState
    rate_per_hour: float | None  # lag change per hour; None without both lags or both collection times
    trend: str


@dataclass(frozen=True)
class GroupLag:
    """The groups of two sides: added, removed, and per partition of the groups on both."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    partitions: tuple[LagChange, ...]


def trend(old: OffsetState, new: OffsetState) -> str:
    """The trend of one partition (module docstring)."""
    if old.lag is None or new.lag is None:
        return "unknown"
    if new.lag < old.lag:
        return "catching_up"
    if new.lag == old.lag:
        return "steady"
    if old.current is None or new.current is None:
        return "unknown"
    if new.current == old.current:
        return "stalled"
    return "falling_behind" if new.current > old.current else "reset"


def compare_lag(
    old: dict[str, dict[tuple[str, int], OffsetState]],
    new: dict[str, dict[tuple[str, int], OffsetState]],
    hours: float | None,
) -> GroupLag:
    """Pair the groups' partitions; `hours` between the two collections gives the rates."""
    partitions = []
    for group in sorted(set(old) & set(new)):
        for key in sorted(set(old[group]) & set(new[group])):
            before, after = old[group][key], new[group][key]
            rate = None
            if hours and before.lag is not None and after.lag is not None:
                rate = round((after.lag - before.lag) / hours, 1)
            partitions.append(LagChange(group, key[0], key[1], before, after, rate, trend(before, after)))
    return GroupLag(added=tuple(sorted(set(new) - set(old))), removed=tuple(sorted(set(old) - set(new))),
                    partitions=tuple(partitions))
