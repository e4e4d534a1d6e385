"""node.metrics of a Kafka node from its two `prometheus_metrics` scrapes, and the cluster's sums.

Gauges come from the last scrape read; rates are (count₂ − count₁) / (started₂ − started₁), the
starts being the collection's header of each scrape (the host's clock). A counter that went down
between the scrapes (the JVM restarted) gives no rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kafkapilot.facts.model.metrics import BrokerMetrics
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.prometheus import Scrape, parse_scrape
from kafkapilot.snapshot.load import unavailable_reason

if TYPE_CHECKING:
    from kafkapilot.facts.model import Cluster, KafkaNode

__all__ = ["build_metrics_facts", "cluster_metrics"]

FACT = "metrics"
_ARTIFACT = "prometheus_metrics"

_GAUGES = {  # fact → series
    "network_processor_idle": "kafka_network_socketserver_networkprocessoravgidlepercent",
    "active_controller": "kafka_controller_kafkacontroller_activecontrollercount",
    "offline_partitions": "kafka_controller_kafkacontroller_offlinepartitionscount",
    "under_replicated_partitions": "kafka_server_replicamanager_underreplicatedpartitions",
    "offline_log_dirs": "kafka_log_logmanager_offlinelogdirectorycount",
    "request_queue_size": "kafka_network_requestchannel_requestqueuesize",
    "produce_p99_ms": "kafka_network_requestmetrics_totaltimems{quantile=0.99,request=Produce}",
    "fetch_consumer_p99_ms": "kafka_network_requestmetrics_totaltimems{quantile=0.99,request=FetchConsumer}",
    "fetch_follower_p99_ms": "kafka_network_requestmetrics_totaltimems{quantile=0.99,request=FetchFollower}",
    "log_flush_p99_ms": "kafka_log_logflushstats_logflushrateandtimems{quantile=0.99}",
    "open_fds": "process_open_fds",
    "max_fds": "process_max_fds",
    "heap_used_bytes": "jvm_memory_used_bytes{area=heap}",
    "heap_max_bytes": "jvm_memory_max_bytes{area=heap}",
}
_INTEGER = frozenset({"active_controller", "offline_partitions", "under_replicated_partitions", "offline_log_dirs",
                      "request_queue_size", "open_fds", "max_fds", "heap_used_bytes", "heap_max_bytes"})
_RATES = {  # fact → counter series
    "isr_shrinks_per_s": "kafka_server_replicamanager_isrshrinks_total",
    "isr_expands_per_s": "kafka_server_replicamanager_isrexpands_total",
    "failed_produce_per_s": "kafka_server_brokertopicmetrics_failedproducerequests_total",
    "failed_fetch_per_s": "kafka_server_brokertopicmetrics_failedfetchrequests_total",
    "produce_requests_per_s": "kafka_server_brokertopicmetrics_totalproducerequests_total",
    "fetch_requests_per_s": "kafka_server_brokertopicmetrics_totalfetchrequests_total",
    "unclean_elections_per_s": "kafka_controller_controllerstats_uncleanleaderelections_total",
    "cpu_share": "process_cpu_seconds_total",
}
_IDLE_MEAN = "kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent"
#: the meter's count: idle nanoseconds divided by the number of handler threads (client_java may add _total)
_IDLE_COUNTS = ("kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count",
                "kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count_total")
_GC_SUM = "jvm_gc_collection_seconds_sum{"


def _scrapes(reader: FactReader, instance: str) -> tuple[list[Scrape], str | None] | None:
    """The scrapes read, in order (1, then 2); None with the reason noted when not one is readable."""
    artifacts = sorted(reader.artifacts(_ARTIFACT, instance), key=lambda a: a.key or "")
    if not artifacts:
        reader.note(FACT, f"not collected: {_ARTIFACT} is not in the snapshot (no jmx_prometheus_javaagent on the "
                          "command line, or kafkapilot_prometheus off)")
        return None
    scrapes: list[Scrape] = []
    reasons: list[str] = []
    for artifact in artifacts:
        text = reader.text(artifact, source_key=_ARTIFACT)
        if text is None:
            reasons.append(unavailable_reason(artifact, _ARTIFACT))
            continue
        try:
            scrapes.append(parse_scrape(text))
        except ParseError as exc:
            reasons.append(f"could not parse {_ARTIFACT} {artifact.key or ''}: {exc}".replace("  ", " "))
    if not scrapes:
        reader.note(FACT, reasons[0] if reasons else f"unknown: {_ARTIFACT} is empty")
        return None
    return scrapes, artifacts[0].source


def _rate(first: Scrape, last: Scrape, series: str, seconds: float) -> float | None:
    before, after = first.values.get(series), last.values.get(series)
    if before is None or after is None or after < before:
        return None
    return (after - before) / seconds


def _gc_seconds(scrape: Scrape) -> float | None:
    sums = [v for k, v in scrape.values.items() if k.startswith(_GC_SUM)]
    return sum(sums) if sums else None


def build_metrics_facts(reader: FactReader, instance: str) -> BrokerMetrics | None:
    """node.metrics, or None with the reason recorded."""
    found = _scrapes(reader, instance)
    if found is None:
        return None
    scrapes, source = found
    last = scrapes[-1]
    values: dict[str, float | int | None] = {}
    for name, series in _GAUGES.items():
        value = last.values.get(series)
        values[name] = None if value is None else int(value) if name in _INTEGER else value
    values["request_handler_idle"] = last.values.get(_IDLE_MEAN)
    interval = None
    if len(scrapes) > 1 and scrapes[0].started is not None and last.started is not None:
        interval = last.started - scrapes[0].started
    if interval is not None and interval > 0:
        first = scrapes[0]
        for name, series in _RATES.items():
            values[name] = _rate(first, last, series, interval)
        idle = next((r for r in (_rate(first, last, s, interval) for s in _IDLE_COUNTS) if r is not None), None)
        if idle is not None:
            values["request_handler_idle"] = min(1.0, idle / 1e9)  # idle nanoseconds per second per thread
        gc_before, gc_after = _gc_seconds(first), _gc_seconds(last)
        if gc_before is not None and gc_after is not None and gc_after >= gc_before:
            values["gc_time_share"] = (gc_after - gc_before) / interval
    return BrokerMetrics(
        url=(source or "").removeprefix("GET ") or None,
        scrapes=len(scrapes),
        interval_s=round(interval, 3) if interval is not None and interval > 0 else None,
        series=len(last.values),
        **values,
    )


def cluster_metrics(nodes: list[KafkaNode], cluster: Cluster) -> None:
    """cluster.metrics_active_controllers and metrics_under_replicated: sums over the running Kafka nodes, known
    only when every one of them was scraped."""
    unscraped = [n.label for n in nodes if n.metrics is None]
    why = ("not collected: no Kafka node's metrics" if len(unscraped) == len(nodes)
           else f"not collected: no metrics from {', '.join(unscraped)}")
    if unscraped or not nodes:
        for name in ("metrics_active_controllers", "metrics_under_replicated", "metrics_offline_partitions"):
            cluster.unavailable[name] = why
        return
    controllers = [n.metrics.active_controller for n in nodes if n.metrics.active_controller is not None]
    cluster.metrics_active_controllers = sum(controllers) if controllers else None
    if not controllers:
        cluster.unavailable["metrics_active_controllers"] = "unknown: no node's scrape holds ActiveControllerCount"
    under = [n.metrics.under_replicated_partitions for n in nodes if n.metrics.under_replicated_partitions is not None]
    cluster.metrics_under_replicated = sum(under) if under else None
    if not under:
        cluster.unavailable["metrics_under_replicated"] = "unknown: no node's scrape holds UnderReplicatedPartitions"
    offline = [n.metrics.offline_partitions for n in nodes if n.metrics.offline_partitions is not None]
    cluster.metrics_offline_partitions = sum(offline) if offline else None
    if not offline:
        cluster.unavailable["metrics_offline_partitions"] = "unknown: no node's scrape holds OfflinePartitionsCount"
