"""Each kind of change between two factory snapshots (tests/unit/diff/pair.py), and what is said when a side
cannot tell."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kafkapilot.diff.changes import ConfigChange, Missing, NodeEvent, ReplicaChange, ValueChange, compare_states
from kafkapilot.diff.secrets import is_hidden
from kafkapilot.diff.state import ClusterState
from tests.unit.diff.conftest import state_of
from tests.unit.diff.pair import new_spec, old_spec, write


def test_broker_config_changes_per_node_with_secret_values_hidden(states: tuple[ClusterState, ClusterState]) -> None:
    changes = compare_states(*states)
    assert changes.config == (
        ConfigChange("kafka-1", "listener.name.client.ssl.key.password", None, None, hidden=True),
        ConfigChange("kafka-1", "num.io.threads", "8", "16", hidden=False),
    )


def test_brokers_added_restarted_and_removed(states: tuple[ClusterState, ClusterState]) -> None:
    old, new = states
    forward = compare_states(old, new)
    assert forward.brokers_added == (NodeEvent("kafka-3", 3, "Kafka process found in NEW only"),)
    assert forward.brokers_removed == ()
    assert forward.brokers_restarted == (NodeEvent("kafka-2", 2, "pid 812 → 913"),)
    backward = compare_states(new, old)
    assert [e.node for e in backward.brokers_removed or ()] == ["kafka-3"]
    assert backward.brokers_added == ()


def test_kafka_and_java_versions(states: tuple[ClusterState, ClusterState]) -> None:
    changes = compare_states(*states)
    assert changes.kafka_versions == (ValueChange("kafka-2", "4.1.0", "4.1.1"),)
    assert changes.java_versions == (ValueChange("kafka-2", "17.0.15", "21.0.5"),)


def test_topics_partitions_and_replication_factor(states: tuple[ClusterState, ClusterState]) -> None:
    changes = compare_states(*states)
    assert changes.topics_added == ("clicks",)
    assert changes.topics_removed == ("legacy",)
    assert changes.partitions == (ValueChange("payments", 6, 8),)
    assert changes.replication_factor == (ValueChange("audit", 3, 2),)


def test_replicas_and_isr_per_partition(states: tuple[ClusterState, ClusterState]) -> None:
    replicas = compare_states(*states).replicas or ()
    assert ReplicaChange("orders", 0, (2, 3, 1), (2, 3, 1), (2, 3, 1), (2, 3)) in replicas  # ISR shrank only
    assert [(c.topic, c.partition) for c in replicas] == [("audit", 0), ("audit", 1), ("audit", 2), ("orders", 0)]


def test_the_same_snapshot_twice_has_no_change(states: tuple[ClusterState, ClusterState]) -> None:
    changes = compare_states(states[1], states[1])
    assert changes.count == 0
    assert changes.hours is None
    assert [m.section for m in changes.missing] == ["consumer_groups"]  # no rate: no time passed
    assert {c.trend for c in changes.consumer_groups.partitions} == {"steady", "unknown"}  # type: ignore[union-attr]


def test_an_older_format_without_the_artifacts_says_what_is_missing(tmp_path: Path,
                                                                    states: tuple[ClusterState, ClusterState]) -> None:
    spec = old_spec()
    spec["format_version"] = "1.0"
    spec["cluster"] = [a for a in spec["cluster"] if a["name"] not in ("consumer_groups", "topics_describe")]
    spec["hosts"]["kafka-1"]["artifacts"] = [a for a in spec["hosts"]["kafka-1"]["artifacts"]
                                             if a["name"] != "java_version"]
    old = state_of(write(spec, tmp_path / "old-1.0"))
    assert old.format_version == "1.0"
    changes = compare_states(old, states[1])
    assert changes.topics_added is None and changes.replicas is None and changes.consumer_groups is None
    assert Missing("topics", "OLD: not collected: topics_describe is not in the snapshot") in changes.missing
    assert Missing("consumer_groups", "OLD: not collected: consumer_groups is not in the snapshot") in changes.missing
    assert Missing("versions", "kafka-1: java version unknown in OLD: not collected: java_version is not in the "
                               "snapshot") in changes.missing
    assert changes.config is not None and changes.brokers_restarted  # what both hold is still compared


def test_a_broker_on_a_host_unreachable_in_new_is_missing_not_removed(tmp_path: Path) -> None:
    spec = new_spec()
    spec["hosts"]["kafka-1"] = {"status": "unreachable", "reason": "ssh: connection timed out",
                                "groups": ["kafka_brokers"]}
    new = state_of(write(spec, tmp_path / "new-unreachable"))
    old = state_of(write(new_spec(), tmp_path / "new"))
    changes = compare_states(old, new)
    assert changes.brokers_removed == ()
    assert Missing("brokers", "kafka-1: host unreachable in NEW: ssh: connection timed out") in changes.missing


def test_secret_looking_keys_and_redacted_values_are_hidden() -> None:
    assert is_hidden("ssl.keystore.password", "12345678")  # a numeric password is still a password
    assert is_hidden("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required;")
    assert is_hidden("some.custom.setting", "[REDACTED]", "x")
    assert is_hidden("some.url", "https://user:hunter2@example.com/")  # a password in a URL, whatever the key
    assert not is_hidden("ssl.keystore.location", "/etc/kafka/ssl/kafka.keystore.p12")
    assert not is_hidden("num.io.threads", "8", "16")


def test_an_isr_printed_in_another_order_is_no_change(states: tuple[ClusterState, ClusterState]) -> None:
    old = states[0]
    orders = old.topics["orders"]  # type: ignore[index]
    reordered = {n: (replicas, ",".join(reversed(isr.split(",")))) for n, (replicas, isr) in orders.partitions.items()}
    new = replace(old, topics={**old.topics, "orders": replace(orders, partitions=reordered)})  # type: ignore[dict-item]
    assert compare_states(old, new).replicas == ()
