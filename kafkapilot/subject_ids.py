"""The report's identity (a :class:`~kafkapilot.findings.Subject`) of what a check or rule looked at.

A check's evidence is about the subject of its scope: the node (``broker``, ``controller``, ``kafka_node``,
``zookeeper``), the host (``host``) or the cluster (``cluster``). A ``for_each`` item is the subject instead
when the check iterates one of the cluster's collections below, unchanged or only filtered
(``selectattr``, ``rejectattr``, ``list``, ``sort``, ``unique``), so that each item is still one of them:

=============================================================================  =========  ==========================
``for_each`` iterates                                                          subject    identity from the item
=============================================================================  =========  ==========================
``cluster.topics``                                                             topic      ``name``
``cluster.consumer_groups``                                                    group      ``group``
``cluster.under_replicated``, ``under_min_isr``, ``at_min_isr``,               partition  ``topic``, ``partition``
``unavailable_partitions``, ``partition_sizes``
``cluster.hosts``                                                              host       ``name``
=============================================================================  =========  ==========================

Any other ``for_each`` (a list built in the expression, a node's own list) leaves the scope's subject: the
item is named in the evidence's ``item`` text. Nothing is inferred from an item's shape.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, Final

from pydantic import ValidationError

from kafkapilot.findings import Subject, SubjectKind

__all__ = ["CLUSTER", "ITEM_SUBJECTS", "host_subject", "item_subject", "node_subject", "scope_subject"]

CLUSTER: Final = Subject(kind=SubjectKind.CLUSTER)

_PARTITION: Final = (SubjectKind.PARTITION, (("topic", "topic"), ("partition", "partition")))
ITEM_SUBJECTS: Final[dict[str, tuple[SubjectKind, tuple[tuple[str, str], ...]]]] = {
    "topics": (SubjectKind.TOPIC, (("topic", "name"),)),
    "consumer_groups": (SubjectKind.GROUP, (("group", "group"),)),
    "under_replicated": _PARTITION,
    "under_min_isr": _PARTITION,
    "at_min_isr": _PARTITION,
    "unavailable_partitions": _PARTITION,
    "partition_sizes": _PARTITION,
    "hosts": (SubjectKind.HOST, (("host", "name"),)),
}
"""cluster collection → (subject kind, ((subject field, item key), …))."""

_FILTERED_COLLECTION: Final = re.compile(
    r"\s*cluster\.(?P<collection>\w+)(?:\.larger_than\([^()]*\))?"  # partition_sizes.larger_than(n) filters too
    r"\s*(?:\|\s*(?:selectattr|rejectattr|list|sort|unique)\s*(?:\([^()]*\))?\s*)*"
)


def host_subject(name: str) -> Subject:
    """The subject of an inventory host."""
    return Subject(kind=SubjectKind.HOST, host=name)


def node_subject(node: Mapping[str, Any]) -> Subject:
    """The subject of a Kafka or ZooKeeper node (its facts): host, instance when not the host's only one, node id.

    Asked for every node by every task and every reading of the drift rules (some 50,000 times at 1000
    brokers): made once per identity, a Subject being immutable."""
    host = node["host"]
    instance = None if node["label"] == host else node["instance"]
    node_id = node.get("node_id")
    try:
        return _node_subject(host, instance, node_id)
    except TypeError:  # an unhashable value: validation will say what is wrong with it
        return Subject(kind=SubjectKind.NODE, host=host, instance=instance, node_id=node_id)


@functools.lru_cache(maxsize=16384, typed=True)
def _node_subject(host: Any, instance: Any, node_id: Any) -> Subject:
    return Subject(kind=SubjectKind.NODE, host=host, instance=instance, node_id=node_id)


def scope_subject(variables: Mapping[str, Any]) -> Subject:
    """The subject of a scope's variables: the node when there is one, else the host, else the cluster."""
    if variables.get("node") is not None:
        return node_subject(variables["node"])
    if variables.get("host") is not None:
        return host_subject(variables["host"]["name"])
    return CLUSTER


@functools.cache
def _collection(for_each: str) -> str | None:
    match = _FILTERED_COLLECTION.fullmatch(for_each)
    return match["collection"] if match and match["collection"] in ITEM_SUBJECTS else None


def item_subject(for_each: str | None, item: object) -> Subject | None:
    """The subject a ``for_each`` item stands for (table above), or None when the scope's subject stays."""
    collection = _collection(for_each) if for_each else None
    if collection is None or not isinstance(item, Mapping):
        return None
    kind, fields = ITEM_SUBJECTS[collection]
    try:
        return Subject(kind=kind, **{field: item.get(key) for field, key in fields})
    except ValidationError:  # e.g. a partition_sizes row whose name has no partition number
        return None
