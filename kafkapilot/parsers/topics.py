"""``kafka-topics.sh --describe`` output, full or filtered.

A topic header line, then one line a partition, fields separated by tabs (⇥ here)::

    Topic: orders⇥TopicId: 9zb…⇥PartitionCount: 3⇥ReplicationFactor: 3⇥Configs: min.insync.replicas=2
    ⇥Topic: orders⇥Partition: 0⇥Leader: 1⇥Replicas: 1,2,3⇥Isr: 1,2,3⇥Elr: ⇥LastKnownElr:

``Elr``/``LastKnownElr`` appear from Kafka 3.9/4.0 (``N/A`` when the broker does not
report them), ``Adding Replicas``/``Removing Replicas`` during a reassignment, ``TopicId``
from 2.8, ``Offline`` and ``Observers`` only from Confluent Server. ``Leader: none`` (or
``-1``) means no leader. ``--under-replicated-partitions``, ``--under-min-isr-partitions``,
``--at-min-isr-partitions`` and ``--unavailable-partitions`` print partition lines only.
Kafka 0.x/1.x printed ``Topic:orders`` without the space.
"""

from __future__ import annotations

import json
import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, islice, repeat
from operator import add, gt, itemgetter
from typing import Final

from kafkapilot.parsers._lines import (
    int_list,
    is_noise,
    labelled_fields,
    optional_int,
    reject_unrecognised,
    split_lines,
)
from kafkapilot.parsers.errors import ParseError

__all__ = [
    "PartitionColumns",
    "PartitionState",
    "no_partitions",
    "TopicDescription",
    "parse_topic_configs",
    "parse_topics_describe",
]

_TOPIC_LABELS: Final[tuple[str, ...]] = (
    "Topic",
    "TopicId",
    "PartitionCount",
    "ReplicationFactor",
    "Configs",
    "MarkedForDeletion",
)
_PARTITION_LABELS: Final[tuple[str, ...]] = (
    "Topic",
    "Partition",
    "Leader",
    "Replicas",
    "Isr",
    "Elr",
    "LastKnownElr",
    "Adding Replicas",
    "Removing Replicas",
    "Offline",
    "Observers",
    "MarkedForDeletion",
)
#: Partition fields kept only for the rows that print them with a value (rare; the columns hold the rest).
_EXTRA_FIELDS: Final[dict[str, str]] = {
    "Elr": "elr",
    "LastKnownElr": "last_known_elr",
    "Adding Replicas": "adding_replicas",
    "Removing Replicas": "removing_replicas",
    "Offline": "offline",
    "Observers": "observers",
}
_DIGIT: Final[re.Pattern[str]] = re.compile(r"\d")
# The whole text at once, when every line is in the tools' tab-separated form (Kafka 3.x/4.x):
# a partition line whose extra columns (Elr, LastKnownElr) are empty, or a header line.
# Each pattern starts with the newline before its line (a literal the regex engine scans for fast).
_PARTITION_LINES: Final[re.Pattern[str]] = re.compile(
    r"\n[ \t]*Topic: ([^\t\n]+)\tPartition: (\d+)\tLeader: (-?\d+|none)\tReplicas: ([\d,]*)\tIsr: ([\d,]*)"
    r"(?:\t(?:Elr|LastKnownElr): (?:N/A)?)*[ \t]*(?=\n)"
)
_HEADER_LINES: Final[re.Pattern[str]] = re.compile(r"\n(Topic: [^\n]*\tPartitionCount: [^\n]*)(?=\n)")
_CONFIG_KEY: Final[re.Pattern[str]] = re.compile(r"^[A-Za-z][\w.\-]*=")
# The tools' own form of a partition line, read without splitting it into labelled fields: one
# regex match a line is what keeps 200,000 partitions fast. Any other form takes the general path.
_PARTITION_LINE: Final[re.Pattern[str]] = re.compile(
    r"[ \t]*Topic: ([^\t]+)\tPartition: (\d+)\tLeader: (-?\d+|none)\tReplicas: ([\d,]*)\tIsr: ([\d,]*)(\t.*)?"
)


@dataclass(frozen=True, slots=True)
class PartitionColumns:
    """Every partition line of one output, one array per field. Row i: `topics[topic_index[i]]`,
    `number[i]`, `leader[i]` (-1: none), replicas `replicas[replica_start[i]:replica_start[i + 1]]`,
    ISR `isr_ids(i)` (kept as printed, `1,2,3`: only the rows a check reads need it as numbers);
    `extras[i]` holds the other fields of the rows that
    print one with a value (ELR, reassignment, Confluent's offline and observers). The rows of a
    topic are contiguous, in printed order."""

    topics: tuple[str, ...]
    topic_index: array[int]
    number: array[int]
    leader: array[int]
    replica_start: array[int]
    replicas: array[int]
    isr: list[str]
    extras: dict[int, dict[str, tuple[int, ...]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.number)

    def isr_ids(self, row: int) -> list[int]:
        """The ISR of row `row`."""
        text = self.isr[row]
        return [int(i) for i in text.split(",")] if text else []

    def state(self, row: int) -> PartitionState:
        """Row `row` as a PartitionState."""
        leader = self.leader[row]
        return PartitionState(
            topic=self.topics[self.topic_index[row]],
            partition=self.number[row],
            leader=None if leader < 0 else leader,
            replicas=tuple(self.replicas[self.replica_start[row] : self.replica_start[row + 1]]),
            isr=tuple(self.isr_ids(row)),
            **self.extras.get(row, {}),
        )


@dataclass(frozen=True, slots=True)
class PartitionState:
    """One partition line. ``leader`` None when there is none; ``offline`` only from a
    printed ``Offline`` column (Confluent Server), else empty."""

    topic: str
    partition: int
    leader: int | None
    replicas: tuple[int, ...]
    isr: tuple[int, ...]
    elr: tuple[int, ...] = ()
    offline: tuple[int, ...] = ()
    last_known_elr: tuple[int, ...] = ()
    adding_replicas: tuple[int, ...] = ()
    removing_replicas: tuple[int, ...] = ()
    observers: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicDescription:
    """A topic; its partitions are rows `start` to `stop` of `columns` (shared by every topic of
    the output). ``from_header`` is False when no header line was printed (filtered describes):
    then ``partition_count`` counts the listed partitions and ``replication_factor`` is the
    largest replica list, and ``configs`` is empty."""

    name: str
    topic_id: str | None
    partition_count: int
    replication_factor: int
    configs: dict[str, str]
    columns: PartitionColumns
    start: int
    stop: int
    from_header: bool = True

    @property
    def partitions(self) -> tuple[PartitionState, ...]:
        """The partition rows as objects (for a few topics; facts read the columns)."""
        return tuple(self.columns.state(row) for row in range(self.start, self.stop))


@dataclass(slots=True)
class _Rows:
    """Columns being filled, line by line."""

    topics: dict[str, int] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    topic_index: list[int] = field(default_factory=list)
    number: list[int] = field(default_factory=list)
    leader: list[int] = field(default_factory=list)
    replicas: list[str] = field(default_factory=list)
    isr: list[str] = field(default_factory=list)
    extras: dict[int, dict[str, tuple[int, ...]]] = field(default_factory=dict)

    def topic(self, name: str) -> int:
        index = self.topics.get(name)
        if index is None:
            index = self.topics[name] = len(self.topics)
        return index

    def add(self, topic: str, number: int, leader: int, replicas: str, isr: str) -> None:
        self.topic_index.append(self.topic(topic))
        self.number.append(number)
        self.leader.append(leader)
        self.replicas.append(replicas)
        self.isr.append(isr)

    def add_fields(self, fields: dict[str, str], number: int) -> None:
        partition = optional_int(fields.get("Partition"))
        if partition is None:
            raise ParseError("partition line without a partition number", line=number)
        leader = optional_int(fields.get("Leader"))
        self.add(
            fields.get("Topic", ""),
            partition,
            leader if leader is not None and leader >= 0 else -1,
            ",".join(map(str, int_list(fields.get("Replicas", "")))),
            ",".join(map(str, int_list(fields.get("Isr", "")))),
        )
        self.add_extras(fields)

    def add_extras(self, fields: dict[str, str]) -> None:
        found = {name: int_list(fields[label]) for label, name in _EXTRA_FIELDS.items() if fields.get(label)}
        found = {name: ids for name, ids in found.items() if ids}
        if found:
            self.extras[len(self.number) - 1] = found


def parse_topics_describe(text: str) -> tuple[TopicDescription, ...]:
    """Topics in order of appearance, their partitions as shared columns.

    Raises ParseError when there is output but not one topic or partition line (e.g.
    ``Error while executing topic command : …``).
    """
    fast = _fast_rows(text)
    if fast is not None:
        return _descriptions(fast)
    rows = _Rows()
    first_other: int | None = None
    match_line = _PARTITION_LINE.fullmatch
    lines = split_lines(text) if "\r" in text or text.startswith("\ufeff") else text.split("\n")
    for number, raw in enumerate(lines, start=1):
        match = match_line(raw)
        if match:
            topic, partition, leader, replicas, isr, rest = match.groups()
            rows.add(topic, int(partition), -1 if leader == "none" else max(int(leader), -1), replicas, isr)
            if rest and _DIGIT.search(rest):
                rows.add_extras(labelled_fields(rest, _PARTITION_LABELS))
            continue
        line = raw.rstrip()
        if not line.strip() or is_noise(line):
            continue
        if "PartitionCount:" in line:
            fields = labelled_fields(line, _TOPIC_LABELS)
            name = fields.get("Topic", "")
            rows.topic(name)
            rows.headers[name] = fields
        elif "Partition:" in line and "Leader:" in line:
            rows.add_fields(labelled_fields(line, _PARTITION_LABELS), number)
        else:
            first_other = first_other or number
    reject_unrecognised(rows.topics, first_other, "kafka-topics --describe output")
    return _descriptions(rows)


def _fast_rows(text: str) -> _Rows | None:
    """The whole output read by two regexes (in C) when it is the tools' own form: every line a
    header or a tab-separated partition line without an extra value; None otherwise."""
    if "\r" in text or "Partition:" not in text:
        return None
    framed = "\n" + text + ("" if text.endswith("\n") else "\n")  # each line between two newlines
    found = _PARTITION_LINES.findall(framed)
    headers = _HEADER_LINES.findall(framed)
    lines = text.count("\n") + (not text.endswith("\n"))
    if len(found) + len(headers) != lines or len(found) != text.count("Partition:"):
        return None
    rows = _Rows()
    for header in headers:
        fields = labelled_fields(header, _TOPIC_LABELS)
        rows.topic(fields.get("Topic", ""))
        rows.headers[fields.get("Topic", "")] = fields
    topics = list(map(itemgetter(0), found))
    if not set(topics) <= rows.topics.keys():  # a partition line whose topic has no header
        for topic in topics:
            rows.topic(topic)
    # map and itemgetter run in C: 200,000 rows in a few list passes
    rows.topic_index = list(map(rows.topics.__getitem__, topics))
    rows.number = list(map(int, map(itemgetter(1), found)))
    leaders = list(map(itemgetter(2), found))
    rows.leader = list(map(int, leaders)) if "none" not in leaders else [-1 if x == "none" else int(x) for x in leaders]
    rows.replicas = list(map(itemgetter(3), found))
    rows.isr = list(map(itemgetter(4), found))
    return rows


def no_partitions() -> PartitionColumns:
    """Columns without a row (a filtered describe that listed nothing)."""
    return _columns(_Rows())


def parse_topic_configs(value: str) -> dict[str, str]:
    """``a=1,b=2`` of a ``Configs:`` field. Values holding commas (throttled replica lists
    ``0:1,1:2``) are kept whole: a piece without ``key=`` continues the previous value."""
    configs: dict[str, str] = {}
    last: str | None = None
    for piece in value.split(","):
        if _CONFIG_KEY.match(piece.strip()):
            key, _, val = piece.strip().partition("=")
            configs[key] = val
            last = key
        elif last is not None:
            configs[last] += "," + piece
    return configs


def _id_column(lists: list[str]) -> tuple[array[int], array[int]]:
    """('1,2,3', '2,3', '') → (starts [0, 3, 5, 5], ids [1, 2, 3, 2, 3])."""
    widths = map(add, map(str.count, lists, repeat(",")), map(bool, lists))  # commas + 1, 0 for ''
    starts = array("q", accumulate(widths, initial=0))
    joined = ",".join(filter(None, lists))
    if not joined:
        return starts, array("i")
    try:  # the ids as one JSON array: parsed in C, twice as fast as int() on each of 600,000 pieces
        ids = json.loads(f"[{joined}]")
    except ValueError:  # not plain numbers (a leading zero, an empty piece): int() says what it makes of them
        ids = map(int, joined.split(","))
    return starts, array("i", ids)


def _columns(rows: _Rows) -> PartitionColumns:
    index = rows.topic_index
    extras = rows.extras
    lists = (index, rows.number, rows.leader, rows.replicas, rows.isr)
    if any(map(gt, index, islice(index, 1, None))):  # a topic's lines interleaved with another's
        order = sorted(range(len(index)), key=index.__getitem__)
        position = {old: new for new, old in enumerate(order)}
        extras = {position[old]: value for old, value in extras.items()}
        lists = tuple([column[i] for i in order] for column in lists)
    replica_start, replicas = _id_column(lists[3])
    return PartitionColumns(
        topics=tuple(rows.topics),
        topic_index=array("i", lists[0]),
        number=array("i", lists[1]),
        leader=array("i", lists[2]),
        replica_start=replica_start,
        replicas=replicas,
        isr=list(lists[4]),
        extras=extras,
    )


def _descriptions(rows: _Rows) -> tuple[TopicDescription, ...]:
    columns = _columns(rows)
    index = columns.topic_index  # sorted: a topic's rows are contiguous, topics in order of first appearance
    result = []
    for name, topic in rows.topics.items():
        start = bisect_left(index, topic)
        if start < len(index) and index[start] == topic:
            stop = bisect_right(index, topic, start)
        else:  # a topic without a partition line
            start = stop = 0
        header = rows.headers.get(name)
        if header is None:
            widths = columns.replica_start
            derived_rf = max((widths[r + 1] - widths[r] for r in range(start, stop)), default=0)
            result.append(
                TopicDescription(name, None, stop - start, derived_rf, {}, columns, start, stop, from_header=False)
            )
            continue
        count = optional_int(header.get("PartitionCount"))
        rf = optional_int(header.get("ReplicationFactor"))
        if rf is None:
            widths = columns.replica_start
            rf = max((widths[r + 1] - widths[r] for r in range(start, stop)), default=0)
        result.append(
            TopicDescription(
                name=name,
                topic_id=header.get("TopicId") or None,
                partition_count=count if count is not None else stop - start,
                replication_factor=rf,
                configs=parse_topic_configs(header.get("Configs", "")),
                columns=columns,
                start=start,
                stop=stop,
            )
        )
    return tuple(result)
