"""Build the facts of a whole snapshot: hosts, nodes (one per JVM) and the cluster."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kafkapilot.facts.cluster import build_cluster
from kafkapilot.facts.derived import derive_facts
from kafkapilot.facts.hosts import build_host
from kafkapilot.facts.model import Cluster, Host, KafkaNode, ZooKeeperNode
from kafkapilot.facts.nodes import build_node
from kafkapilot.snapshot.load import Snapshot

__all__ = ["Facts", "build_facts"]


@dataclass(frozen=True)
class Facts:
    """Everything the checks see: typed models (kafkapilot/facts/model/), read as attributes."""

    snapshot: Snapshot
    hosts: list[Host]
    nodes: list[KafkaNode]
    zookeepers: list[ZooKeeperNode]
    cluster: Cluster
    # what kafkapilot.subjects works out once per scope (every task of a scope has the same subjects)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def brokers(self) -> list[KafkaNode]:
        """Kafka nodes with the broker role."""
        return self.cluster.brokers

    @property
    def controllers(self) -> list[KafkaNode]:
        """Kafka nodes with the controller role."""
        return self.cluster.controllers


def build_facts(snapshot: Snapshot) -> Facts:
    """Parse every artifact of the snapshot once and join them into facts."""
    hosts = [build_host(snapshot, name) for name in snapshot.hosts]
    nodes: list[KafkaNode] = []
    zookeepers: list[ZooKeeperNode] = []
    for host in hosts:
        entry = snapshot.manifest.hosts[host.name]
        for process in sorted(entry.processes, key=lambda p: p.instance):
            node = build_node(snapshot, host, process)
            if isinstance(node, KafkaNode):
                nodes.append(node)
                host.kafka_process_count += 1
            else:
                zookeepers.append(node)
                host.zookeeper_process_count += 1
    cluster = build_cluster(snapshot, hosts, nodes, zookeepers)
    for node in [*nodes, *zookeepers]:
        node.cluster_mode = cluster.mode
    derive_facts(snapshot, hosts, nodes, cluster)
    return Facts(snapshot=snapshot, hosts=hosts, nodes=nodes, zookeepers=zookeepers, cluster=cluster)
