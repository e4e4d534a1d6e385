"""Build the fact tree of a whole snapshot: hosts, nodes (one per JVM) and the cluster."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kafkapilot.facts.cluster import build_cluster
from kafkapilot.facts.derived import derive_facts
from kafkapilot.facts.hosts import build_host
from kafkapilot.facts.nodes import build_node
from kafkapilot.snapshot.load import Snapshot

__all__ = ["Facts", "build_facts"]


@dataclass(frozen=True)
class Facts:
    """Everything the checks see. Plain dicts and lists, so that expressions can read them."""

    snapshot: Snapshot
    hosts: list[dict[str, Any]]
    nodes: list[dict[str, Any]]
    zookeepers: list[dict[str, Any]]
    cluster: dict[str, Any]

    @property
    def brokers(self) -> list[dict[str, Any]]:
        """Kafka nodes with the broker role."""
        return self.cluster["brokers"]

    @property
    def controllers(self) -> list[dict[str, Any]]:
        """Kafka nodes with the controller role."""
        return self.cluster["controllers"]


def build_facts(snapshot: Snapshot) -> Facts:
    """Parse every artifact of the snapshot once and join them into facts."""
    hosts = [build_host(snapshot, name) for name in snapshot.hosts]
    nodes: list[dict[str, Any]] = []
    zookeepers: list[dict[str, Any]] = []
    for host in hosts:
        entry = snapshot.manifest.hosts[host["name"]]
        for process in sorted(entry.processes, key=lambda p: p.instance):
            node = build_node(snapshot, host, process)
            (nodes if process.kind == "kafka" else zookeepers).append(node)
    for host in hosts:
        host["kafka_process_count"] = sum(1 for n in nodes if n["host"] == host["name"])
        host["zookeeper_process_count"] = sum(1 for n in zookeepers if n["host"] == host["name"])
    cluster = build_cluster(snapshot, hosts, nodes, zookeepers)
    for node in nodes + zookeepers:
        node["cluster_mode"] = cluster["mode"]
    derive_facts(snapshot, hosts, nodes, cluster)
    return Facts(snapshot=snapshot, hosts=hosts, nodes=nodes, zookeepers=zookeepers, cluster=cluster)
