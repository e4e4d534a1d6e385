"""node.metrics and the cluster's metric sums, from the fixture base's two scrapes per broker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kafkapilot.facts import build_facts
from kafkapilot.facts.model import BrokerMetrics
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec


def _facts(fixture: dict[str, Any], tmp_path: Path):  # noqa: ANN202
    return build_facts(load_snapshot(materialize(fixture_spec(fixture), tmp_path / "snapshot")))


def _patch(host: str, old: str, new: str, key: int | None = None) -> dict[str, Any]:
    return {"host": host, "artifact": "prometheus_metrics", "replace": [old, new], **({"key": key} if key else {})}


def test_gauges_of_the_last_scrape_and_rates_between_the_two(tmp_path: Path) -> None:
    facts = _facts({"base": "kraft3"}, tmp_path)
    m = facts.nodes[0].metrics
    assert isinstance(m, BrokerMetrics)
    assert (m.url, m.scrapes, m.interval_s) == ("http://10.20.0.11:7071/metrics", 2, 15.0)
    assert m.request_handler_idle == pytest.approx(0.85, abs=0.005)  # from the meter's count, not its mean (0.94)
    assert m.network_processor_idle == pytest.approx(0.974, abs=0.001)
    assert (m.active_controller, m.offline_partitions) == (1, 0)
    assert (m.under_replicated_partitions, m.offline_log_dirs) == (0, 0)
    assert (m.produce_p99_ms, m.fetch_consumer_p99_ms, m.fetch_follower_p99_ms) == (12.0, 502.0, 501.27)
    assert (m.open_fds, m.max_fds, m.heap_max_bytes) == (1830, 100000, 6 * 1024**3)
    assert m.produce_requests_per_s == pytest.approx(200.0) and m.fetch_requests_per_s == pytest.approx(6.0)
    assert m.isr_shrinks_per_s == 0 == m.failed_produce_per_s == m.unclean_elections_per_s
    assert m.gc_time_share == pytest.approx(0.002) and m.cpu_share == pytest.approx(0.4)
    assert (facts.cluster.metrics_active_controllers, facts.cluster.metrics_under_replicated,
            facts.cluster.metrics_offline_partitions) == (1, 0, 0)


def test_one_scrape_gives_gauges_and_no_rates(tmp_path: Path) -> None:
    facts = _facts({"patches": [{"host": "kafka-2", "artifact": "prometheus_metrics", "key": 2,
                                 "status": "skipped", "error": "one scrape only: kafkapilot_metrics_interval is 0"}]},
                   tmp_path)
    m = facts.nodes[1].metrics
    assert m.scrapes == 1 and m.interval_s is None and m.isr_shrinks_per_s is None and m.gc_time_share is None
    assert m.request_handler_idle == pytest.approx(0.9416, abs=0.0001)  # the meter's mean since the JVM started
    assert m.open_fds == 1830


def test_a_counter_that_went_down_gives_no_rate(tmp_path: Path) -> None:
    facts = _facts({"patches": [_patch("kafka-3", "kafka_server_replicamanager_isrshrinks_total 3.0",
                                       "kafka_server_replicamanager_isrshrinks_total 0.0", key=2)]}, tmp_path)
    m = facts.nodes[2].metrics
    assert m.isr_shrinks_per_s is None and m.isr_expands_per_s == 0.0


def test_an_unreadable_scrape_says_why(tmp_path: Path) -> None:
    facts = _facts({"patches": [{"host": "kafka-1", "artifact": "prometheus_metrics",
                                 "content": "<html><body>502 Bad Gateway</body></html>\n"}]}, tmp_path)
    node = facts.nodes[0]
    assert node.metrics is None
    reason = node.unavailable["metrics"]
    assert reason.startswith("could not parse prometheus_metrics 1: line 1: not the Prometheus text")
    # kafka-1 (the active controller) was not read: the cluster's sums are not known, never 0
    assert facts.cluster.metrics_active_controllers is None
    assert facts.cluster.unavailable["metrics_active_controllers"] == "not collected: no metrics from kafka-1"


def test_no_exporter(tmp_path: Path) -> None:
    facts = _facts({"patches": [{"host": "*", "artifact": "prometheus_metrics", "status": "missing",
                                 "error": "no agent"}]}, tmp_path)
    assert all(n.metrics is None for n in facts.nodes)
    assert facts.cluster.unavailable["metrics_under_replicated"] == "not collected: no Kafka node's metrics"
