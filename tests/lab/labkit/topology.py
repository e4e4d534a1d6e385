"""The lab's hosts per topology: names, loopback addresses, roles, node ids and racks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from .errors import LabError

__all__ = ["Host", "TOPOLOGIES", "KAFKA_VERSIONS", "hosts_for", "BASTION_IP", "ALL_LAB_HOSTS"]

BASTION_IP: Final = "127.42.0.10"
KAFKA_4: Final = "4.4.0"  # newest Kafka 4.x served by Maven Central here (KRaft only, log4j2)
KAFKA_3: Final = "3.9.2"  # newest Kafka 3.x: the last line with ZooKeeper mode (log4j 1 / reload4j)
KAFKA_VERSIONS: Final = {"kraft": KAFKA_4, "kraft-split": KAFKA_4, "zookeeper": KAFKA_3}
TOPOLOGIES: Final = tuple(KAFKA_VERSIONS)
RACKS: Final = ("rack-a", "rack-b", "rack-c")


@dataclass(frozen=True)
class Host:
    name: str
    ip: str
    roles: frozenset[str] = field(default_factory=frozenset)  # bastion | broker | controller | zookeeper
    node_id: int = 0  # node.id / broker.id for Kafka nodes, myid for ZooKeeper nodes
    rack: str = ""

    @property
    def is_kafka(self) -> bool:
        return bool(self.roles & {"broker", "controller"})


def _bastion() -> Host:
    return Host("bastion", BASTION_IP, frozenset({"bastion"}))


def _brokers(roles: set[str]) -> list[Host]:
    return [Host(f"kafka-{i}", f"127.42.0.{10 + i}", frozenset(roles), i, RACKS[i - 1]) for i in (1, 2, 3)]


def hosts_for(topology: str) -> list[Host]:
    if topology == "kraft":
        return [_bastion(), *_brokers({"broker", "controller"})]
    if topology == "kraft-split":
        controllers = [Host(f"controller-{i}", f"127.42.0.{20 + i}", frozenset({"controller"}), 100 + i, RACKS[i - 1])
                       for i in (1, 2, 3)]
        return [_bastion(), *controllers, *_brokers({"broker"})]
    if topology == "zookeeper":
        zks = [Host(f"zk-{i}", f"127.42.0.{30 + i}", frozenset({"zookeeper"}), i, RACKS[i - 1]) for i in (1, 2, 3)]
        return [_bastion(), *zks, *_brokers({"broker"})]
    msg = f"unknown topology {topology!r}; choose one of: {', '.join(TOPOLOGIES)}"
    raise LabError(msg)


# every name the lab can ever use, for /etc/hosts and certificates
ALL_LAB_HOSTS: Final = {h.name: h.ip for t in TOPOLOGIES for h in hosts_for(t)}
