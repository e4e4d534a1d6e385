"""Two healthy scrapes of a broker's Prometheus JMX exporter for the fixture bases (artifact
`prometheus_metrics`, keys 1 and 2, 15 s apart).

The lines are those a lab broker's jmx_prometheus_javaagent 1.0.1 with the standard Kafka rules
exposes (a real scrape of the kraft lab, cut to the families kafkapilot/parsers/prometheus.py reads:
about 60 of its 11 000 lines), with the values of a quiet, healthy production broker.
"""

from __future__ import annotations

from typing import Any

__all__ = ["STARTED", "prometheus_artifacts", "scrape_text"]

STARTED = 1795786185.0  # 2026-11-26T13:29:45Z on the host's clock: 15 s before the base's collection ends
INTERVAL = 15.0

_TEMPLATE = """\
# kafkapilot-scrape started={started:.3f} duration_s=0.412
# TYPE jvm_gc_collection_seconds summary
jvm_gc_collection_seconds_count{{gc="G1 Old Generation"}} 0
jvm_gc_collection_seconds_sum{{gc="G1 Old Generation"}} 0.0
jvm_gc_collection_seconds_count{{gc="G1 Young Generation"}} {gc_count}
jvm_gc_collection_seconds_sum{{gc="G1 Young Generation"}} {gc_seconds}
# TYPE jvm_memory_max_bytes gauge
jvm_memory_max_bytes{{area="heap"}} 6.442450944E9
jvm_memory_max_bytes{{area="nonheap"}} -1.0
# TYPE jvm_memory_used_bytes gauge
jvm_memory_used_bytes{{area="heap"}} 2.4920576E9
jvm_memory_used_bytes{{area="nonheap"}} 9.248204E7
# TYPE kafka_controller_controllerstats_uncleanleaderelections_total counter
kafka_controller_controllerstats_uncleanleaderelections_total 0.0
# TYPE kafka_controller_kafkacontroller_activecontrollercount gauge
kafka_controller_kafkacontroller_activecontrollercount {active}
# TYPE kafka_controller_kafkacontroller_offlinepartitionscount gauge
kafka_controller_kafkacontroller_offlinepartitionscount 0.0
# TYPE kafka_log_logflushstats_logflushrateandtimems gauge
kafka_log_logflushstats_logflushrateandtimems{{quantile="0.50"}} 1.93295
kafka_log_logflushstats_logflushrateandtimems{{quantile="0.99"}} 31.66065800999982
# TYPE kafka_log_logflushstats_logflushrateandtimems_count_total counter
kafka_log_logflushstats_logflushrateandtimems_count_total {flushes}
# TYPE kafka_log_logmanager_offlinelogdirectorycount gauge
kafka_log_logmanager_offlinelogdirectorycount 0.0
# TYPE kafka_network_requestchannel_requestqueuesize gauge
kafka_network_requestchannel_requestqueuesize 0.0
# TYPE kafka_network_requestmetrics_totaltimems gauge
kafka_network_requestmetrics_totaltimems{{quantile="0.50",request="FetchConsumer"}} 500.5
kafka_network_requestmetrics_totaltimems{{quantile="0.50",request="FetchFollower"}} 500.0
kafka_network_requestmetrics_totaltimems{{quantile="0.50",request="Produce"}} 3.0
kafka_network_requestmetrics_totaltimems{{quantile="0.99",request="FetchConsumer"}} 502.0
kafka_network_requestmetrics_totaltimems{{quantile="0.99",request="FetchFollower"}} 501.27
kafka_network_requestmetrics_totaltimems{{quantile="0.99",request="Produce"}} 12.0
# TYPE kafka_network_requestmetrics_totaltimems_count_total counter
kafka_network_requestmetrics_totaltimems_count_total{{request="FetchConsumer"}} {fetches}
kafka_network_requestmetrics_totaltimems_count_total{{request="FetchFollower"}} {fetches}
kafka_network_requestmetrics_totaltimems_count_total{{request="Produce"}} {produces}
# TYPE kafka_network_socketserver_networkprocessoravgidlepercent gauge
kafka_network_socketserver_networkprocessoravgidlepercent 0.97400936198857
# TYPE kafka_server_brokertopicmetrics_failedfetchrequests_total counter
kafka_server_brokertopicmetrics_failedfetchrequests_total 2.0
# TYPE kafka_server_brokertopicmetrics_failedproducerequests_total counter
kafka_server_brokertopicmetrics_failedproducerequests_total 5.0
# TYPE kafka_server_brokertopicmetrics_totalfetchrequests_total counter
kafka_server_brokertopicmetrics_totalfetchrequests_total {fetches}
# TYPE kafka_server_brokertopicmetrics_totalproducerequests_total counter
kafka_server_brokertopicmetrics_totalproducerequests_total {produces}
# TYPE kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent gauge
kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent 0.9415680785750133
# TYPE kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count_total counter
kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count_total {idle_ns}
# TYPE kafka_server_replicamanager_isrexpands_total counter
kafka_server_replicamanager_isrexpands_total 3.0
# TYPE kafka_server_replicamanager_isrshrinks_total counter
kafka_server_replicamanager_isrshrinks_total 3.0
# TYPE kafka_server_replicamanager_underreplicatedpartitions gauge
kafka_server_replicamanager_underreplicatedpartitions 0.0
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total {cpu}
# TYPE process_max_fds gauge
process_max_fds 100000.0
# TYPE process_open_fds gauge
process_open_fds 1830.0
"""


def scrape_text(scrape: int, *, active: bool) -> str:
    """Scrape 1 or 2 of a healthy broker: counters grow as 15 s of a quiet broker's traffic make them."""
    later = scrape - 1
    return _TEMPLATE.format(
        started=STARTED + later * INTERVAL,
        gc_count=1200 + later * 2,
        gc_seconds=round(24.5 + later * 0.03, 3),  # 0.2 % of the interval in GC
        active="1.0" if active else "0.0",
        flushes=float(900 + later * 3),
        fetches=float(8_000_000 + later * 90),
        produces=float(5_000_000 + later * 3000),  # 200 produce requests/s
        idle_ns=f"{4.0e14 + later * 0.85 * INTERVAL * 1e9:.6E}",  # 85 % idle over the interval
        cpu=round(86_000.5 + later * 6.0, 2),
    )


def prometheus_artifacts(instance: str, address: str, *, active: bool) -> list[dict[str, Any]]:
    """The two `prometheus_metrics` artifacts of a broker whose exporter listens on its address, port 7071."""
    return [{"name": "prometheus_metrics", "instance": instance, "key": str(n), "source_type": "command",
             "source": f"GET http://{address}:7071/metrics", "content": scrape_text(n, active=active)}
            for n in (1, 2)]
