"""What a broker's Prometheus JMX exporter said (`node.metrics`): gauges of the last scrape and rates
between the two scrapes the collection takes (kafkapilot/facts/metrics.py, parser
kafkapilot/parsers/prometheus.py; the metric names are in docs/metrics.md)."""

from __future__ import annotations

from dataclasses import dataclass

from kafkapilot.facts.model.base import Record, fact

__all__ = ["BrokerMetrics"]

_SRC = "prometheus_metrics"


@dataclass(slots=True, kw_only=True)
class BrokerMetrics(Record):
    """The standard kafka.server, kafka.network, kafka.controller, kafka.log and JVM families of one Kafka
    node's exporter. A gauge is `None` when the scrape does not hold its series (an older Kafka, other
    exporter rules, a broker-only KRaft node for the controller's metrics); a rate is `None` with one
    scrape only, or when a counter went down between the two (the JVM restarted)."""

    url: str | None = fact("the scraped URL (`GET http://ADDRESS:PORT/metrics`)", source=_SRC)
    scrapes: int = fact("scrapes read: 2 (rates known) or 1", source=_SRC, default=1)
    interval_s: float | None = fact("seconds between the two scrapes' starts (the host's clock)", source=_SRC,
                                    unit="s")
    series: int = fact("series read from the last scrape (the families above, broker-wide)", source=_SRC, default=0)
    # ------------------------------------------------------------------------------------------- gauges
    request_handler_idle: float | None = fact(
        "request handler threads' average idle ratio, 0-1 (RequestHandlerAvgIdlePercent): over the interval "
        "from the meter's count with two scrapes, else the meter's mean rate since the JVM started", source=_SRC)
    network_processor_idle: float | None = fact(
        "network processor threads' average idle ratio, 0-1 (NetworkProcessorAvgIdlePercent)", source=_SRC)
    active_controller: int | None = fact(
        "ActiveControllerCount: 1 on the active controller, 0 on the other nodes that report it", source=_SRC)
    offline_partitions: int | None = fact(
        "OfflinePartitionsCount (the active controller's count; 0 elsewhere)", source=_SRC)
    under_replicated_partitions: int | None = fact(
        "UnderReplicatedPartitions: partitions this broker leads whose ISR is smaller than their replicas",
        source=_SRC)
    offline_log_dirs: int | None = fact("OfflineLogDirectoryCount (kafka.log LogManager)", source=_SRC)
    request_queue_size: int | None = fact("RequestQueueSize: requests waiting for a handler thread", source=_SRC)
    produce_p99_ms: float | None = fact("99th percentile of Produce requests' TotalTimeMs", source=_SRC, unit="ms")
    fetch_consumer_p99_ms: float | None = fact(
        "99th percentile of FetchConsumer requests' TotalTimeMs (includes the fetch's wait, fetch.max.wait.ms)",
        source=_SRC, unit="ms")
    fetch_follower_p99_ms: float | None = fact(
        "99th percentile of FetchFollower requests' TotalTimeMs (includes replica.fetch.wait.max.ms)",
        source=_SRC, unit="ms")
    log_flush_p99_ms: float | None = fact("99th percentile of LogFlushRateAndTimeMs (kafka.log LogFlushStats)",
                                          source=_SRC, unit="ms")
    open_fds: int | None = fact("the JVM's open file descriptors (process_open_fds)", source=_SRC)
    max_fds: int | None = fact("its limit (process_max_fds)", source=_SRC)
    heap_used_bytes: int | None = fact("JVM heap in use (jvm_memory_used_bytes{area=heap})", source=_SRC,
                                       unit="bytes")
    heap_max_bytes: int | None = fact("JVM heap maximum (jvm_memory_max_bytes{area=heap})", source=_SRC,
                                      unit="bytes")
    # --------------------------------------------------------------------------- rates (two scrapes)
    isr_shrinks_per_s: float | None = fact("IsrShrinksPerSec over the interval", source=_SRC, unit="1/s")
    isr_expands_per_s: float | None = fact("IsrExpandsPerSec over the interval", source=_SRC, unit="1/s")
    failed_produce_per_s: float | None = fact("FailedProduceRequestsPerSec (broker-wide) over the interval",
                                              source=_SRC, unit="1/s")
    failed_fetch_per_s: float | None = fact("FailedFetchRequestsPerSec (broker-wide) over the interval",
                                            source=_SRC, unit="1/s")
    produce_requests_per_s: float | None = fact("TotalProduceRequestsPerSec over the interval", source=_SRC,
                                                unit="1/s")
    fetch_requests_per_s: float | None = fact("TotalFetchRequestsPerSec over the interval", source=_SRC, unit="1/s")
    unclean_elections_per_s: float | None = fact(
        "UncleanLeaderElectionsPerSec over the interval (reported by the active controller)", source=_SRC,
        unit="1/s")
    gc_time_share: float | None = fact(
        "share of the interval the JVM spent in garbage collection, 0-1 (jvm_gc_collection_seconds_sum of every "
        "collector)", source=_SRC)
    cpu_share: float | None = fact("CPU-seconds the JVM used per second of the interval (process_cpu_seconds_total)",
                                   source=_SRC)
