"""topic.overrides and topic.effective_config: the topic's own settings, and what is in effect for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kafkapilot.facts import build_facts
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec

_S = "sensitive=false synonyms="
TOPIC_CONFIGS = (
    "All configs for topic orders are:\n"
    f"  segment.bytes=1048576 {_S}{{DYNAMIC_TOPIC_CONFIG:segment.bytes=1048576, "
    "STATIC_BROKER_CONFIG:log.segment.bytes=1073741824, DEFAULT_CONFIG:log.segment.bytes=1073741824}\n"
    f"  min.insync.replicas=2 {_S}{{STATIC_BROKER_CONFIG:min.insync.replicas=2, "
    "DEFAULT_CONFIG:min.insync.replicas=1}\n"
)


def _topics(fixture: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    cluster = build_facts(load_snapshot(materialize(fixture_spec(fixture), tmp_path / "snapshot"))).cluster
    return cluster.topics_by_name


def test_overrides_are_the_dynamic_topic_configs_and_effective_falls_back_to_the_brokers(tmp_path: Path) -> None:
    topics = _topics({"base": "kraft3", "cluster": [
        {"name": "topic_configs", "source": "kafka-configs.sh --describe --all --entity-type topics",
         "content": TOPIC_CONFIGS}]}, tmp_path)
    orders = topics["orders"]
    assert orders.overrides == {"segment.bytes": "1048576"}  # min.insync.replicas=2 is the brokers'
    assert orders.effective_config["segment.bytes"] == "1048576"
    assert orders.effective_config["min.insync.replicas"] == "2"
    assert orders.effective_config["retention.ms"] == "604800000"  # log.retention.hours=168 of the brokers
    assert orders.effective_config["max.message.bytes"] == "1048588"  # Kafka's default
    # the describe's Configs: column of __consumer_offsets cannot say which is the topic's own: with
    # topic_configs collected, only its DYNAMIC_TOPIC_CONFIG entries are (none here)
    assert topics["__consumer_offsets"].overrides == {}


def test_without_topic_configs_the_describe_values_that_differ_from_the_brokers_are_overrides(
        tmp_path: Path) -> None:
    topics = _topics({"base": "kraft3"}, tmp_path)
    offsets = topics["__consumer_offsets"]
    # Configs: min.insync.replicas=2,cleanup.policy=compact; the brokers give min.insync.replicas=2
    assert offsets.overrides == {"cleanup.policy": "compact"}
    assert offsets.effective_config["cleanup.policy"] == "compact"
    assert topics["orders"].overrides == {}
    assert topics["orders"].effective_config["cleanup.policy"] == "delete"


def test_reassigning_partitions_are_those_printed_with_adding_or_removing_replicas(tmp_path: Path) -> None:
    line = "Topic: orders\tPartition: 0\tLeader: 2\tReplicas: 2,3,1\tIsr: 2,3,1\t"
    cluster = build_facts(load_snapshot(materialize(fixture_spec({"base": "kraft3", "patches": [
        {"artifact": "topics_describe", "replace": [line, line + "Adding Replicas: \tRemoving Replicas: 1\t"]},
    ]}), tmp_path / "a"))).cluster
    assert cluster.reassigning_partitions == ["orders-0"]
    healthy = build_facts(load_snapshot(materialize(fixture_spec({"base": "kraft3"}), tmp_path / "b"))).cluster
    assert healthy.reassigning_partitions == []
