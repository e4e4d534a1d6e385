"""Partitions as columns: one array per field, rows made only when a check iterates them.

A cluster of 200,000 partitions holds them in a few flat arrays (a few MB) instead of 200,000
dicts; `topic.partitions`, `cluster.partitions` and the filtered lists (`cluster.under_replicated`
…) are :class:`Partitions` sequences over those columns, and iterating one yields
:class:`Partition` records. Derived facts read the columns directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from kafkapilot.facts.model.base import Record, fact
from kafkapilot.parsers.log_dirs import LargestReplicas, ReplicaSizes
from kafkapilot.parsers.topics import PartitionColumns

__all__ = ["Partition", "PartitionSize", "PartitionSizes", "Partitions"]


@dataclass(slots=True, kw_only=True)
class Partition(Record):
    """One partition (in `topic.partitions`, `cluster.partitions` and the four filtered lists)."""

    topic: str = fact("topic name")
    partition: int = fact("partition number", default=0)
    leader: int | None = fact("broker id of the leader, `None` when it has none")
    replicas: list[int] = fact("replica broker ids, the preferred leader first", factory=list)
    isr: list[int] = fact("in-sync replica broker ids", factory=list)


class Partitions(Sequence[Partition]):
    """A range of rows of a PartitionColumns, read as a sequence of Partition records."""

    __slots__ = ("columns", "start", "stop")

    def __init__(self, columns: PartitionColumns, start: int = 0, stop: int | None = None) -> None:
        self.columns = columns
        self.start = start
        self.stop = len(columns) if stop is None else stop

    def row(self, index: int) -> Partition:
        """Row `index` of the columns (absolute, not relative to this range)."""
        c = self.columns
        leader = c.leader[index]
        return Partition(
            topic=c.topics[c.topic_index[index]],
            partition=c.number[index],
            leader=None if leader < 0 else leader,
            replicas=c.replicas[c.replica_start[index] : c.replica_start[index + 1]].tolist(),
            isr=c.isr_ids(index),
        )

    def __len__(self) -> int:
        return self.stop - self.start

    def __bool__(self) -> bool:
        return self.stop > self.start

    def __iter__(self) -> Iterator[Partition]:
        return map(self.row, range(self.start, self.stop))

    @overload
    def __getitem__(self, index: int) -> Partition: ...
    @overload
    def __getitem__(self, index: slice) -> list[Partition]: ...
    def __getitem__(self, index: int | slice) -> Partition | list[Partition]:
        rows = range(self.start, self.stop)[index]
        if isinstance(rows, range):
            return [self.row(i) for i in rows]
        return self.row(rows)

    def __repr__(self) -> str:
        return f"<{len(self)} partitions>"


@dataclass(slots=True, kw_only=True)
class PartitionSize(Record):
    """One partition that `kafka-log-dirs` reports."""

    name: str = fact("`orders-0`")
    topic: str = fact("`orders`")
    partition: int | None = fact("0")
    bytes: int = fact("size of its largest replica", unit="bytes", default=0)
    broker: int = fact("broker that holds the largest replica", default=0)
    dir: str = fact("log dir of the largest replica")
    replicas: int = fact("replicas that reported a size", default=0)


class PartitionSizes(Sequence[PartitionSize]):
    """Per partition, its largest replica, iterated largest first.

    `larger_than(n)` merges only the replicas above n bytes (a 1000-broker cluster reports
    600,000 replicas; merging them all is done only when the whole sequence is read).
    """

    __slots__ = ("_all", "replicas")

    def __init__(self, replicas: ReplicaSizes) -> None:
        self.replicas = replicas
        self._all: list[PartitionSize] | None = None

    @staticmethod
    def _rows(merged: LargestReplicas) -> list[PartitionSize]:
        rows = []
        for i, name in enumerate(merged.names):
            topic, _, number = name.rpartition("-")
            rows.append(PartitionSize(
                name=name, topic=topic or name, partition=int(number) if number.isdigit() else None,
                bytes=merged.sizes[i], broker=merged.broker[i], dir=merged.dirs[merged.dir_index[i]],
                replicas=merged.replicas[i],
            ))
        rows.sort(key=lambda row: (-row.bytes, row.name))
        return rows

    def larger_than(self, limit: float) -> list[PartitionSize]:
        """Partitions whose largest replica holds more than `limit` bytes, largest first."""
        return self._rows(self.replicas.larger_than(limit))

    def _every(self) -> list[PartitionSize]:
        if self._all is None:
            self._all = self._rows(self.replicas.largest())
        return self._all

    def __len__(self) -> int:
        return len(self._every())

    def __iter__(self) -> Iterator[PartitionSize]:
        return iter(self._every())

    @overload
    def __getitem__(self, index: int) -> PartitionSize: ...
    @overload
    def __getitem__(self, index: slice) -> list[PartitionSize]: ...
    def __getitem__(self, index: int | slice) -> PartitionSize | list[PartitionSize]:
        return self._every()[index]

    def __repr__(self) -> str:
        return f"<partition sizes of {len(self.replicas.dirs)} log dirs>"
