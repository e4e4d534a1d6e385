"""``kafka-topics.sh --describe`` output, full or filtered.

A topic header line, then one line a partition, fields separated by tabs::

    Topic: orders	TopicId: 9zb…	PartitionCount: 3	ReplicationFactor: 3	Configs: min.insync.replicas=2
    	Topic: orders	Partition: 0	Leader: 1	Replicas: 1,2,3	Isr: 1,2,3	Elr: 	LastKnownElr: 

``Elr``/``LastKnownElr`` appear from Kafka 3.9/4.0 (``N/A`` when the broker does not
report them), ``Adding Replicas``/``Removing Replicas`` during a reassignment, ``TopicId``
from 2.8, ``Offline`` and ``Observers`` only from Confluent Server. ``Leader: none`` (or
``-1``) means no leader. ``--under-replicated-partitions``, ``--under-min-isr-partitions``,
``--at-min-isr-partitions`` and ``--unavailable-partitions`` print partition lines only.
Kafka 0.x/1.x printed ``Topic:orders`` without the space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from kafkapilot.parsers._lines import (
    content_lines,
    int_list,
    labelled_fields,
    optional_int,
    reject_unrecognised,
)
from kafkapilot.parsers.errors import ParseError

__all__ = ["PartitionState", "TopicDescription", "parse_topic_configs", "parse_topics_describe"]

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
_CONFIG_KEY: Final[re.Pattern[str]] = re.compile(r"^[A-Za-z][\w.\-]*=")


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
    """A topic. ``from_header`` is False when no header line was printed (filtered
    describes): then ``partition_count`` counts the listed partitions and
    ``replication_factor`` is the largest replica list, and ``configs`` is empty."""

    name: str
    topic_id: str | None
    partition_count: int
    replication_factor: int
    configs: dict[str, str]
    partitions: tuple[PartitionState, ...]
    from_header: bool = True


@dataclass(slots=True)
class _Topic:
    header: dict[str, str] | None = None
    partitions: list[PartitionState] = field(default_factory=list)


def parse_topics_describe(text: str) -> tuple[TopicDescription, ...]:
    """Topics in order of appearance.

    Raises ParseError when there is output but not one topic or partition line (e.g.
    ``Error while executing topic command : …``).
    """
    topics: dict[str, _Topic] = {}
    first_other: int | None = None
    for number, line in content_lines(text):
        if "PartitionCount:" in line:
            fields = labelled_fields(line, _TOPIC_LABELS)
            topics.setdefault(fields.get("Topic", ""), _Topic()).header = fields
        elif "Partition:" in line and "Leader:" in line:
            state = _partition(labelled_fields(line, _PARTITION_LABELS), number)
            topics.setdefault(state.topic, _Topic()).partitions.append(state)
        else:
            first_other = first_other or number
    reject_unrecognised(topics, first_other, "kafka-topics --describe output")
    return tuple(_description(name, topic) for name, topic in topics.items())


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


def _partition(fields: dict[str, str], number: int) -> PartitionState:
    partition = optional_int(fields.get("Partition"))
    if partition is None:
        raise ParseError("partition line without a partition number", line=number)
    leader = optional_int(fields.get("Leader"))
    return PartitionState(
        topic=fields.get("Topic", ""),
        partition=partition,
        leader=leader if leader is not None and leader >= 0 else None,
        replicas=int_list(fields.get("Replicas", "")),
        isr=int_list(fields.get("Isr", "")),
        elr=int_list(fields.get("Elr", "")),
        offline=int_list(fields.get("Offline", "")),
        last_known_elr=int_list(fields.get("LastKnownElr", "")),
        adding_replicas=int_list(fields.get("Adding Replicas", "")),
        removing_replicas=int_list(fields.get("Removing Replicas", "")),
        observers=int_list(fields.get("Observers", "")),
    )


def _description(name: str, topic: _Topic) -> TopicDescription:
    partitions = tuple(topic.partitions)
    derived_rf = max((len(p.replicas) for p in partitions), default=0)
    header = topic.header
    if header is None:
        return TopicDescription(
            name=name,
            topic_id=None,
            partition_count=len(partitions),
            replication_factor=derived_rf,
            configs={},
            partitions=partitions,
            from_header=False,
        )
    count = optional_int(header.get("PartitionCount"))
    rf = optional_int(header.get("ReplicationFactor"))
    return TopicDescription(
        name=name,
        topic_id=header.get("TopicId") or None,
        partition_count=count if count is not None else len(partitions),
        replication_factor=rf if rf is not None else derived_rf,
        configs=parse_topic_configs(header.get("Configs", "")),
        partitions=partitions,
    )
