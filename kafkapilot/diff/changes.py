"""What changed in the cluster between two snapshots, beyond the findings: broker configs, brokers added,
removed or restarted, Kafka and Java versions, topics and partitions, replicas and ISR, consumer lag.

A section that one side cannot tell (its artifact was not collected, the host was unreachable, or the
side is a report) is not guessed: `missing` says what is missing and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kafkapilot.diff.lag import GroupLag, compare_lag
from kafkapilot.diff.secrets import is_hidden
from kafkapilot.diff.state import ClusterState, NodeState, TopicState

__all__ = ["SECTIONS", "Changes", "ConfigChange", "Missing", "NodeEvent", "ReplicaChange", "ValueChange",
           "compare_states", "hours_between", "not_compared"]

SECTIONS = ("config", "brokers", "versions", "topics", "replicas", "consumer_groups")


@dataclass(frozen=True)
class ConfigChange:
    """One key of one node's effective config; `hidden`: its values are secret-looking and never shown."""

    node: str
    key: str
    old: str | None
    new: str | None
    hidden: bool


@dataclass(frozen=True)
class NodeEvent:
    """A Kafka node added, removed or restarted, and how that is known."""

    node: str
    node_id: int | None
    detail: str


@dataclass(frozen=True)
class ValueChange:
    """A value of a node (its Kafka or Java version) or of a topic (partitions, replication factor)."""

    name: str
    old: str | int | None
    new: str | int | None


@dataclass(frozen=True)
class ReplicaChange:
    """The replicas or the ISR of one partition changed."""

    topic: str
    partition: int
    old_replicas: tuple[int, ...]
    new_replicas: tuple[int, ...]
    old_isr: tuple[int, ...]
    new_isr: tuple[int, ...]


@dataclass(frozen=True)
class Missing:
    """A section, or part of one, that could not be compared, and why."""

    section: str
    reason: str


@dataclass(frozen=True)
class Changes:
    """Every change between OLD and NEW; a section is None when it could not be compared at all."""

    old_collected_at: str | None
    new_collected_at: str | None
    hours: float | None
    config: tuple[ConfigChange, ...] | None = None
    brokers_added: tuple[NodeEvent, ...] | None = None
    brokers_removed: tuple[NodeEvent, ...] | None = None
    brokers_restarted: tuple[NodeEvent, ...] | None = None
    kafka_versions: tuple[ValueChange, ...] | None = None
    java_versions: tuple[ValueChange, ...] | None = None
    topics_added: tuple[str, ...] | None = None
    topics_removed: tuple[str, ...] | None = None
    partitions: tuple[ValueChange, ...] | None = None
    replication_factor: tuple[ValueChange, ...] | None = None
    replicas: tuple[ReplicaChange, ...] | None = None
    consumer_groups: GroupLag | None = None
    missing: tuple[Missing, ...] = field(default=())

    @property
    def count(self) -> int:
        """How many changes there are, all sections together (a restarted broker is one, a lag trend is not)."""
        lists = (self.config, self.brokers_added, self.brokers_removed, self.brokers_restarted, self.kafka_versions,
                 self.java_versions, self.topics_added, self.topics_removed, self.partitions,
                 self.replication_factor, self.replicas)
        groups = self.consumer_groups
        return sum(len(x or ()) for x in lists) + (len(groups.added) + len(groups.removed) if groups else 0)


def hours_between(old: str | None, new: str | None) -> float | None:
    """Hours from `old` to `new` (ISO 8601), or None when either is unknown or they are not in order."""
    try:
        start, end = dt.datetime.fromisoformat(old or ""), dt.datetime.fromisoformat(new or "")
        hours = (end - start).total_seconds() / 3600
    except (ValueError, TypeError):  # unparsable, or one with a zone and one without
        return None
    return hours if hours > 0 else None


def not_compared(old_kind: str, new_kind: str, old_at: str | None, new_at: str | None) -> Changes:
    """The changes of a diff with a report on either side: none can be compared, and it says why."""
    which = " and ".join(side for side, kind in (("OLD", old_kind), ("NEW", new_kind)) if kind == "report")
    verb = "is a report" if " and " not in which else "are reports"
    reason = f"{which} {verb}: changes need a snapshot on both sides"
    return Changes(old_at, new_at, hours_between(old_at, new_at), missing=(Missing("all", reason),))


def compare_states(old: ClusterState, new: ClusterState) -> Changes:
    """Compare the state of two snapshots, section by section."""
    missing: list[Missing] = []
    hours = hours_between(old.collected_at, new.collected_at)
    if hours is None and old.groups is not None and new.groups is not None:
        times = f"{old.collected_at} → {new.collected_at}"
        missing.append(Missing("consumer_groups", f"no lag rates: the collection times ({times}) are unknown or "
                                                  "not in order"))
    both = [label for label in old.nodes if label in new.nodes]
    added = _appeared(new, old, "OLD", "Kafka process found in NEW only", missing)
    removed = _appeared(old, new, "NEW", "no such Kafka process in NEW (stopped, or its host left the inventory)",
                        missing)
    restarted = [_event(new.nodes[n], f"pid {old.nodes[n].pid} → {new.nodes[n].pid}")
                 for n in both if old.nodes[n].pid != new.nodes[n].pid]
    config = _config(old, new, both, missing)
    kafka = _versions(old, new, both, "kafka_version", missing)
    java = _versions(old, new, both, "java_version", missing)
    topic_fields: dict[str, tuple] = {}
    if old.topics is None or new.topics is None:
        missing += [Missing(s, _why(old, new, "topics")) for s in ("topics", "replicas")]
    else:
        topic_fields = _topics(old.topics, new.topics)
    groups = None
    if old.groups is None or new.groups is None:
        missing.append(Missing("consumer_groups", _why(old, new, "consumer_groups")))
    else:
        groups = compare_lag(old.groups, new.groups, hours)
    return Changes(
        old.collected_at, new.collected_at, hours, config=config, brokers_added=tuple(added),
        brokers_removed=tuple(removed), brokers_restarted=tuple(restarted), kafka_versions=kafka,
        java_versions=java, consumer_groups=groups, missing=tuple(missing), **topic_fields,
    )


def _event(node: NodeState, detail: str) -> NodeEvent:
    return NodeEvent(node.label, node.node_id, detail)


def _appeared(side: ClusterState, other: ClusterState, other_name: str, detail: str,
              missing: list[Missing]) -> list[NodeEvent]:
    """Nodes of `side` that `other` (OLD or NEW) lacks; a node whose host `other` could not reach is missing, not
    added or removed."""
    events = []
    for label, node in side.nodes.items():
        if label in other.nodes:
            continue
        if node.host in other.unreachable:
            reason = other.unreachable[node.host]
            missing.append(Missing("brokers", f"{label}: host unreachable in {other_name}: {reason}"))
        else:
            events.append(_event(node, detail))
    return events


def _why(old: ClusterState, new: ClusterState, section: str) -> str:
    reasons = [f"{side}: {state.unavailable[section]}" for side, state in (("OLD", old), ("NEW", new))
               if section in state.unavailable]
    return "; ".join(reasons)


def _config(old: ClusterState, new: ClusterState, both: list[str], missing: list[Missing]) -> tuple[ConfigChange, ...]:
    changes = []
    for label in both:
        before, after = old.nodes[label].config, new.nodes[label].config
        if before is None or after is None:
            side, state = ("OLD", old) if before is None else ("NEW", new)
            reason = state.nodes[label].unavailable.get("config", "not collected")
            missing.append(Missing("config", f"{label}: {side}: {reason}"))
            continue
        for key in sorted(before.keys() | after.keys()):
            was, now = before.get(key), after.get(key)
            if was != now:
                hidden = is_hidden(key, was, now)
                changes.append(ConfigChange(label, key, None if hidden else was, None if hidden else now, hidden))
    return tuple(changes)


def _versions(old: ClusterState, new: ClusterState, both: list[str], attribute: str,
              missing: list[Missing]) -> tuple[ValueChange, ...]:
    changes = []
    for label in both:
        was, now = getattr(old.nodes[label], attribute), getattr(new.nodes[label], attribute)
        if was is None or now is None:
            side, state = ("OLD", old) if was is None else ("NEW", new)
            fact = "java" if attribute == "java_version" else attribute
            reason = state.nodes[label].unavailable.get(fact, "not collected")
            missing.append(Missing("versions", f"{label}: {attribute.replace('_', ' ')} unknown in {side}: {reason}"))
        elif was != now:
            changes.append(ValueChange(label, was, now))
    return tuple(changes)


def _ids(text: str) -> tuple[int, ...]:
    """An ISR as printed (`2,3,1`) as broker ids; the same set printed in another order compares equal."""
    return tuple(int(i) for i in text.split(",")) if text else ()


def _topics(old: dict[str, TopicState], new: dict[str, TopicState]) -> dict[str, tuple]:
    both = sorted(old.keys() & new.keys())
    replicas = []
    for name in both:
        before, after = old[name].partitions, new[name].partitions
        for number in sorted(before.keys() & after.keys()):
            (was_replicas, was_isr), (now_replicas, now_isr) = before[number], after[number]
            if was_replicas != now_replicas or (was_isr != now_isr and set(_ids(was_isr)) != set(_ids(now_isr))):
                replicas.append(ReplicaChange(name, number, was_replicas, now_replicas, _ids(was_isr), _ids(now_isr)))
    return {
        "topics_added": tuple(sorted(new.keys() - old.keys())),
        "topics_removed": tuple(sorted(old.keys() - new.keys())),
        "partitions": tuple(ValueChange(n, old[n].partition_count, new[n].partition_count) for n in both
                            if old[n].partition_count != new[n].partition_count),
        "replication_factor": tuple(ValueChange(n, old[n].replication_factor, new[n].replication_factor) for n in both
                                    if old[n].replication_factor != new[n].replication_factor),
        "replicas": tuple(replicas),
    }
