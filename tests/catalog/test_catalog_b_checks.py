"""Second cases for the second batch of catalog checks: escalations, parameters, other triggers,
cases that must stay quiet, and data not collected. Fixtures in the format of
tests/fixtures/tasks/*/fires.yaml, written inline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kafkapilot.analysis import Selection, analyse
from kafkapilot.engine import EngineOptions
from kafkapilot.findings import Finding, Severity, Status
from kafkapilot.snapshot.write import materialize
from tests.catalog.inline import CATALOG, SERVER
from tests.factory.fixtures import fixture_spec


def _run(task_id: str, fixture: dict[str, Any], tmp_path: Path, params: dict[str, Any] | None = None) -> Finding:
    snapshot = materialize(fixture_spec(fixture), tmp_path / "snapshot")
    options = EngineOptions(param_overrides={task_id: params} if params else {})
    (finding,) = analyse(snapshot, CATALOG, Selection(task_ids=(task_id,)), options).findings
    return finding


def _all(artifact: str, old: str, new: str, host: str = "*") -> dict[str, Any]:
    return {"host": host, "artifact": artifact, "replace": [old, new]}


def _gc(host: str, text: str) -> dict[str, Any]:
    return {"host": host, "artifact": "gc_log", "append": text}


_FULL_GCS = "".join(
    f"[2026-11-26T13:3{n}:00.000+0000][gc          ] GC({200 + n}) Pause Full (G1 Compaction Pause) 6000M->5000M(6144M) 420.5ms\n"
    for n in range(3)
)
_EVACUATION_FAILURE = "[2026-11-26T13:40:00.000+0000][gc          ] GC(300) To-space exhausted\n"
_SHORT_SLOW_LOG = "".join(
    f"[2026-11-26T13:0{n}:00.000+0000][gc          ] GC({n}) Pause Young (Normal) (G1 Evacuation Pause) 900M->300M(1024M) 350.0ms\n"
    for n in range(10)
)

FIRES: list[tuple[str, dict[str, Any], dict[str, Any] | None, Severity, str]] = [
    ("huge_partition", {"patches": [{"artifact": "log_dirs", "replace": ['"partition":"orders-0","size":3221225472,',
                                                                        '"partition":"orders-0","size":2199023255552,']}]},
     None, Severity.MEDIUM, "Partition orders-0 holds 2 TiB"),
    ("partitions_per_cluster", {}, {"max_partitions_per_cluster": 50}, Severity.MEDIUM,
     "The cluster has 71 partitions over 4 topics, above the recommended 50"),
    ("jvm_gc_heap_full", {"patches": [_gc("kafka-3", _FULL_GCS)]}, None, Severity.MEDIUM,
     "kafka-3: 3 full garbage collection(s) (Pause Full)"),
    ("jvm_gc_heap_full", {"patches": [_gc("kafka-3", _EVACUATION_FAILURE)]}, None, Severity.MEDIUM,
     "kafka-3: 1 G1 evacuation failure(s) (to-space exhausted)"),
    ("kraft_metadata_dir", {}, None, Severity.INFO,
     "kafka-1 (node id 1): metadata.log.dir /var/lib/kafka/meta is on the filesystem /var/lib/kafka of the data dir(s) /var/lib/kafka/data"),
    ("kraft_controller_memory_low", {"base": "kraft3-controllers3", "patches": [
        _all("meminfo", "MemTotal:       33554432 kB", "MemTotal:       4194304 kB", "controller-1")]},
     None, Severity.INFO, "controller-1 (node id 101): dedicated controller on a host with 4 GiB of memory"),
    ("kraft_controller_metadata_disk_small", {"base": "kraft3-controllers3", "patches": [
        _all("df", "1048576000 314572800 733003200", "4194304 314572 3879732", "controller-2")]},
     None, Severity.INFO, "controller-2 (node id 102): dedicated controller whose metadata dir /var/lib/kafka/meta is on a filesystem of 4 GiB"),
    ("socket_buffers_above_kernel_max", {"patches": [{"host": "kafka-2", "artifact": SERVER,
                                                      "append": "replica.socket.receive.buffer.bytes=16777216\n"}]},
     None, Severity.INFO, "kafka-2: replica.socket.receive.buffer.bytes=16777216 is above net.core.rmem_max=4194304"),
    ("delete_topic_disabled", {"base": "kraft3-controllers3", "patches": [
        {"host": "controller-1", "artifact": SERVER, "append": "delete.topic.enable=false\n"}]},
     None, Severity.INFO, "controller-1 has delete.topic.enable=false"),
    ("replica_lag_time_changed", {"patches": [{"host": "kafka-3", "artifact": SERVER, "append": "replica.lag.time.max.ms=120000\n"}]},
     None, Severity.INFO, "kafka-3: replica.lag.time.max.ms=120000 (120.0 s; longer than Kafka's 30 s)"),
]


@pytest.mark.parametrize(("task_id", "fixture", "params", "severity", "text"), FIRES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(FIRES)])
def test_fires(task_id: str, fixture: dict[str, Any], params: dict[str, Any] | None, severity: Severity, text: str,
               tmp_path: Path) -> None:
    finding = _run(task_id, fixture, tmp_path, params)
    assert finding.status is Status.FAIL, finding.summary
    assert finding.severity is severity, finding.summary
    assert any(text in e.message for e in finding.evidence), [e.message for e in finding.evidence]


QUIET: list[tuple[str, dict[str, Any], str]] = [
    # 10 pauses of 350 ms: too few for a 99th percentile, none above 1 s
    ("jvm_gc_pauses", {"patches": [{"host": "*", "artifact": "gc_log", "content": _SHORT_SLOW_LOG}]}, "too few pauses for p99"),
    ("socket_buffers_above_kernel_max", {"patches": [
        _all(SERVER, "socket.send.buffer.bytes=102400\n", "socket.send.buffer.bytes=-1\n")]}, "-1 is the OS default"),
    ("dirty_ratios_default", {"patches": [
        _all("sysctl", "vm.dirty_ratio = 60\nvm.dirty_background_ratio = 5\n", "vm.dirty_ratio = 0\nvm.dirty_background_ratio = 0\n")]},
     "0: the *_bytes variants are in use"),
    ("num_partitions_default", {"patches": [{"host": "*", "artifact": SERVER, "delete_lines": "^auto\\.create\\.topics\\.enable="}]},
     "auto-creation on, but num.partitions=6"),
    ("consumer_group_idle_members", {"patches": [
        {"artifact": "consumer_groups_state", "replace": ["Stable          1", "PreparingRebalance 4"]}]},
     "a rebalancing group is not judged"),
]


@pytest.mark.parametrize(("task_id", "fixture", "why"), QUIET, ids=[f"{c[0]}-{i}" for i, c in enumerate(QUIET)])
def test_quiet(task_id: str, fixture: dict[str, Any], why: str, tmp_path: Path) -> None:
    finding = _run(task_id, fixture, tmp_path)
    assert finding.status is Status.PASS, f"{why}: {finding.summary}"


def test_kraft_metadata_dir_is_not_applicable_in_zookeeper_mode(tmp_path: Path) -> None:
    finding = _run("kraft_metadata_dir", {"base": "zk3"}, tmp_path)
    assert finding.status is Status.SKIPPED
    assert "not applicable" in finding.summary


NOT_COLLECTED: list[tuple[str, dict[str, Any], str]] = [
    ("huge_partition", {"patches": [{"artifact": "log_dirs", "status": "failed", "error": "TimeoutException"}]},
     "not collected: log_dirs failed: TimeoutException"),
    ("jvm_gc_pauses", {"patches": [{"host": "kafka-2", "artifact": "gc_log", "status": "denied", "error": "permission denied"}]},
     "kafka-2: not collected: gc_log denied: permission denied"),
    ("socket_buffers_above_kernel_max", {"patches": [{"host": "kafka-2", "artifact": "sysctl", "delete_lines": "^net\\.core\\."}]},
     "kafka-2: unknown: sysctl did not report net.core.rmem_max"),
    ("dirty_ratios_default", {"patches": [{"host": "kafka-2", "artifact": "sysctl", "status": "denied", "error": "permission denied"}]},
     "kafka-2: not collected: sysctl denied: permission denied"),
    ("consumer_group_idle_members", {"patches": [{"artifact": "consumer_groups_state", "status": "failed", "error": "TimeoutException"}]},
     "not collected: consumer_groups_state failed: TimeoutException"),
    ("kraft_metadata_dir", {"patches": [{"host": "kafka-2", "artifact": "df", "status": "denied", "error": "permission denied"}]},
     "kafka-2: not collected: df denied: permission denied"),
    ("dynamic_config_overrides", {}, "kafka-1: not collected: broker_configs is not in the snapshot"),
]


@pytest.mark.parametrize(("task_id", "fixture", "reason"), NOT_COLLECTED, ids=[f"{c[0]}-{i}" for i, c in enumerate(NOT_COLLECTED)])
def test_missing_data_skips_with_reason(task_id: str, fixture: dict[str, Any], reason: str, tmp_path: Path) -> None:
    if task_id == "kraft_metadata_dir":
        # the base's metadata dir shares the data filesystem: give the others their own, so only kafka-2 is unknown
        fixture = {"patches": [*fixture["patches"], *[
            p for h in ("kafka-1", "kafka-3") for p in (
                _all(SERVER, "metadata.log.dir=/var/lib/kafka/meta\n", "metadata.log.dir=/meta\n", h),
                {"host": h, "artifact": "df", "append": "/dev/nvme2n1   xfs  20971520  524288  20447232  3% /meta\n"})]]}
    finding = _run(task_id, fixture, tmp_path)
    assert finding.status is Status.SKIPPED, finding.summary
    assert reason in finding.summary
