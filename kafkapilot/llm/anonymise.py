"""Replace identifying names by consistent tokens before a prompt leaves the machine.

By name: host names (inventory names, FQDNs, addresses), the cluster name and ids, topic and
consumer group names become `broker-1`, `host-2`, `ip-3`, `topic-4`, `group-5`…
By shape, in any text: IPv4 and IPv6 addresses (`ip-N`), host names and FQDNs outside the
inventory (`host-N`, a name ending in a known top-level domain; public documentation sites stay),
Kafka principals (`User:alice` -> `User:principal-N`; `User:*` and `User:ANONYMOUS` say nothing about
anyone and stay), certificate DN values (`CN=`, `OU=`, `O=` -> `dn-N`) and SASL user names (JAAS
`username="…"`, PlainLoginModule's `user_NAME=` -> `user-N`).
The map lives in memory only; answers are mapped back before they reach a Finding.
Kafka's internal topics (`__consumer_offsets`, …) carry no information about the user and stay.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Any, Final

from kafkapilot.facts import Facts

__all__ = ["Anonymiser", "anonymiser_for"]

_IPV4: Final = re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\w|\.\d)")
#: a candidate IPv6 address (validated with ipaddress): hex groups with "::" or eight groups, maybe a zone
_IPV6: Final = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4})"
                          r"(?:%[\w.-]+)?(?![\w:]|\.\d)")
_TLDS: Final = (
    "com|net|org|io|info|biz|local|localdomain|internal|intranet|intra|corp|lan|home|cloud|dev|app|ai|eu|de|fr|uk|"
    "us|ca|ch|nl|se|no|fi|dk|at|be|it|es|pl|cz|jp|cn|in|au|br|ru|arpa|example|test"
)
_FQDN: Final = re.compile(r"(?<![\w.@/-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:" + _TLDS +
                          r")(?![\w-]|\.[A-Za-z0-9])", re.IGNORECASE)
#: public sites that documentation and stack traces name: no one's infrastructure
_PUBLIC_DOMAINS: Final = ("apache.org", "confluent.io", "github.com", "oracle.com", "openjdk.org", "example.com")
_DN_VALUE: Final = re.compile(r"\b(CN|OU|O)=((?:\\.|[^,;+/\n\"'\]\)<>\\])+)")
_PRINCIPAL: Final = re.compile(r"\bUser:(?!\*|ANONYMOUS\b|(?:CN|OU|O)=)([A-Za-z0-9._@-]+)")
_JAAS_USERNAME: Final = re.compile(r"\b(username\s*=\s*)([\"']?)([^\"'\s;]+)\2")
_JAAS_USER_DEFINITION: Final = re.compile(r"\b(user_)([A-Za-z0-9._@-]+)(\s*=)")
_TOKEN: Final = re.compile(
    r"(?<![A-Za-z0-9-])(?:broker|controller|zookeeper|host|ip|topic|group|cluster-id|cluster|domain|principal|dn|user)-\d+\b")


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
        """Replace every registered name, then what has the shape of an identity (see the module), by its token."""
        if self._pattern is None and self._forward:
            names = sorted(self._forward, key=len, reverse=True)
            self._pattern = re.compile("(?<![\\w-])(?:" + "|".join(re.escape(n) for n in names) + ")(?!\\w)")
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._forward[m.group(0)], text)
        text = _DN_VALUE.sub(lambda m: f"{m.group(1)}={self._shape(m.group(2), 'dn')}", text)
        text = _PRINCIPAL.sub(lambda m: "User:" + self._shape(m.group(1), "principal"), text)
        text = _JAAS_USERNAME.sub(lambda m: f"{m.group(1)}{m.group(2)}{self._shape(m.group(3), 'user')}{m.group(2)}",
                                  text)
        text = _JAAS_USER_DEFINITION.sub(lambda m: m.group(1) + self._shape(m.group(2), "user") + m.group(3), text)
        text = _IPV6.sub(self._ipv6, text)
        text = _FQDN.sub(self._fqdn, text)
        return _IPV4.sub(lambda m: self.add(m.group(0), "ip") or m.group(0), text)

    def _shape(self, value: str, kind: str) -> str:
        """The token of a value found by its shape; a token already (a registered name inside it) stays."""
        value = value.strip()
        if _TOKEN.fullmatch(value):
            return value
        return self.add(value, kind) or value

    def _ipv6(self, match: re.Match[str]) -> str:
        candidate = match.group(0)
        try:
            ipaddress.IPv6Address(candidate.split("%", 1)[0])
        except ValueError:
            return candidate
        if "::" not in candidate and candidate.count(":") < 7:
            return candidate
        return self.add(candidate, "ip") or candidate

    def _fqdn(self, match: re.Match[str]) -> str:
        name = match.group(0)
        lowered = name.lower()
        if any(lowered == d or lowered.endswith("." + d) for d in _PUBLIC_DOMAINS):
            return name
        first, _, domain = name.partition(".")
        if _TOKEN.fullmatch(first):  # a known host in a domain not registered: the domain gets its own token
            return f"{first}.{self.add(domain, 'domain') or domain}"
        return self.add(name, "host") or name

    def restore(self, text: str) -> str:
        """Map tokens in a model's answer back to the real names."""
        for _ in range(3):  # a token may stand for text that held a token (a DN value naming a known host)
            restored = _TOKEN.sub(lambda m: self._backward.get(m.group(0), m.group(0)), text)
            if restored == text:
                break
            text = restored
        return text

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
