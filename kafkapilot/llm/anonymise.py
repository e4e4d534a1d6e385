"""Replace identifying names by consistent tokens before a prompt leaves the machine.

Host names (inventory names, FQDNs, addresses), IP addresses, the cluster name and ids,
topic and consumer group names become `broker-1`, `host-2`, `ip-3`, `topic-4`, `group-5`…
The map lives in memory only; answers are mapped back before they reach a Finding.
Kafka's internal topics (`__consumer_offsets`, …) carry no information about the user and stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

from kafkapilot.facts import Facts

__all__ = ["Anonymiser", "anonymiser_for"]

_IPV4: Final = re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\w|\.\d)")
_TOKEN: Final = re.compile(r"\b(?:broker|controller|zookeeper|host|ip|topic|group|cluster-id|cluster|domain)-\d+\b")


class Anonymiser:
    """A two-way map between real names and tokens, consistent for one analysis."""

    def __init__(self) -> None:
        self._forward: dict[str, str] = {}
        self._backward: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        self._pattern: re.Pattern[str] | None = None

    def add(self, name: str | None, kind: str) -> str | None:
        """Register a real name under a token of `kind` (broker, host, topic …); return the token."""
        if not name or len(name) < 2:
            return None
        if name in self._forward:
            return self._forward[name]
        self._counters[kind] = self._counters.get(kind, 0) + 1
        token = f"{kind}-{self._counters[kind]}"
        self._forward[name] = token
        self._backward[token] = name
        self._pattern = None
        return token

    def alias(self, name: str | None, token: str) -> None:
        """Another spelling of an already registered name (an FQDN of a host): same token."""
        if name and len(name) >= 2 and name not in self._forward:
            self._forward[name] = token
            self._pattern = None

    def token(self, name: str) -> str:
        """The token of a registered name (the name itself when unknown)."""
        return self._forward.get(name, name)

    def real(self, token: str) -> str:
        """The real name behind a token (the token itself when unknown)."""
        return self._backward.get(token, token)

    def anonymise(self, text: str) -> str:
        """Replace every registered name, then any other IPv4 address, by its token."""
        if self._pattern is None and self._forward:
            names = sorted(self._forward, key=len, reverse=True)
            self._pattern = re.compile("(?<![\\w-])(?:" + "|".join(re.escape(n) for n in names) + ")(?!\\w)")
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._forward[m.group(0)], text)
        return _IPV4.sub(lambda m: self.add(m.group(0), "ip") or m.group(0), text)

    def restore(self, text: str) -> str:
        """Map tokens in a model's answer back to the real names."""
        return _TOKEN.sub(lambda m: self._backward.get(m.group(0), m.group(0)), text)

    def restore_all(self, values: Iterable[str]) -> list[str]:
        """restore() over several strings."""
        return [self.restore(v) for v in values]


def anonymiser_for(facts: Facts) -> Anonymiser:
    """Register every identifying name the facts know, in a stable order."""
    anon = Anonymiser()
    brokers = {n["host"] for n in facts.nodes if n.get("is_broker")}
    controllers = {n["host"] for n in facts.nodes if n.get("is_controller")}
    keepers = {n["host"] for n in facts.zookeepers}
    for host in facts.hosts:
        name = host["name"]
        kind = ("broker" if name in brokers else "controller" if name in controllers
                else "zookeeper" if name in keepers else "host")
        token = anon.add(name, kind)
        _add_fqdn(anon, facts, name, token)
        anon.add(host.get("address"), "ip")
    cluster: dict[str, Any] = facts.cluster
    anon.add(facts.snapshot.manifest.cluster_name, "cluster")
    anon.add((cluster.get("quorum") or {}).get("cluster_id"), "cluster-id")
    for node in facts.nodes:
        for meta in (node.get("meta_properties") or {}).values():
            anon.add((meta or {}).get("cluster.id"), "cluster-id")
    for zk in cluster.get("zookeeper_connect_hosts") or []:
        anon.add(str(zk).split(":")[0], "host")
    for topic in cluster.get("topics") or []:
        if not topic.get("internal") and not str(topic["name"]).startswith("__"):
            anon.add(topic["name"], "topic")
    for group in cluster.get("consumer_groups") or []:
        anon.add(group.get("group"), "group")
        for topic in group.get("topics") or []:
            if not str(topic).startswith("__"):
                anon.add(topic, "topic")
    return anon


def _add_fqdn(anon: Anonymiser, facts: Facts, host: str, token: str | None) -> None:
    """`hostname -f` gives the FQDN: map it to the host's token, and its domain to a domain token."""
    text = facts.snapshot.text(facts.snapshot.host_artifact(host, "hostname"))
    fqdn = (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""
    if not fqdn or fqdn == host or token is None:
        return
    anon.alias(fqdn, token)
    short, _, domain = fqdn.partition(".")
    anon.alias(short, token)
    if domain:
        anon.add(domain, "domain")
