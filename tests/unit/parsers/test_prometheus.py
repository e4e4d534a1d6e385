"""kafkapilot/parsers/prometheus.py: one scrape of a broker's JMX exporter, read with prometheus_client."""

from __future__ import annotations

import time

import pytest

from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.prometheus import FAMILIES, parse_scrape, series_key
from tests.unit.parsers._samples import sample

LAB = sample("prometheus_kafka_4_kraft.prom")


def test_a_real_scrape_gives_the_families_broker_wide() -> None:
    scrape = parse_scrape(LAB)
    v = scrape.values
    assert scrape.started is None and scrape.lines == len(LAB.splitlines())
    assert v["kafka_network_socketserver_networkprocessoravgidlepercent"] == pytest.approx(0.9883950533541924)
    assert v["kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent"] == pytest.approx(0.9893384667732559)
    # a meter's count: client_java adds _total to the standard rules' `_count` counters
    assert v["kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count_total"] == 5.5025208723e10
    assert v["kafka_controller_kafkacontroller_activecontrollercount"] == 0.0
    assert v["kafka_server_brokertopicmetrics_totalproducerequests_total"] == 54.0
    assert v["kafka_network_requestmetrics_totaltimems{quantile=0.99,request=Produce}"] > 0
    assert v["jvm_gc_collection_seconds_sum{gc=G1 Young Generation}"] == 0.805
    assert v["jvm_memory_max_bytes{area=heap}"] == 2147483648.0
    assert v["process_open_fds"] == 372.0 and v["process_max_fds"] == 20000.0
    # per-topic series of the same families are left out, other families are not read at all
    assert not any("topic=" in key for key in v)
    assert not any(key.startswith(("kafka_log_log_size", "jmx_", "jvm_buffer_pool")) for key in v)
    assert all(key.startswith(FAMILIES) for key in v)


def test_the_collection_header_gives_the_scrape_start() -> None:
    scrape = parse_scrape("# kafkapilot-scrape started=1795786185.250 duration_s=3.255\n" + LAB)
    assert scrape.started == 1795786185.25 and scrape.duration_s == 3.255
    assert parse_scrape("# kafkapilot-scrape started=12\nprocess_open_fds 3\n").started == 12.0


def test_series_keys_keep_only_the_labels_facts_tell_apart() -> None:
    assert series_key("x") == "x"
    labels = {"request": "Produce", "quantile": "0.99", "clientId": "c"}
    assert series_key("x", labels) == "x{quantile=0.99,request=Produce}"


def test_empty_and_untyped_text() -> None:
    assert parse_scrape("").values == {}
    assert parse_scrape("# only a comment\n").values == {}
    assert parse_scrape("process_open_fds 12\nsomething_else 3\n").values == {"process_open_fds": 12.0}


@pytest.mark.parametrize(("text", "line"), [
    ("<html><body>404 Not Found</body></html>\n", 1),
    ("\n\nError: connection refused\n", 3),
    ("# TYPE process_open_fds gauge\nprocess_open_fds lots\n", 2),
    ("# TYPE x counter\nx_total 1\nprocess_max_fds{a=b} 4\n", 3),
])
def test_text_of_another_kind_raises_at_its_line(text: str, line: int) -> None:
    with pytest.raises(ParseError) as raised:
        parse_scrape(text)
    assert raised.value.line == line and "\n" not in str(raised.value)


def test_a_large_scrape_is_read_in_linear_time() -> None:
    """A broker with thousands of partitions exposes hundreds of thousands of per-partition lines: the cut
    keeps the parse to the families read (the lab's 11 339-line scrape takes about 0.05 s)."""
    partitions = "".join(f'kafka_log_log_size{{partition="{p}",topic="t{p % 300}",}} {p}.0\n' for p in range(200_000))
    start = time.process_time()
    scrape = parse_scrape(LAB + "# TYPE kafka_log_log_size gauge\n" + partitions)
    elapsed = time.process_time() - start
    assert scrape.values == parse_scrape(LAB).values
    assert elapsed < 1.0, elapsed
