"""Derived facts (kafkapilot/facts/derived.py): joins of other facts, None with a reason when an input is unknown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kafkapilot.facts import build_facts
from kafkapilot.facts.derived import kafka_release, version_key
from kafkapilot.facts.model import BrokerLoad
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.cluster_spec import cluster_spec
from tests.factory.fixtures import fixture_spec


def _facts(fixture: dict[str, Any], tmp_path: Path):  # noqa: ANN202
    return build_facts(load_snapshot(materialize(fixture_spec(fixture), tmp_path / "snapshot")))


def test_version_key_orders_numerically() -> None:
    assert version_key("4.10.0") > version_key("4.9.1")
    assert max(["3.9.1", "4.0.0", "4.10.0", "4.2.0"], key=version_key) == "4.10.0"


def test_kafka_release_follows_the_three_release_rule_as_of_the_given_day() -> None:
    release = kafka_release("3.7.1", "2026-11-26")
    assert release is not None
    assert release["supported_until"] == "2025-03-18"  # 4.0, the third release after 3.7
    assert release["supported"] is False
    assert kafka_release("3.7.1", "2024-12-01")["supported"] is True  # only 3.8 and 3.9 were out
    assert kafka_release("4.4.0", "2026-11-26")["supported"] is True
    assert kafka_release("9.9.0", "2026-11-26") is None


def test_last_zookeeper_line_keeps_its_extended_support() -> None:
    # 3.9: the three-release rule ends it with 4.2; the 12-month promise ended 2025-11-06.
    assert kafka_release("3.9.1", "2025-10-01")["supported"] is True
    assert kafka_release("3.9.1", "2026-11-26")["supported_until"] == "2026-02-10"


def test_cluster_facts_of_the_healthy_base(tmp_path: Path) -> None:
    facts = _facts({"base": "kraft3"}, tmp_path)
    cluster = facts.cluster
    assert cluster["collected_date"] == "2026-11-26"
    assert cluster["cluster_id"] == "MkU3OEVBNTcwNTJENDM2Qk"
    assert cluster["broker_ids"] == [1, 2, 3]
    assert cluster["kafka_version_newest"] == "4.1.0"
    load = {row["id"]: row for row in cluster["partition_load"]}
    assert sum(row["replicas"] for row in load.values()) == 71 * 3
    assert load[1] == BrokerLoad(id=1, replicas=71, leaders=24, preferred=24, preferred_not_leading=0)
    assert (cluster.mean_replicas_per_broker, cluster.mean_leaders_per_broker) == (71, 71 / 3)


def test_partition_load_counts_brokers_without_replicas_and_leaders_elsewhere(tmp_path: Path) -> None:
    api = "kafka-4:9092 (id: 4 rack: rack-a isFenced: false) -> (\n\tProduce(0): 0 to 11 [usable: 11]\n)\n"
    moved = {"artifact": "topics_describe",
             "replace": ["Topic: orders\tPartition: 0\tLeader: 2\t", "Topic: orders\tPartition: 0\tLeader: 3\t"]}
    facts = _facts({"base": "kraft3", "patches": [{"artifact": "broker_api_versions", "append": api}, moved]}, tmp_path)
    load = {row["id"]: row for row in facts.cluster["partition_load"]}
    assert load[4] == BrokerLoad(id=4, replicas=0, leaders=0, preferred=0, preferred_not_leading=0)
    assert load[2]["preferred_not_leading"] == 1
    assert load[3]["leaders"] == 24


def test_partition_load_unknown_without_topics(tmp_path: Path) -> None:
    denied = {"artifact": "topics_describe", "status": "denied", "error": "TopicAuthorizationException"}
    cluster = _facts({"base": "kraft3", "patches": [denied]}, tmp_path).cluster
    assert cluster["partition_load"] is None
    assert cluster["unavailable"]["partition_load"] == ("not collected: topics_describe denied: "
                                                         "TopicAuthorizationException")


def test_node_filesystems_keystores_and_release(tmp_path: Path) -> None:
    node = _facts({"base": "kraft3"}, tmp_path).nodes[0]
    assert [(d["dir"], d["role"], d["mountpoint"], d["fstype"], d["root"]) for d in node["log_dir_df"]] == [
        ("/var/lib/kafka/data", "data", "/var/lib/kafka", "xfs", False),
        ("/var/lib/kafka/meta", "metadata", "/var/lib/kafka", "xfs", False),
    ]
    assert "noatime" in node["log_dir_mounts"][0]["options"]
    assert node["log_dir_df_inodes"][0]["use_percent"] == 1
    assert [(k["path"], k["mode"], k["world_readable"]) for k in node["keystore_files"]] == [
        ("/etc/kafka/ssl/kafka.keystore.p12", "0600", False)
    ]
    assert node["meta_cluster_ids"] == ["MkU3OEVBNTcwNTJENDM2Qk"]
    assert node["kafka_release"]["minor"] == "4.1"
    assert node["os"]["vm_swappiness"] == 1
    assert node["os"]["vm_max_map_count"] == 262144


def test_data_dir_on_root_and_with_application_logs(tmp_path: Path) -> None:
    moved = {"host": "kafka-1", "artifact": "server_properties",
             "replace": ["log.dirs=/var/lib/kafka/data\n", "log.dirs=/kafka-data\n"]}
    node = _facts({"base": "kraft3", "patches": [moved]}, tmp_path).nodes[0]
    data = node["log_dir_df"][0]
    assert (data["dir"], data["mountpoint"], data["root"], data["with_application_logs"]) == (
        "/kafka-data", "/", True, True)


def test_unknown_inputs_give_reasons(tmp_path: Path) -> None:
    patches = [
        {"host": "kafka-1", "artifact": "df", "status": "failed", "error": "df: timeout"},
        {"host": "kafka-1", "artifact": "sysctl", "delete_lines": "^vm\\.swappiness"},
        {"host": "kafka-1", "artifact": "keystore", "status": "denied", "error": "permission denied", "mode": None},
        {"host": "kafka-1", "artifact": "kafka_version", "replace": ["4.1.0", "9.9.0"]},
    ]
    node = _facts({"base": "kraft3", "patches": patches}, tmp_path).nodes[0]
    assert node["log_dir_df"] is None
    assert node["unavailable"]["log_dir_df"] == "not collected: df failed: df: timeout"
    assert node["os"]["vm_swappiness"] is None
    assert node["os"]["unavailable"]["vm_swappiness"] == "unknown: sysctl did not report vm.swappiness"
    assert node["keystore_files"] is None
    assert node["unavailable"]["keystore_files"].startswith("not collected: keystore /etc/kafka/ssl/kafka.keystore.p12")
    assert node["kafka_release"] is None
    assert "9.9.0 is not in kafkapilot/data/kafka_versions.py" in node["unavailable"]["kafka_release"]


def test_topic_retention_is_the_override_else_the_broker_default(tmp_path: Path) -> None:
    forever = {"artifact": "topics_describe",
               "replace": ["PartitionCount: 3\tReplicationFactor: 3\tConfigs: \n",
                           "PartitionCount: 3\tReplicationFactor: 3\tConfigs: retention.ms=-1\n"]}
    topics = {t["name"]: t for t in _facts({"base": "kraft3", "patches": [forever]}, tmp_path).cluster["topics"]}
    audit = topics["audit"]
    assert (audit["retention_ms"], audit["retention_bytes"], audit["cleanup_policy"]) == (-1, -1, ["delete"])
    assert topics["orders"]["retention_ms"] == 168 * 3_600_000  # log.retention.hours=168 of the brokers
    assert topics["__consumer_offsets"]["cleanup_policy"] == ["compact"]


def test_consumer_group_states_unknown_without_the_state_output(tmp_path: Path) -> None:
    assert _facts({"base": "kraft3"}, tmp_path / "a").cluster["consumer_group_states"] == {"billing": "Stable"}
    failed = {"artifact": "consumer_groups_state", "status": "failed", "error": "TimeoutException"}
    cluster = _facts({"base": "kraft3", "patches": [failed]}, tmp_path / "b").cluster
    assert cluster["consumer_group_states"] is None
    assert cluster["unavailable"]["consumer_group_states"] == ("not collected: consumer_groups_state failed: "
                                                                "TimeoutException")


def test_data_sizes_and_their_mean(tmp_path: Path) -> None:
    spec = cluster_spec()
    for i, host in enumerate(spec["hosts"].values(), start=1):
        for artifact in host["artifacts"]:
            if artifact["name"] == "log_dir_usage":
                artifact["content"] = (f'[{{"dir": "/a", "kbytes": {i * 100}, "partitions": 1}}, '
                                       '{"dir": "/b", "kbytes": 1, "partitions": 0}]\n')
    facts = build_facts(load_snapshot(materialize(spec, tmp_path / "s")))
    assert [n["data_kbytes"] for n in facts.nodes] == [101, 201, 301]
    assert facts.cluster["broker_data_kbytes_mean"] == 201
