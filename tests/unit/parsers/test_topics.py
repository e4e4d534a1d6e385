"""kafka-topics.sh --describe, full and filtered, Kafka 0.x to 4.x and Confluent."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.topics import PartitionState, parse_topic_configs, parse_topics_describe
from tests.unit.parsers._samples import sample


def test_describe_4x() -> None:
    topics = parse_topics_describe(sample("topics_describe_4x.txt"))
    assert [t.name for t in topics] == ["orders", "payments", "__consumer_offsets"]
    orders = topics[0]
    assert orders.topic_id == "9zbJdcw5RBmAJpZkOd6wFg"
    assert (orders.partition_count, orders.replication_factor, orders.from_header) == (3, 3, True)
    assert orders.configs == {
        "min.insync.replicas": "2",
        "cleanup.policy": "delete",
        "retention.ms": "604800000",
        "follower.replication.throttled.replicas": "",
    }
    assert orders.partitions[0] == PartitionState(
        topic="orders", partition=0, leader=1, replicas=(1, 2, 3), isr=(1, 2, 3), elr=(), offline=()
    )
    assert orders.partitions[1].elr == (3,)
    offline = orders.partitions[2]
    assert (offline.leader, offline.isr, offline.last_known_elr) == (None, (), (3,))


def test_reassignment_and_elr_not_available() -> None:
    payments = parse_topics_describe(sample("topics_describe_4x.txt"))[1]
    moving = payments.partitions[0]
    assert moving.replicas == (1, 2, 3, 4)
    assert (moving.adding_replicas, moving.removing_replicas) == ((4,), (3,))
    assert moving.elr == () and moving.last_known_elr == ()  # "N/A"
    assert payments.configs["leader.replication.throttled.replicas"] == "0:1,1:2"
    assert payments.configs["segment.bytes"] == "1073741824"


def test_describe_3x_with_tool_log_noise_and_empty_configs() -> None:
    (orders,) = parse_topics_describe(sample("topics_describe_3x.txt"))
    assert orders.configs == {}
    assert orders.partitions[1].isr == (2,)
    assert orders.partitions[1].elr == ()


def test_describe_0x_without_spaces_and_leader_minus_one() -> None:
    (legacy,) = parse_topics_describe(sample("topics_describe_0x.txt"))
    assert legacy.topic_id is None
    assert (legacy.partition_count, legacy.replication_factor) == (2, 2)
    assert legacy.configs == {"retention.ms": "86400000"}
    assert legacy.partitions[1].leader is None


def test_filtered_output_without_headers() -> None:
    topics = parse_topics_describe(sample("topics_under_replicated.txt"))
    assert [(t.name, t.partition_count, t.replication_factor, t.from_header) for t in topics] == [
        ("orders", 2, 3, False),
        ("billing", 1, 2, False),
    ]
    assert topics[0].topic_id is None and topics[0].configs == {}
    assert [p.partition for p in topics[0].partitions] == [1, 2]


def test_confluent_offline_and_observers() -> None:
    (audit,) = parse_topics_describe(sample("topics_describe_confluent.txt"))
    assert audit.partitions[0].offline == (3,)
    assert audit.partitions[0].observers == (4,)


def test_spaces_instead_of_tabs_and_crlf() -> None:
    text = (
        "Topic: t  TopicId: abc  PartitionCount: 1  ReplicationFactor: 1  Configs: \r\n"
        "  Topic: t  Partition: 0  Leader: 5  Replicas: 5  Isr: 5\r\n"
    )
    (topic,) = parse_topics_describe(text)
    assert (topic.topic_id, topic.partitions[0].leader) == ("abc", 5)


def test_topic_configs_splitting() -> None:
    assert parse_topic_configs("") == {}
    assert parse_topic_configs("a=1,b=,c=x=y") == {"a": "1", "b": "", "c": "x=y"}
    assert parse_topic_configs("t=0:1,1:2,2:3,u=4") == {"t": "0:1,1:2,2:3", "u": "4"}
    assert parse_topic_configs(",,a=1,") == {"a": "1,"}


def test_partition_line_without_a_number() -> None:
    with pytest.raises(ParseError) as raised:
        parse_topics_describe("\tTopic: t\tPartition: x\tLeader: 1\tReplicas: 1\tIsr: 1\n")
    assert raised.value.line == 1
