"""The two scrapes of a broker's metrics agent: the locator (plugin_utils/locators.py) asks, the host module
(op_http) answers over real HTTP from a local server, the store writes them; no lab needed (the lab run,
tests/lab/test_metrics_lab.py, scrapes the real jmx_prometheus_javaagent)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.collection.collection_path import plugin_utils

plan, locators, host, store = (plugin_utils(n) for n in ("plan", "locators", "host", "store"))
registry = plugin_utils("registry")

BODY = b"# TYPE process_open_fds gauge\nprocess_open_fds 12.0\n# TYPE x_total counter\nx_total 3.0\n"


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[float] = []  # noqa: RUF012 - shared by the handler instances of one server

    def do_GET(self) -> None:
        _Handler.hits.append(time.time())
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def agent_port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.hits = []
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _collect(module: ModuleType, root: Path, port: int, interval: float) -> tuple[list[dict], float]:
    agent = f"-javaagent:/opt/jmx/jmx_prometheus_javaagent-1.0.1.jar=127.0.0.1:{port}:/c.yml"
    args = ["/usr/bin/java", "-Xmx1g", agent,
            "-cp", "/opt/kafka/libs/*", "kafka.Kafka", "/etc/kafka/server.properties"]
    (process,) = plan.classify_processes([{"pid": 42, "args": args, "user": "kafka"}])
    state = locators.HostState(store.ArtifactStore(root, "hosts/h"), host.HostOptions(metrics_interval=interval))
    declaration = registry.declared("prometheus_metrics")
    locator = locators.LOCATORS[declaration.locator]
    started = time.monotonic()
    for phase in (locators.COMMAND_LINE_FILES, locators.LOGS_AND_DATA_DIRS):
        assert locator.runs_in(phase)
        requests = locator.requests(state, process, declaration)
        locator.store(state, process, declaration, module.run_all(requests, 4) if requests else {})
    return state.store.finish(), time.monotonic() - started


def test_two_scrapes_interval_seconds_apart(host_module: ModuleType, tmp_path: Path, agent_port: int) -> None:
    artifacts, took = _collect(host_module, tmp_path, agent_port, 1.5)
    assert [(a["name"], a["key"], a["status"]) for a in artifacts] == [
        ("prometheus_metrics", "1", "ok"), ("prometheus_metrics", "2", "ok")]
    assert artifacts[0]["source"] == f"GET http://127.0.0.1:{agent_port}/metrics"
    first, second = ((tmp_path / a["path"]).read_text() for a in artifacts)
    assert first.startswith("# kafkapilot-scrape started=") and first.endswith(BODY.decode())
    started = [float(t.split("started=")[1].split()[0]) for t in (first, second)]
    assert 1.5 <= started[1] - started[0] < 2.5
    # the server saw the second request at least the interval after the first scrape began (not after the
    # first request arrived: that one may have waited on its connection longer than the second did)
    assert started[0] <= _Handler.hits[0] and 1.5 <= _Handler.hits[1] - started[0] < 2.5
    assert took >= 1.5


def test_interval_zero_scrapes_once_and_says_so(host_module: ModuleType, tmp_path: Path, agent_port: int) -> None:
    artifacts, took = _collect(host_module, tmp_path, agent_port, 0)
    assert [(a["key"], a["status"]) for a in artifacts] == [("1", "ok"), ("2", "skipped")]
    assert artifacts[1]["error"] == "one scrape only: kafkapilot_metrics_interval is 0"
    assert len(_Handler.hits) == 1 and took < 1.5


def test_the_wait_is_bounded_by_max_wait(host_module: ModuleType) -> None:
    start = time.monotonic()
    result = host_module.op_http({"url": "http://127.0.0.1:9/metrics", "timeout": 1, "not_before": time.time() + 600,
                                  "max_wait": 0.3})
    assert result["status"] == "failed" and 0.3 <= time.monotonic() - start < 5


def test_the_cluster_metrics_endpoint_is_read_once(host_module: ModuleType, tmp_path: Path, agent_port: int) -> None:
    cluster = plugin_utils("cluster")
    url = f"http://127.0.0.1:{agent_port}/metrics"

    def execute(ops: list[dict]) -> dict[str, dict]:
        answered = {t["id"]: {"status": "ok", "rc": 0, "stdout": "x\n"} for t in ops[0]["tools"]}
        tools = {"status": "ok", "tools": answered}
        return {"tools": tools, **host_module.run_all([o for o in ops if o["op"] == "http"], 4)}  # real HTTP

    hints = {"kafka_home": "/opt/kafka", "mode": "kraft", "host": "kafka-1", "instance": "kafka"}
    found, _, _ = cluster.collect_cluster(execute, tmp_path, hints,
                                          cluster.ClusterOptions(bootstrap_server="b:9092", metrics_endpoint=url))
    (endpoint,) = [a for a in found if a["name"] == "metrics_endpoint"]
    assert (endpoint["status"], endpoint["source"]) == ("ok", f"GET {url}")
    assert (tmp_path / endpoint["path"]).read_text() == BODY.decode() and len(_Handler.hits) == 1
    options = cluster.ClusterOptions(bootstrap_server="b")
    found, _, _ = cluster.collect_cluster(execute, tmp_path / "none", hints, options)
    assert "metrics_endpoint" not in {a["name"] for a in found}  # none named in the inventory: none read
