"""node.jvm as the JVM applies its options (@argfiles, -XX:Flags= files), the effective heap sizes, and
node.zookeeper_connect_hosts (each broker's own ZooKeeper servers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kafkapilot.facts import build_facts
from kafkapilot.facts.nodes import zookeeper_connect_hosts
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec

GIB = 1 << 30
CMDLINE = ("/usr/lib/jvm/java-17-openjdk-amd64/bin/java\n{options}\n-cp\n/opt/kafka/libs/*\nkafka.Kafka\n"
           "/etc/kafka/server.properties\n")


def _node(fixture: dict[str, Any], tmp_path: Path, host: str = "kafka-1"):  # noqa: ANN202
    facts = build_facts(load_snapshot(materialize(fixture_spec(fixture), tmp_path / "snapshot")))
    return next(n for n in facts.nodes if n.host == host)


def _options_file(path: str, **fields: Any) -> dict[str, Any]:
    return {"name": "jvm_options", "instance": "kafka", "key": path, "source": path, **fields}


def _with_files(options: str, *files: dict[str, Any]) -> dict[str, Any]:
    return {
        "base": "kraft3",
        "patches": [{"host": "kafka-1", "artifact": "process_cmdline", "content": CMDLINE.format(options=options)}],
        "hosts": {"kafka-1": {"artifacts": list(files)}},
    }


def test_argfile_options_are_the_jvms_in_command_line_order(tmp_path: Path) -> None:
    fixture = _with_files(
        "-Xms1g\n@/etc/kafka/jvm.options\n-XX:+UseParallelGC",
        _options_file("/etc/kafka/jvm.options",
                      content="-Xms6g -Xmx6g -XX:+UseG1GC\n-Xlog:gc*:file=/var/log/kafka/gc.log\n"
                              "-Dkafka.logs.dir=/var/log/kafka -XX:+ExitOnOutOfMemoryError\n"),
    )
    jvm = _node(fixture, tmp_path).jvm
    assert (jvm.xms_bytes, jvm.xmx_bytes) == (6 * GIB, 6 * GIB)  # the file's -Xms6g comes after -Xms1g
    assert jvm.gc == "Parallel"  # the command line's flag after the file wins
    assert jvm.gc_logging is True and jvm.gc_log_path == "/var/log/kafka/gc.log"
    assert jvm.system_properties["kafka.logs.dir"] == "/var/log/kafka"
    assert jvm.xx_options["ExitOnOutOfMemoryError"] is True
    assert jvm.main_class == "kafka.Kafka"


def test_relative_argfile_and_flags_file(tmp_path: Path) -> None:
    fixture = _with_files(
        "@config/jvm.options\n-XX:Flags=/etc/kafka/hotspot.flags\n-Xmx6g",
        _options_file("/opt/kafka/config/jvm.options", content="-Xms2g"),
        _options_file("/etc/kafka/hotspot.flags", content="MaxHeapSize=1g\n+HeapDumpOnOutOfMemoryError\n"),
    )
    node = _node(fixture, tmp_path)
    assert (node.jvm.xms_bytes, node.jvm.xmx_bytes) == (2 * GIB, 6 * GIB)  # -Xmx6g overrides the flags file
    assert node.jvm.xx_options["HeapDumpOnOutOfMemoryError"] is True
    assert node.sources["jvm_options"] in {"/opt/kafka/config/jvm.options", "/etc/kafka/hotspot.flags"}


def test_an_options_file_not_in_the_snapshot_makes_the_jvm_unknown(tmp_path: Path) -> None:
    denied = _node(_with_files("@/etc/kafka/jvm.options",
                               _options_file("/etc/kafka/jvm.options", status="denied", error="permission denied")),
                   tmp_path)
    assert denied.jvm is None
    assert denied.unavailable["jvm"] == ("not collected: jvm_options /etc/kafka/jvm.options denied: permission denied "
                                         "(JVM options file on the command line)")
    absent = _node(_with_files("-Xms6g\n-XX:Flags=/etc/kafka/hotspot.flags"), tmp_path / "absent")
    assert absent.jvm is None
    assert absent.unavailable["jvm"].startswith("not collected: jvm_options /etc/kafka/hotspot.flags "
                                                "is not in the snapshot")


def test_heap_sizes_of_the_node(tmp_path: Path) -> None:
    base = _node({"base": "kraft3"}, tmp_path)
    assert (base.jvm.heap_initial_bytes, base.jvm.heap_max_bytes) == (6 * GIB, 6 * GIB)
    fixture = {
        "base": "kraft3",
        "patches": [
            {"host": "*", "artifact": "process_cmdline", "replace": ["-Xms6g\n-Xmx6g\n", "-XX:MaxRAMPercentage=25\n"]},
            {"host": "kafka-2", "artifact": "meminfo", "status": "denied", "error": "permission denied"},
        ],
    }
    sized = _node(fixture, tmp_path / "sized")
    assert (sized.jvm.heap_initial_bytes, sized.jvm.heap_max_bytes) == (GIB // 2, 8 * GIB)  # of MemTotal 32 GiB
    unknown = _node(fixture, tmp_path / "unknown", host="kafka-2")
    assert unknown.jvm.heap_max_bytes is None
    assert unknown.unavailable["heap_max_bytes"] == (
        "not collected: meminfo denied: permission denied (the heap is sized from the host's memory)"
    )


def test_zookeeper_connect_hosts() -> None:
    assert zookeeper_connect_hosts("zk-1:2181,zk-2:2181,zk-3:2181/kafka") == ["zk-1:2181", "zk-2:2181", "zk-3:2181"]
    assert zookeeper_connect_hosts(" ZK-1 , zk-1:2181,zk-2:2182 ") == ["zk-1:2181", "zk-2:2182"]
    assert zookeeper_connect_hosts("[::1]:2181,[fe80::1]/chroot/a") == ["[::1]:2181", "[fe80::1]:2181"]
    assert zookeeper_connect_hosts("") == []


def test_ensemble_written_two_ways_is_three_servers_per_broker(tmp_path: Path) -> None:
    fqdn = "zk-1.example.internal:2181,zk-2.example.internal:2181,zk-3.example.internal:2181/kafka"
    fixture = {"base": "zk3", "patches": [{"host": "kafka-3", "artifact": "server_properties",
                                           "replace": ["zk-1:2181,zk-2:2181,zk-3:2181/kafka", fqdn]}]}
    facts = build_facts(load_snapshot(materialize(fixture_spec(fixture), tmp_path / "snapshot")))
    assert {n.host: len(n.zookeeper_connect_hosts) for n in facts.brokers} == {"kafka-1": 3, "kafka-2": 3, "kafka-3": 3}
    assert len(facts.cluster.zookeeper_connect_hosts) == 6  # the union (for the LLM's anonymiser), not an ensemble
    kraft = _node({"base": "kraft3"}, tmp_path / "kraft")
    assert kraft.zookeeper_connect_hosts is None
    assert kraft.unavailable["zookeeper_connect_hosts"] == "zookeeper.connect is not set"
