"""Run Kafka's own CLI tools inside a broker host, as user kafka, with the admin client config."""
from __future__ import annotations

import base64
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .hosts import run_in_host
from .topology import Host
from .waits import wait_until

__all__ = ["Cluster", "new_cluster_id"]

CLIENT_CONFIG = "/etc/kafka/client.properties"
# the lab's own short-lived tool runs: small heap, quick start (ops' runs use the real defaults)
FAST_JVM = {"KAFKA_HEAP_OPTS": "-Xmx256m",
            "KAFKA_JVM_PERFORMANCE_OPTS": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true"}


def new_cluster_id() -> str:
    """A Kafka cluster id (base64url of a random UUID, as `kafka-storage.sh random-uuid` prints)."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


class Cluster:
    def __init__(self, hosts: list[Host], state: dict[str, Any], *, down: set[str] = frozenset()) -> None:
        self.hosts = hosts
        self.state = state
        self.brokers = [h for h in hosts if "broker" in h.roles]
        admin = next(h for h in self.brokers if h.name not in down)
        self.admin_host = admin.name
        self.bootstrap = f"{admin.name}:9092"

    def pid(self, name: str) -> int:
        return self.state["hosts"][name]["init_pid"]

    def tool(self, script: str, *args: str, timeout: float = 120, check: bool = True) -> str:
        argv = [f"/opt/kafka/bin/{script}", "--bootstrap-server", self.bootstrap, *args]
        out = run_in_host(self.pid(self.admin_host), argv, env=FAST_JVM, timeout=timeout, check=check)
        return out.stdout

    def format_storage(self, cluster_id: str) -> None:
        nodes = [h for h in self.hosts if h.is_kafka]
        argv = ["/opt/kafka/bin/kafka-storage.sh", "format", "-t", cluster_id, "-c", "/etc/kafka/server.properties",
                "--ignore-formatted"]
        with ThreadPoolExecutor(max_workers=3) as pool:
            for fut in [pool.submit(run_in_host, self.pid(h.name), argv, env=FAST_JVM) for h in nodes]:
                fut.result()

    def registered_brokers(self) -> set[int]:
        out = self.tool("kafka-broker-api-versions.sh", "--command-config", CLIENT_CONFIG, timeout=60, check=False)
        return {int(m) for m in re.findall(r"\(id: (\d+)", out)}

    def wait_brokers(self, expected: int, timeout: float = 120) -> None:
        wait_until(lambda: len(self.registered_brokers()) >= expected, timeout=timeout, interval=1.0,
                   what=f"{expected} brokers to register with the cluster (kafka-broker-api-versions.sh)")

    def under_replicated(self) -> str:
        return self.tool("kafka-topics.sh", "--command-config", CLIENT_CONFIG, "--describe",
                         "--under-replicated-partitions").strip()

    def wait_fully_replicated(self, timeout: float = 90) -> None:
        wait_until(lambda: self.under_replicated() == "", timeout=timeout, interval=2.0,
                   what="every partition to be fully replicated (kafka-topics.sh --under-replicated-partitions)")
