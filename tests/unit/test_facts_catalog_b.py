"""Facts added for the second batch of catalog checks: sysctl numbers, partition sizes, idle
members, topic name collisions, the KRaft metadata dir and GC pauses (docs/facts.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kafkapilot.facts import build_facts
from kafkapilot.facts.gc import percentile
from kafkapilot.facts.model import DynamicOverride, GcFile, GcLongest, PartitionSize
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec


def _facts(fixture: dict[str, Any], tmp_path: Path):  # noqa: ANN202
    return build_facts(load_snapshot(materialize(fixture_spec(fixture), tmp_path / "snapshot")))


def _topic(name: str, topic_id: int) -> str:
    return (
        f"Topic: {name}\tTopicId: {topic_id:03d}AbCdEfGhIjKlMnOpQr\tPartitionCount: 1\tReplicationFactor: 3\t"
        "Configs: \n"
        f"\tTopic: {name}\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\tElr: \tLastKnownElr: \n"
    )


def test_sysctl_numbers_of_the_host(tmp_path: Path) -> None:
    patches = [{"host": "kafka-1", "artifact": "sysctl", "delete_lines": "^net\\.core\\.rmem_max"}]
    hosts = {h["name"]: h for h in _facts({"patches": patches}, tmp_path).hosts}
    assert (hosts["kafka-2"]["vm_dirty_ratio"], hosts["kafka-2"]["vm_dirty_background_ratio"]) == (60, 5)
    assert (hosts["kafka-2"]["net_core_rmem_max"], hosts["kafka-2"]["net_core_wmem_max"]) == (4194304, 4194304)
    assert hosts["kafka-1"]["net_core_rmem_max"] is None
    assert hosts["kafka-1"]["unavailable"]["net_core_rmem_max"] == "unknown: sysctl did not report net.core.rmem_max"


def test_partition_sizes_keep_the_largest_replica(tmp_path: Path) -> None:
    grown = {"artifact": "log_dirs",
             "replace": ['"partition":"orders-0","size":3221225472,', '"partition":"orders-0","size":5,']}
    sizes = _facts({"patches": [grown]}, tmp_path).cluster["partition_sizes"]
    assert len(sizes) == 71
    assert sizes[0]["bytes"] >= sizes[-1]["bytes"]
    orders_0 = next(s for s in sizes if s["name"] == "orders-0")
    assert orders_0 == PartitionSize(name="orders-0", topic="orders", partition=0, bytes=5, broker=1,
                                     dir="/var/lib/kafka/data", replicas=3)
    assert [s.name for s in sizes.larger_than(3221225471)] == [s.name for s in sizes if s.bytes > 3221225471]
    offsets = next(s for s in sizes if s["name"] == "__consumer_offsets-7")
    assert (offsets["topic"], offsets["partition"]) == ("__consumer_offsets", 7)


def test_partition_sizes_unknown_without_log_dirs(tmp_path: Path) -> None:
    failed = {"artifact": "log_dirs", "status": "failed", "error": "TimeoutException"}
    cluster = _facts({"patches": [failed]}, tmp_path).cluster
    assert cluster["partition_sizes"] is None
    assert cluster["unavailable"]["partition_sizes"] == "not collected: log_dirs failed: TimeoutException"


def test_assigned_members_count_consumers_that_own_partitions(tmp_path: Path) -> None:
    rows = (
        "\nGROUP  TOPIC  PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID  HOST  CLIENT-ID\n"
        "etl    audit  0          5               5               0    etl-1-aa     /h1   etl-1\n"
        "etl    audit  1          5               5               0    etl-1-aa     /h1   etl-1\n"
        "etl    audit  2          5               5               0    etl-2-bb     /h2   etl-2\n"
        "etl    -      -          -               -               -    etl-3-cc     /h3   etl-3\n"
    )
    cluster = _facts({"patches": [{"artifact": "consumer_groups", "append": rows}]}, tmp_path).cluster
    groups = {g["group"]: g for g in cluster["consumer_groups"]}
    assert groups["etl"]["assigned_members"] == 2  # the Scala tool's row for a member without partitions does not count
    assert groups["billing"]["assigned_members"] == 1


def test_topic_name_collisions(tmp_path: Path) -> None:
    extra = (_topic("orders.eu", 101) + _topic("orders_eu", 102) + _topic("orders-eu", 103)
             + _topic("a.b_c", 104) + _topic("a_b.c", 105))
    cluster = _facts({"patches": [{"artifact": "topics_describe", "append": extra}]}, tmp_path).cluster
    topics = {t["name"]: t for t in cluster["topics"]}
    assert topics["orders.eu"]["name_collisions"] == ["orders_eu"]
    assert topics["orders_eu"]["name_collisions"] == ["orders.eu"]
    assert topics["orders-eu"]["name_collisions"] == []
    assert topics["a.b_c"]["name_collisions"] == ["a_b.c"]
    assert topics["orders"]["name_collisions"] == []


def test_metadata_dir_df(tmp_path: Path) -> None:
    facts = _facts({}, tmp_path / "a")
    meta = facts.nodes[0]["metadata_dir_df"]
    assert (meta["dir"], meta["role"], meta["mountpoint"], meta["in_data_dir"], meta["shares_data_filesystem"]) == (
        "/var/lib/kafka/meta", "metadata", "/var/lib/kafka", False, True)
    unset = {"host": "*", "artifact": "server_properties", "delete_lines": "^metadata\\.log\\.dir="}
    meta = _facts({"patches": [unset]}, tmp_path / "b").nodes[0]["metadata_dir_df"]
    assert (meta["dir"], meta["role"], meta["in_data_dir"], meta["shares_data_filesystem"]) == (
        "/var/lib/kafka/data", "data", True, True)
    own = [{"host": "kafka-1", "artifact": "server_properties",
            "replace": ["metadata.log.dir=/var/lib/kafka/meta", "metadata.log.dir=/meta"]},
           {"host": "kafka-1", "artifact": "df",
            "append": "/dev/nvme2n1   xfs  20971520  524288  20447232  3% /meta\n"}]
    meta = _facts({"patches": own}, tmp_path / "c").nodes[0]["metadata_dir_df"]
    assert (meta["mountpoint"], meta["total"], meta["shares_data_filesystem"]) == ("/meta", 20971520, False)
    no_df = {"host": "kafka-1", "artifact": "df", "status": "denied", "error": "permission denied"}
    node = _facts({"patches": [no_df]}, tmp_path / "d").nodes[0]
    assert node["metadata_dir_df"] is None
    assert node["unavailable"]["metadata_dir_df"] == "not collected: df denied: permission denied"


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 201)]
    assert percentile(values, 0.99) == 198.0
    assert percentile([5.0, 1.0, 3.0], 0.99) == 5.0
    assert percentile([], 0.99) is None


def test_gc_pauses_of_the_healthy_base(tmp_path: Path) -> None:
    gc = _facts({}, tmp_path).nodes[0]["gc_pauses"]
    assert gc["count"] == 122  # 120 young pauses, one remark, one cleanup
    assert (gc["full_gcs"], gc["evacuation_failures"]) == (0, 0)
    assert 4 <= gc["p99_ms"] <= gc["max_ms"] < 25
    assert gc["longest"]["kind"] == "Pause Young (Normal) (G1 Evacuation Pause)"
    assert gc.files == [GcFile(path="/var/log/kafka/kafkaServer-gc.log", lines=365, pauses=122, truncated=False)]
    assert (gc["first_time"], gc["last_time"]) == ("2026-11-26T09:12:03.101+0000", "2026-11-26T13:20:00.310+0000")


def test_gc_pauses_count_full_gcs_and_evacuation_failures(tmp_path: Path) -> None:
    bad = ("[2026-11-26T13:25:10.450+0000][gc] GC(122) To-space exhausted\n"
           "[2026-11-26T13:25:12.301+0000][gc] GC(123) Pause Full (G1 Compaction Pause) "
           "6100M->4800M(6144M) 1840.377ms\n")
    gc = _facts({"patches": [{"host": "kafka-2", "artifact": "gc_log", "append": bad}]}, tmp_path).nodes[1]["gc_pauses"]
    assert (gc["full_gcs"], gc["evacuation_failures"], gc["max_ms"]) == (1, 1, 1840.377)
    assert gc.longest == GcLongest(gc_id=123, kind="Pause Full (G1 Compaction Pause)", ms=1840.377,
                                   time="2026-11-26T13:25:12.301+0000", file="/var/log/kafka/kafkaServer-gc.log")


def test_gc_pauses_unknown_gives_reasons(tmp_path: Path) -> None:
    patches = [
        {"host": "kafka-1", "artifact": "gc_log", "status": "denied", "error": "permission denied"},
        {"host": "kafka-2", "artifact": "gc_log",
         "content": "2026-11-26T10:00:00.123+0000: 1.2: [GC pause (young), 0.01 secs]\n"},
        {"host": "kafka-3", "artifact": "gc_log", "content": ""},
    ]
    nodes = _facts({"patches": patches}, tmp_path).nodes
    assert [n["gc_pauses"] for n in nodes] == [None, None, None]
    assert nodes[0]["unavailable"]["gc_pauses"] == "not collected: gc_log denied: permission denied"
    assert nodes[1]["unavailable"]["gc_pauses"].startswith("could not parse gc_log /var/log/kafka/kafkaServer-gc.log: ")
    assert nodes[2]["unavailable"]["gc_pauses"] == "unknown: the collected GC log is empty"


def test_gc_pauses_without_gc_logging(tmp_path: Path) -> None:
    patches = [
        {"host": "kafka-1", "artifact": "process_cmdline",
         "replace": ["-Xlog:gc*:file=/var/log/kafka/kafkaServer-gc.log:time,tags:filecount=10,filesize=100M\n", ""]},
        {"host": "kafka-1", "artifact": "gc_log", "status": "missing"},
    ]
    spec = fixture_spec({"patches": patches})
    spec["hosts"]["kafka-1"]["artifacts"] = [a for a in spec["hosts"]["kafka-1"]["artifacts"] if a["name"] != "gc_log"]
    node = build_facts(load_snapshot(materialize(spec, tmp_path / "s"))).nodes[0]
    assert node["gc_pauses"] is None
    assert node["unavailable"]["gc_pauses"].startswith("unknown: the JVM writes no GC log")


_BROKER_CONFIGS = (
    "All configs for broker 1 are:\n"
    "  min.insync.replicas=1 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:min.insync.replicas=1, "
    "DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=2, STATIC_BROKER_CONFIG:min.insync.replicas=2, "
    "DEFAULT_CONFIG:min.insync.replicas=1}\n"
    "  log.cleaner.threads=4 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.cleaner.threads=4, "
    "DEFAULT_CONFIG:log.cleaner.threads=1}\n"
    "  num.io.threads=8 sensitive=false synonyms={STATIC_BROKER_CONFIG:num.io.threads=8, "
    "DEFAULT_CONFIG:num.io.threads=8}\n"
    "  listener.name.client.ssl.keystore.password=null sensitive=true "
    "synonyms={DYNAMIC_BROKER_CONFIG:listener.name.client.ssl.keystore.password=null}\n"
    "All configs for broker 2 are:\n"
    "  num.io.threads=8 sensitive=false synonyms={STATIC_BROKER_CONFIG:num.io.threads=8, "
    "DEFAULT_CONFIG:num.io.threads=8}\n"
)


def test_dynamic_overrides_name_the_value_without_them(tmp_path: Path) -> None:
    nodes = _facts({"patches": [{"artifact": "broker_configs", "content": _BROKER_CONFIGS}]}, tmp_path).nodes
    assert nodes[0].dynamic_overrides == [
        DynamicOverride(key="log.cleaner.threads", value="4", source="DYNAMIC_DEFAULT_BROKER_CONFIG",
                        static_source="DEFAULT_CONFIG", static_key="log.cleaner.threads", static_value="1"),
        DynamicOverride(key="min.insync.replicas", value="1", source="DYNAMIC_BROKER_CONFIG",
                        static_source="STATIC_BROKER_CONFIG", static_key="min.insync.replicas", static_value="2"),
    ]
    assert nodes[1]["dynamic_overrides"] == []
    assert nodes[2]["dynamic_overrides"] is None
    assert nodes[2]["unavailable"]["dynamic_overrides"] == (
        "not collected: kafka-configs --describe --entity-type brokers did not describe node 3")


def test_dynamic_overrides_unknown_without_broker_configs(tmp_path: Path) -> None:
    node = _facts({}, tmp_path).nodes[0]
    assert node["dynamic_overrides"] is None
    assert node["unavailable"]["dynamic_overrides"] == "not collected: broker_configs is not in the snapshot"
