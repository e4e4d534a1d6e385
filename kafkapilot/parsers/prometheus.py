"""One scrape of a broker's Prometheus JMX exporter (artifact `prometheus_metrics`), read with
prometheus_client's text parser (the exposition format's reference parser).

A broker's scrape holds thousands of series (per topic, per partition, per client); the facts need
a few dozen. The text is first cut, in one pass over its lines with a single `str.startswith`
per line, to the families in `FAMILIES` (their samples and their `# TYPE`/`# HELP` lines); only
those lines go through prometheus_client, so the cost stays linear in the text and no Python
object is made for a sample nothing reads.

The collection heads each scrape with a comment (`# kafkapilot-scrape started=EPOCH duration_s=S`,
the host's clock) that the exposition format ignores; two scrapes' `started` give the interval
over which counters become rates (kafkapilot/facts/metrics.py).

The names are those of the exporter project's standard Kafka rules (examples/kafka-2_0_0.yml,
kafka-kraft-3_0_0.yml: `lowercaseOutputName`, `kafka_<domain>_<type>_<name>`, meters as
`..._total` counters, histograms as quantile gauges plus a `_count`) and client_java's JVM and
process collectors, which the agent exposes by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from prometheus_client.parser import text_string_to_metric_families

from kafkapilot.parsers.errors import ParseError

__all__ = ["FAMILIES", "Scrape", "parse_scrape", "series_key"]

#: the metric families read (sample names start with one of these); each is documented in docs/metrics.md
FAMILIES: Final = (
    "kafka_server_kafkarequesthandlerpool_requesthandleravgidle",  # _percent (MeanRate) and ...percent_count
    "kafka_network_socketserver_networkprocessoravgidlepercent",
    "kafka_controller_kafkacontroller_activecontrollercount",
    "kafka_controller_kafkacontroller_offlinepartitionscount",
    "kafka_server_replicamanager_underreplicatedpartitions",
    "kafka_server_replicamanager_isrshrinks_total",
    "kafka_server_replicamanager_isrexpands_total",
    "kafka_log_logmanager_offlinelogdirectorycount",
    "kafka_server_brokertopicmetrics_failedproducerequests_total",
    "kafka_server_brokertopicmetrics_failedfetchrequests_total",
    "kafka_server_brokertopicmetrics_totalproducerequests_total",
    "kafka_server_brokertopicmetrics_totalfetchrequests_total",
    "kafka_network_requestmetrics_totaltimems",
    "kafka_network_requestchannel_requestqueuesize",
    "kafka_log_logflushstats_logflushrateandtimems",
    "kafka_controller_controllerstats_uncleanleaderelections_total",
    "jvm_gc_collection_seconds",
    "jvm_memory_used_bytes",
    "jvm_memory_max_bytes",
    "process_open_fds",
    "process_max_fds",
    "process_cpu_seconds_total",
)
_COMMENTS: Final = tuple(f"# {kind} {family}" for kind in ("TYPE", "HELP") for family in FAMILIES)
_HEADER: Final = re.compile(
    r"^# kafkapilot-scrape started=(?P<started>\d+(?:\.\d+)?)(?: duration_s=(?P<duration>\d+(?:\.\d+)?))?")
#: a sample line, untyped or not
_SAMPLE: Final = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?[ \t]+[-+]?(?:\.?\d|NaN|Inf)")
_SERIES_LABELS: Final = frozenset({"request", "quantile", "area", "gc"})  # the labels a fact tells series apart by


@dataclass(frozen=True, slots=True)
class Scrape:
    """What the facts read of one scrape."""

    started: float | None  # epoch seconds on the host's clock (the collection's header), else None
    duration_s: float | None
    lines: int  # lines of the whole text
    #: series_key(name, labels) → value, for the FAMILIES' samples; series with a `topic` label (per-topic
    #: meters) are left out: the broker-wide one has none
    values: dict[str, float]


def series_key(name: str, labels: dict[str, str] | None = None) -> str:
    """`name` or `name{k=v,...}` with the labels a fact tells series apart by, sorted."""
    kept = sorted((k, v) for k, v in (labels or {}).items() if k in _SERIES_LABELS)
    return name + ("{" + ",".join(f"{k}={v}" for k, v in kept) + "}" if kept else "")


def parse_scrape(text: str) -> Scrape:
    """The FAMILIES' series of one scrape; ParseError when the text is not the Prometheus text format."""
    started = duration = None
    header = _HEADER.match(text)
    if header:
        started = float(header["started"])
        duration = float(header["duration"]) if header["duration"] else None
    kept: list[str] = []
    numbers: list[int] = []  # the line number of each kept line, for the error
    typed = False
    number = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(FAMILIES) or line.startswith(_COMMENTS):
            kept.append(line)
            numbers.append(number)
        elif not typed and line.startswith("# TYPE "):
            typed = True
    if not kept and not typed and text.strip():
        first, where = next((ln, n) for n, ln in enumerate(text.splitlines(), start=1) if ln.strip())
        if not first.startswith("#") and not _SAMPLE.match(first):
            msg = f"not the Prometheus text format (no `# TYPE` line; first line: {first.strip()[:80]!r})"
            raise ParseError(msg, where)
    values: dict[str, float] = {}
    try:
        for family in text_string_to_metric_families("\n".join(kept) + "\n"):
            for sample in family.samples:
                if "topic" not in sample.labels:
                    values[series_key(sample.name, sample.labels)] = sample.value
    except ValueError as exc:
        raise ParseError(f"not the Prometheus text format: {str(exc)[:200]}", _bad_line(kept, numbers)) from None
    return Scrape(started=started, duration_s=duration, lines=number, values=values)


def _bad_line(kept: list[str], numbers: list[int]) -> int | None:
    """The number of the first kept line prometheus_client cannot read on its own (the error path only)."""
    for line, number in zip(kept, numbers, strict=True):
        try:
            list(text_string_to_metric_families(line + "\n"))
        except ValueError:
            return number
    return None
