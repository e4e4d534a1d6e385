"""Log facts (kafkapilot/facts/logs.py): what the deterministic log checks read, from real Kafka line formats."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.facts import build_facts
from kafkapilot.facts.logs import EXAMPLE_CHARS, EXAMPLES_PER_PATTERN, classify, max_in_window
from kafkapilot.facts.model import AuthFailureClient, BrokerLogErrors, InvalidReceiveSize, IsrPartition, MissingLogFile
from kafkapilot.findings import Status
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec

SERVER = "/var/log/kafka/server.log"


def _log(path: str, content: str, **fields: Any) -> dict[str, Any]:
    return {"name": "log_file", "instance": "kafka", "key": path, "source": path, "content": content, **fields}


def _facts(tmp_path: Path, logs: dict[str, list[dict[str, Any]]], base: str = "kraft3"):  # noqa: ANN202
    hosts = {host: {"artifacts": artifacts} for host, artifacts in logs.items()}
    return build_facts(load_snapshot(materialize(fixture_spec({"base": base, "hosts": hosts}), tmp_path / "snapshot")))


def _node_logs(tmp_path: Path, content: str, *more: dict[str, Any]) -> dict[str, Any]:
    facts = _facts(tmp_path, {"kafka-1": [_log(SERVER, content), *more]})
    return facts.nodes[0]["logs"]


def _isr(stamp: str, partition: str, text: str) -> str:
    return f"[2026-11-26 {stamp},100] INFO [Partition {partition} broker=1] {text} (kafka.cluster.Partition)\n"


def test_isr_cycles_per_partition_from_kafka_4_lines(tmp_path: Path) -> None:
    lines = ""
    for minute in ("10", "25", "40"):  # three cycles within one hour: shrink, its update, the expansion
        lines += _isr(f"12:{minute}:00", "orders-0", "Shrinking ISR from 1,2,3 to 1,2. Leader: (highWatermark: 5, "
                      "endOffset: 9). Out of sync replicas: (brokerId: 3, endOffset: 5, lastCaughtUpTimeMs: 1).")
        lines += _isr(f"12:{minute}:01", "orders-0", "ISR updated to 1,2  and version updated to 4")
        lines += _isr(f"12:{minute}:30", "orders-0", "ISR updated to 1,2,3  and version updated to 5")
    lines += _isr("13:00:00", "audit-2", "Shrinking ISR from 1,2 to 1. Leader: (highWatermark: 5, endOffset: 9). "
                  "Out of sync replicas: (brokerId: 2, endOffset: 5, lastCaughtUpTimeMs: 1).")
    lines += _isr("13:00:01", "audit-2", "ISR updated to 1 (under-min-isr) and version updated to 8")
    logs = _node_logs(tmp_path, lines)
    orders, audit = logs["isr_partitions"]
    assert orders == IsrPartition(
        partition="orders-0", topic="orders", index=0, shrinks=3, expands=3, cycles=3,
        max_cycles_per_hour=3, min_isr_size=2, under_min_isr=False, dropped_brokers=[3],
        file=SERVER, first="2026-11-26 12:10:00,100", last="2026-11-26 12:40:30,100",
    )
    assert (audit["partition"], audit["cycles"], audit["min_isr_size"], audit["under_min_isr"]) == (
        "audit-2", 0, 1, True)
    assert logs["isr_partition_count"] == 2
    assert (logs["patterns"]["isr_shrink"], logs["patterns"]["isr_expand"]) == (4, 3)
    assert logs["examples"]["isr_expand"][0]["line"].endswith(
        "ISR updated to 1,2,3  and version updated to 5 (kafka.cluster.Partition)")


def test_isr_expansion_after_a_new_leader_and_old_formats(tmp_path: Path) -> None:
    leader = ("[2026-11-26 09:00:00,000] INFO [Broker id=1] Leader payments-1 with topic id Some(AJUAk) starts at "
              "leader epoch 3 from offset 0 with partition epoch 5, high watermark 0, ISR [1,2], adding replicas [] "
              "and removing replicas [] . Previous leader Some(2) and previous leader epoch was 2. "
              "(state.change.logger)\n")
    server = (
        # grows the ISR the leader started with
        _isr("09:30:00", "payments-1", "ISR updated to 1,2,3  and version updated to 6")
        + "[2026-11-26 10:00:00,000] INFO Partition [legacy,0] on broker 1: Shrinking ISR from 1,2,3 to 1,2 "
        "(kafka.cluster.Partition)\n"
        + "[2026-11-26 12:00:00,000] INFO Partition [legacy,0] on broker 1: Expanding ISR from 1,2 to 1,2,3 "
        "(kafka.cluster.Partition)\n"
    )
    logs = _node_logs(tmp_path, server, _log("/var/log/kafka/state-change.log", leader))
    rows = {p["partition"]: p for p in logs["isr_partitions"]}
    assert (rows["payments-1"]["expands"], rows["payments-1"]["shrinks"], rows["payments-1"]["cycles"]) == (1, 0, 0)
    assert (rows["legacy-0"]["cycles"], rows["legacy-0"]["max_cycles_per_hour"]) == (1, 1)
    assert logs["patterns"]["isr_expand"] == 1  # the one "Expanding ISR from" line


def test_max_in_window() -> None:
    start = datetime(2026, 11, 26, 12)
    times = [start + timedelta(minutes=m) for m in (0, 20, 59, 61, 200)]
    assert max_in_window(times) == 3
    assert max_in_window([]) == 0


def test_unclean_election_only_from_the_election_lines(tmp_path: Path) -> None:
    quiet = (
        "[2026-11-26 09:12:01,733] INFO KafkaConfig values: \n"
        "\tunclean.leader.election.enable = false\n"
        "\tunclean.leader.election.interval.ms = 300000\n"
        " (org.apache.kafka.common.config.AbstractConfig)\n"
        "[2026-11-26 09:12:04,512] INFO [QuorumController id=1] Registering periodic task electUnclean to run "
        "every 300000 ms (org.apache.kafka.controller.PeriodicTaskControlManager)\n"
    )
    assert _node_logs(tmp_path / "quiet", quiet)["patterns"]["unclean_election"] == 0
    assert classify(
        "[2026-11-26 12:47:19,003] INFO Setting new leader for topicId tLk2J0YwQ1eW9yq7m3Xy2g, partition 4 "
        "to 3 using an unclean election (org.apache.kafka.controller.PartitionChangeBuilder)") == "unclean_election"
    assert classify(
        "WARN No broker in ISR is alive for [orders,1]. Elect leader 3 from live brokers 3. "
        "There's potential data loss. (kafka.controller.OfflinePartitionLeaderSelector)") == "unclean_election"


def test_authorizer_lines_of_both_authorizers() -> None:
    kraft = ("INFO Principal = User:CN=app is Denied operation = READ from host = 10.0.0.5 on resource = "
             "Topic:LITERAL:orders for request = Fetch with resourceRefCount = 1 based on rule DefaultDeny "
             "(kafka.authorizer.logger)")
    zookeeper = ("INFO Principal = User:app is Denied Operation = Read from host = 10.0.0.5 on resource = "
                 "Topic:LITERAL:orders")
    assert classify(kraft) == classify(zookeeper) == "authorization_denied"
    assert classify(
        "INFO [KafkaRaftServer nodeId=1] Kafka Server started (kafka.server.KafkaRaftServer)") == "server_started"
    assert classify("INFO [KafkaServer id=1] started (kafka.server.KafkaServer)") == "server_started"
    assert classify("INFO [BrokerServer id=1] Transition from STARTING to STARTED (kafka.server.BrokerServer)") is None


def test_examples_are_bounded_and_keep_the_line_they_continue(tmp_path: Path) -> None:
    event = ("[2026-11-26 12:{m:02d}:09,020] ERROR [KafkaApi-1] Unexpected error handling request " + "x" * 400
             + " (kafka.server.KafkaApis)\njava.lang.OutOfMemoryError: {kind}\n"
             "\tat java.base/java.nio.HeapByteBuffer.<init>(HeapByteBuffer.java:64)\n")
    content = "".join(event.format(m=m, kind="Java heap space" if m < 4 else "Map failed") for m in range(5))
    logs = _node_logs(tmp_path, content)
    assert logs["patterns"]["oom"] == 5
    assert logs["oom_types"] == {"Java heap space": 4, "Map failed": 1}
    assert logs["pattern_files"]["oom"] == {SERVER: 5}
    assert len(logs["examples"]["oom"]) == EXAMPLES_PER_PATTERN
    first = logs["examples"]["oom"][0]
    assert (first["file"], first["timestamp"], first["line"]) == (SERVER, "2026-11-26 12:00:09,020",
                                                                  "java.lang.OutOfMemoryError: Java heap space")
    assert first["head"].startswith("[2026-11-26 12:00:09,020] ERROR [KafkaApi-1]")
    assert len(first["head"]) == EXAMPLE_CHARS
    assert logs["errors"] == 5 and logs["examples"]["too_many_open_files"] == []


def test_an_event_repeated_in_kafka_server_out_counts_once(tmp_path: Path) -> None:
    event = ("[2026-11-26 12:20:44,902] ERROR Error while accepting connection (kafka.network.DataPlaneAcceptor)\n"
             "java.io.IOException: Too many open files\n")
    logs = _node_logs(tmp_path, event, _log("/var/log/kafka/kafkaServer.out", "Kafka starting\n" + event))
    assert logs["patterns"]["too_many_open_files"] == 1
    assert logs["levels"]["ERROR"] == 1


def test_groups_request_sizes_and_clients(tmp_path: Path) -> None:
    rebalance = ("[2026-11-26 12:{m:02d}:00,000] INFO [GroupCoordinator 1]: Preparing to rebalance group {g} in state "
                 "PreparingRebalance with old generation {m} (__consumer_offsets-9) (reason: Removing member x on "
                 "heartbeat expiration) (kafka.coordinator.group.GroupCoordinator)\n")
    receive = ("[2026-11-26 13:00:0{n},000] WARN [SocketServer listenerType=BROKER, nodeId=1] Unexpected error from "
               "/10.0.0.9 (channelId=a); closing connection (org.apache.kafka.common.network.Selector)\n"
               "org.apache.kafka.common.network.InvalidReceiveException: Invalid receive "
               "(size = {size} larger than 104857600)\n")
    auth = ("[2026-11-26 13:10:0{n},000] INFO [SocketServer listenerType=BROKER, nodeId=1] Failed authentication with "
            "/10.0.0.{n} (channelId=b) (SSL handshake failed) (org.apache.kafka.common.network.Selector)\n")
    content = (
        "".join(rebalance.format(m=m, g="settlement") for m in range(0, 60, 5))
        + rebalance.format(m=1, g="billing")
        + "".join(receive.format(n=n, size=size)
                  for n, size in enumerate((1195725856, 1195725856, 369296129, 209715300)))
        + "".join(auth.format(n=n) for n in (7, 7, 8))
    )
    logs = _node_logs(tmp_path, content)
    assert [(g["group"], g["count"], g["max_per_hour"]) for g in logs["rebalance_groups"]] == [("settlement", 12, 12),
                                                                                                ("billing", 1, 1)]
    assert logs.invalid_receive_sizes == [
        InvalidReceiveSize(size=1195725856, count=2, looks_like="an HTTP request (GET)"),
        InvalidReceiveSize(size=369296129, count=1,
                           looks_like="a TLS handshake (a TLS client on a plaintext listener)"),
        InvalidReceiveSize(size=209715300, count=1, looks_like=None),
    ]
    assert logs["invalid_receive_limit"] == 104857600
    assert logs.auth_failure_clients == [AuthFailureClient(client="10.0.0.7", count=2),
                                         AuthFailureClient(client="10.0.0.8", count=1)]


def test_a_denied_log_file_is_listed_and_all_denied_is_a_reason(tmp_path: Path) -> None:
    denied = _log("/var/log/kafka/controller.log", None, status="denied", error="permission denied")
    logs = _node_logs(tmp_path / "some", "[2026-11-26 12:00:00,000] INFO ok (x)\n", denied)
    assert logs.missing_files == [MissingLogFile(path="/var/log/kafka/controller.log",
                                                 reason="not collected: log_file denied: permission denied")]
    facts = _facts(tmp_path / "all", {"kafka-1": [{**denied, "key": SERVER, "source": SERVER}]})
    assert facts.nodes[0]["logs"] is None
    assert facts.nodes[0]["unavailable"]["logs"] == "not collected: log_file denied: permission denied"


def test_cluster_totals_and_the_error_median(tmp_path: Path) -> None:
    error = ("[2026-11-26 12:00:0{n},000] ERROR [ReplicaFetcher replicaId=3, leaderId=1, fetcherId=0] "
             "Error sending fetch request (x)\n")
    election = ("[2026-11-26 09:12:05,926] INFO [QuorumController id={i}] Becoming the active controller at epoch {i}, "
                "next write offset 1. (org.apache.kafka.controller.QuorumController)\n")
    facts = _facts(tmp_path, {
        "kafka-1": [_log(SERVER, election.format(i=1))],
        "kafka-2": [_log(SERVER, election.format(i=2) + error.format(n=1))],
        "kafka-3": [_log(SERVER, "".join(error.format(n=n) for n in range(9)))],
    })
    cluster = facts.cluster
    assert cluster["log_pattern_totals"]["controller_failover"] == 2
    assert cluster.broker_log_errors == [BrokerLogErrors(label="kafka-1", errors=0),
                                         BrokerLogErrors(label="kafka-2", errors=1),
                                         BrokerLogErrors(label="kafka-3", errors=9)]
    assert cluster["broker_log_errors_median"] == 1.0


def test_without_logs_the_log_checks_are_skipped_with_the_reason(tmp_path: Path) -> None:
    facts_dir = materialize(fixture_spec({"base": "kraft3"}), tmp_path / "snapshot")
    facts = build_facts(load_snapshot(facts_dir))
    assert facts.cluster["log_pattern_totals"] is None
    assert facts.cluster["unavailable"]["log_pattern_totals"] == ("not collected: no Kafka node's log_file "
                                                                  "is in the snapshot")
    catalog = load_catalog(default_tasks_dir())
    ids = tuple(t.id for t in catalog.tasks
                if t.category == "logs" and not t.needs_llm and t.id != "log_zookeeper_session_expired")
    report = analyse(facts_dir, catalog, Selection(task_ids=ids), EngineOptions())
    assert len(report.findings) == len(ids) == 13
    for finding in report.findings:
        assert finding.status is Status.SKIPPED, finding.task_id
        assert "not collected: log_file is not in the snapshot" in finding.summary, finding.summary
