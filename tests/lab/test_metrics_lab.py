"""Broker metrics on the real lab: every Kafka node's Prometheus JMX exporter is scraped twice by the
collection and read into node.metrics, on the KRaft and the ZooKeeper topology; the metric checks
run on those real values (some with a threshold set as a param so that they fire on them), and on
the scenario whose brokers run without the exporter (`secrets`) they are not evaluated, never failed.

The snapshots are the ones the catalog proof collects (`lab_factory.collected`), so no lab comes up
or is collected again for these tests.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.facts.build import build_facts
from kafkapilot.findings import Status
from kafkapilot.snapshot.load import load_snapshot
from tests.lab.labkit.nodes import KAFKA_HEAP
from tests.lab.pytest_lab import LabController

pytestmark = pytest.mark.lab

CATALOG = load_catalog(default_tasks_dir())
METRIC_CHECKS = tuple(t.id for t in CATALOG.tasks if t.id.startswith("metrics_"))
LAB_INTERVAL_S = 5  # kafkapilot_metrics_interval in the lab's inventory (tests/lab/labkit/inventory.py)
#: checks whose threshold, set as a param, makes them fire on the lab's real values: check → (params, the evidence's
#: `actual` before the value, the range a real value of a quiet lab broker is in). docs/lab-proof.md lists them.
THRESHOLD_PROOFS: dict[str, tuple[dict[str, Any], str, tuple[float, float]]] = {
    "metrics_request_handler_idle": ({"min_idle": 1.01}, "RequestHandlerAvgIdlePercent ", (0.01, 1.0)),
    "metrics_network_processor_idle": ({"min_idle": 1.01}, "NetworkProcessorAvgIdlePercent ", (0.01, 1.0)),
    "metrics_request_latency": ({"max_produce_p99_ms": 0, "max_fetch_p99_ms": 10**6}, "Produce p99 ", (0.1, 60000)),
    "metrics_log_flush_time": ({"max_p99_ms": 0}, "LogFlushRateAndTimeMs p99 ", (0.001, 60000)),
    "metrics_open_fds": ({"max_ratio": 0.0001}, "", (50, 100000)),  # `actual`: "372 of 20000"
}


def _snapshot(lab_factory: LabController, tmp_path_factory: pytest.TempPathFactory, topology: str,
              scenario: str) -> Path:
    return lab_factory.collected(topology, scenario, tmp_path_factory.mktemp(f"metrics-{topology}-{scenario}"))


def _findings(snapshot: Path, params: dict[str, dict[str, Any]] | None = None,
              checks: tuple[str, ...] = METRIC_CHECKS) -> dict[str, Any]:
    result = analyse(snapshot, CATALOG, Selection(task_ids=checks), EngineOptions(param_overrides=params or {}))
    return {f.task_id: f for f in result.findings}


@pytest.mark.parametrize("topology", [pytest.param(t, marks=pytest.mark.lab(t, "healthy")) for t in
                                      ("zookeeper", "kraft")])
def test_every_kafka_node_is_scraped_twice_and_read(lab_factory: LabController,
                                                    tmp_path_factory: pytest.TempPathFactory, topology: str) -> None:
    snapshot = _snapshot(lab_factory, tmp_path_factory, topology, "healthy")
    facts = build_facts(load_snapshot(snapshot))
    lab = lab_factory.up(topology, "healthy")
    assert sorted(n.label for n in facts.nodes) == sorted(h for h in lab.hosts if h.startswith("kafka-"))
    for node in facts.nodes:
        m = node.metrics
        assert m is not None, (node.label, node.unavailable.get("metrics"))
        assert m.url == f"http://{lab.hosts[node.host]}:7071/metrics"  # from -javaagent:...=ADDRESS:7071:RULES
        assert m.scrapes == 2 and LAB_INTERVAL_S <= m.interval_s < LAB_INTERVAL_S + 10, m
        assert m.series >= 40, m.series
        # the real values of a lightly loaded lab broker
        assert 0 < m.request_handler_idle <= 1 and 0 < m.network_processor_idle <= 1, m
        assert m.heap_max_bytes == int(KAFKA_HEAP.rstrip("g")) * 1024**3
        assert 0 < m.heap_used_bytes <= m.heap_max_bytes
        assert 0 < m.open_fds < m.max_fds
        assert m.under_replicated_partitions == 0 and m.offline_log_dirs == 0 and m.request_queue_size >= 0
        assert m.produce_p99_ms is not None and m.produce_p99_ms > 0  # the lab's producer perf test ran
        assert m.isr_shrinks_per_s == 0 and m.unclean_elections_per_s == 0
        assert m.produce_requests_per_s is not None and m.fetch_requests_per_s > 0  # followers fetch all the time
        assert m.gc_time_share is not None and 0 <= m.gc_time_share < 1 and 0 < m.cpu_share
    # one active controller, reported by the node that leads (KRaft's quorum, ZooKeeper's /controller)
    assert facts.cluster.metrics_active_controllers == 1
    assert facts.cluster.metrics_under_replicated == 0 == len(facts.cluster.under_replicated)
    assert facts.cluster.metrics_offline_partitions == 0
    # every metric check is evaluated on the real scrapes, and none raises a critical or high alarm
    for check, finding in _findings(snapshot).items():
        assert finding.status in (Status.PASS, Status.FAIL), (check, finding.status, finding.summary)
        if finding.status is Status.FAIL:
            assert finding.severity.value not in ("critical", "high"), (check, finding.summary)


@pytest.mark.lab("kraft", "healthy")
def test_thresholds_set_as_params_make_the_checks_fire_on_real_values(
        lab_factory: LabController, tmp_path_factory: pytest.TempPathFactory) -> None:
    snapshot = _snapshot(lab_factory, tmp_path_factory, "kraft", "healthy")
    params = {check: p for check, (p, _, _) in THRESHOLD_PROOFS.items()}
    found = _findings(snapshot, params, tuple(THRESHOLD_PROOFS))
    for check, (_, prefix, (low, high)) in THRESHOLD_PROOFS.items():
        finding = found[check]
        assert finding.status is Status.FAIL, (check, finding.summary)
        assert sorted(finding.hosts) == ["kafka-1", "kafka-2", "kafka-3"], (check, finding.hosts)
        for row in finding.evidence:  # the real value, as the evidence shows it
            assert str(row.actual).startswith(prefix), (check, row.actual)
            value = float(str(row.actual).removeprefix(prefix).split()[0])
            assert low <= value <= high, (check, row.host, row.actual)


@pytest.mark.lab("kraft", "planted")
def test_a_stopped_broker_leaves_the_cluster_sums_to_the_running_nodes(
        lab_factory: LabController, tmp_path_factory: pytest.TempPathFactory) -> None:
    facts = build_facts(load_snapshot(_snapshot(lab_factory, tmp_path_factory, "kraft", "planted")))
    assert sorted(n.label for n in facts.nodes) == ["kafka-1", "kafka-3"]  # kafka-2's Kafka is stopped
    assert all(n.metrics is not None and n.metrics.scrapes == 2 for n in facts.nodes)
    assert facts.cluster.metrics_active_controllers == 1
    # kafka-2's replicas are out of every ISR: the leaders' metrics and kafka-topics count the same partitions
    assert facts.cluster.metrics_under_replicated == len(facts.cluster.under_replicated) > 0


@pytest.mark.lab("kraft", "secrets")
def test_without_the_exporter_the_metric_checks_are_not_evaluated(
        lab_factory: LabController, tmp_path_factory: pytest.TempPathFactory) -> None:
    snapshot = _snapshot(lab_factory, tmp_path_factory, "kraft", "secrets")
    facts = build_facts(load_snapshot(snapshot))
    assert facts.nodes and all(n.metrics is None for n in facts.nodes)
    assert all("prometheus_metrics is not in the snapshot" in n.unavailable["metrics"] for n in facts.nodes)
    for check, finding in _findings(snapshot).items():
        assert finding.status is Status.SKIPPED, (check, finding.status, finding.summary)
