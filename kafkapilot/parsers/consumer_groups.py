"""``kafka-consumer-groups.sh --describe --all-groups`` (offsets) and ``… --state``.

Each group is printed as its own table after a blank line, header first::

    GROUP    TOPIC   PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID  HOST  CLIENT-ID
    billing  orders  0          1200            1250            50   consumer-1-… /10.0.0.12  consumer-1

``-`` marks a missing value (no committed offset, no member). Before a group's table the
tool may print ``Consumer group 'billing' has no active members.``, ``Warning: Consumer
group 'x' is rebalancing.`` (both on stderr, so present only when stderr was kept) or
``Error: Consumer group 'x' does not exist.``. ``--verbose`` adds ``LEADER-EPOCH``
(offsets) and ``GROUP-EPOCH``, ``TARGET-ASSIGNMENT-EPOCH`` (state); columns are found by
their header. The Scala tool (before 3.7) printed an Empty group's strategy as blanks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from kafkapilot.parsers._lines import content_lines, optional_int, reject_unrecognised
from kafkapilot.parsers.errors import ParseError

__all__ = [
    "GroupOffsets",
    "GroupState",
    "OffsetRow",
    "parse_consumer_groups",
    "parse_consumer_groups_state",
]

_MISSING: Final[str] = "-"
_STRATEGY: Final[str] = "ASSIGNMENT-STRATEGY"
_TOOL_MESSAGES: Final[tuple[str, ...]] = ("Error:", "Warning:", "Note:")
_NO_MEMBERS: Final[re.Pattern[str]] = re.compile(r"Consumer group '(.*)' has no active members")
_REBALANCING: Final[re.Pattern[str]] = re.compile(r"Consumer group '(.*)' is rebalancing")
_MISSING_GROUP: Final[re.Pattern[str]] = re.compile(r"Consumer group '(.*)' does not exist")
_STATE_ROW: Final[re.Pattern[str]] = re.compile(
    r"^(?P<group>\S+)\s+(?P<coordinator>\S*)\s+\((?P<id>[^)]*)\)\s+(?P<rest>\S.*)$"
)


@dataclass(frozen=True, slots=True)
class OffsetRow:
    """One row; None wherever the tool printed ``-``."""

    topic: str | None
    partition: int | None
    current_offset: int | None
    log_end_offset: int | None
    lag: int | None
    consumer_id: str | None
    host: str | None
    client_id: str | None
    leader_epoch: int | None = None


@dataclass(frozen=True, slots=True)
class GroupOffsets:
    """A group's offsets. ``has_active_members`` is False when the tool said so or when
    no row names a consumer."""

    group: str
    has_active_members: bool
    rows: tuple[OffsetRow, ...]
    rebalancing: bool = False
    exists: bool = True


@dataclass(frozen=True, slots=True)
class GroupState:
    """A ``--state`` row; ``coordinator`` is ``host:port``."""

    group: str
    coordinator_id: int | None
    assignment_strategy: str | None
    state: str
    members: int
    coordinator: str | None = None
    group_epoch: int | None = None
    target_assignment_epoch: int | None = None


@dataclass(slots=True)
class _Group:
    rows: list[OffsetRow] = field(default_factory=list)
    no_members: bool = False
    rebalancing: bool = False
    exists: bool = True


def parse_consumer_groups(text: str) -> tuple[GroupOffsets, ...]:
    """Groups in order of appearance.

    Raises ParseError when there is output but no table and no group message.
    """
    groups: dict[str, _Group] = {}
    columns: list[str] | None = None
    first_other: int | None = None
    for number, line in content_lines(text):
        if _message(line, groups):
            continue
        words = line.split()
        if words[0] == "GROUP" and "TOPIC" in words:
            columns = words
            continue
        if columns is None or line.startswith(_TOOL_MESSAGES):
            first_other = first_other or number
            continue
        values = dict(zip(columns, line.split(None, len(columns) - 1), strict=False))
        group = values.get("GROUP", "")
        groups.setdefault(group, _Group()).rows.append(_offset_row(values))
    reject_unrecognised(groups, first_other, "kafka-consumer-groups --describe output")
    return tuple(_offsets(name, group) for name, group in groups.items())


def parse_consumer_groups_state(text: str) -> tuple[GroupState, ...]:
    """Rows of ``--describe --all-groups --state`` in order.

    Raises ParseError when there is output but no header and no row.
    """
    states: list[GroupState] = []
    header: list[str] | None = None
    first_other: int | None = None
    for number, line in content_lines(text):
        if line.startswith("GROUP ") and "COORDINATOR" in line:
            header = line.replace("COORDINATOR (ID)", "COORDINATOR").split()
            continue
        match = _STATE_ROW.match(line.strip())
        if header is None or match is None:
            first_other = first_other or number
            continue
        states.append(_state_row(match, header[2:], number))
    reject_unrecognised(states or header, first_other, "kafka-consumer-groups --state output")
    return tuple(states)


def _message(line: str, groups: dict[str, _Group]) -> bool:
    """Record a group message line; True if the line was one."""
    for pattern in (_NO_MEMBERS, _REBALANCING, _MISSING_GROUP):
        match = pattern.search(line)
        if match is None:
            continue
        group = groups.setdefault(match.group(1), _Group())
        if pattern is _NO_MEMBERS:
            group.no_members = True
        elif pattern is _REBALANCING:
            group.rebalancing = True
        else:
            group.exists = False
        return True
    return False


def _value(values: dict[str, str], column: str) -> str | None:
    value = values.get(column)
    return None if value is None or value == _MISSING else value


def _offset_row(values: dict[str, str]) -> OffsetRow:
    return OffsetRow(
        topic=_value(values, "TOPIC"),
        partition=optional_int(values.get("PARTITION")),
        current_offset=optional_int(values.get("CURRENT-OFFSET")),
        log_end_offset=optional_int(values.get("LOG-END-OFFSET")),
        lag=optional_int(values.get("LAG")),
        consumer_id=_value(values, "CONSUMER-ID"),
        host=_value(values, "HOST"),
        client_id=_value(values, "CLIENT-ID"),
        leader_epoch=optional_int(values.get("LEADER-EPOCH")),
    )


def _offsets(name: str, group: _Group) -> GroupOffsets:
    active = not group.no_members and any(row.consumer_id for row in group.rows)
    return GroupOffsets(
        group=name,
        has_active_members=active,
        rows=tuple(group.rows),
        rebalancing=group.rebalancing,
        exists=group.exists,
    )


def _state_row(match: re.Match[str], columns: list[str], number: int) -> GroupState:
    """``columns``: the header after GROUP and COORDINATOR (ASSIGNMENT-STRATEGY, STATE, …).

    Before Kafka 3.7 (Scala tool) an Empty group's strategy printed as blanks, not ``-``.
    """
    cells = match.group("rest").split()
    if len(cells) == len(columns) - 1 and _STRATEGY in columns:
        cells.insert(columns.index(_STRATEGY), _MISSING)
    values = dict(zip(columns, cells, strict=False))
    members = optional_int(values.get("#MEMBERS"))
    if members is None or "STATE" not in values:
        raise ParseError("consumer group state row without state or member count", line=number)
    return GroupState(
        group=match.group("group"),
        coordinator_id=optional_int(match.group("id")),
        assignment_strategy=_value(values, _STRATEGY),
        state=values["STATE"],
        members=members,
        coordinator=match.group("coordinator") or None,
        group_epoch=optional_int(values.get("GROUP-EPOCH")),
        target_assignment_epoch=optional_int(values.get("TARGET-ASSIGNMENT-EPOCH")),
    )
