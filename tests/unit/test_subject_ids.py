"""What a check's evidence is about: the scope's subject, or a for_each item of a known cluster collection."""

from __future__ import annotations

from typing import Any

import pytest

from kafkapilot.findings import Subject, SubjectKind
from kafkapilot.subject_ids import CLUSTER, item_subject, node_subject, scope_subject

NODE: dict[str, Any] = {"label": "kafka-1", "host": "kafka-1", "instance": "kafka", "node_id": 1}
SECOND: dict[str, Any] = {"label": "kafka-1/kafka-b", "host": "kafka-1", "instance": "kafka-b", "node_id": None}


def test_scope_subjects() -> None:
    assert scope_subject({"node": NODE, "host": {"name": "kafka-1"}, "cluster": {}}) == Subject(
        kind=SubjectKind.NODE, host="kafka-1", node_id=1,
    )
    assert scope_subject({"host": {"name": "bastion"}, "cluster": {}}) == Subject(kind=SubjectKind.HOST, host="bastion")
    assert scope_subject({"cluster": {}}) == CLUSTER


def test_a_second_process_on_a_host_is_its_own_node() -> None:
    first, second = node_subject(NODE), node_subject(SECOND)
    assert (first.label, second.label) == ("kafka-1", "kafka-1/kafka-b")
    assert first.key != second.key


def test_node_id_describes_but_does_not_identify() -> None:
    assert node_subject(NODE).key == node_subject({**NODE, "node_id": None}).key


@pytest.mark.parametrize(
    ("for_each", "item", "subject"),
    [
        ("cluster.topics", {"name": "orders"}, Subject(kind=SubjectKind.TOPIC, topic="orders")),
        ("cluster.topics | rejectattr('internal') | list", {"name": "orders"},
         Subject(kind=SubjectKind.TOPIC, topic="orders")),
        ("cluster.consumer_groups | selectattr('state', 'eq', 'Stable')\n  | rejectattr('members', 'none') | list",
         {"group": "billing"}, Subject(kind=SubjectKind.GROUP, group="billing")),
        ("cluster.under_min_isr", {"topic": "orders", "partition": 3},
         Subject(kind=SubjectKind.PARTITION, topic="orders", partition=3)),
        ("cluster.hosts | rejectattr('reachable')", {"name": "kafka-4"},
         Subject(kind=SubjectKind.HOST, host="kafka-4")),
    ],
)
def test_items_of_known_collections_are_the_subject(for_each: str, item: dict[str, Any], subject: Subject) -> None:
    assert item_subject(for_each, item) == subject


@pytest.mark.parametrize(
    ("for_each", "item"),
    [
        (None, None),
        ("node.listeners", {"name": "PLAINTEXT"}),  # a node's own list: the node stays the subject
        ("cluster.topics | map(attribute='name')", "orders"),  # no longer topics
        ("cluster.partition_load + [{'id': none}]", {"id": 1}),  # built in the expression
        ("cluster.metadata_brokers", {"id": 1, "host": "kafka-1.example"}),  # not a collection we name
        ("cluster.partition_sizes", {"name": "weird", "topic": "weird", "partition": None}),  # no partition number
    ],
)
def test_anything_else_leaves_the_scope_subject(for_each: str | None, item: object) -> None:
    assert item_subject(for_each, item) is None


def test_a_subject_needs_its_identity() -> None:
    with pytest.raises(ValueError, match="a partition subject needs partition"):
        Subject(kind=SubjectKind.PARTITION, topic="orders")
