"""ACL facts: the bindings of `kafka-acls --list`, and what the nodes' configs say about who can match them."""

from __future__ import annotations

from kafkapilot.facts.model import AclRule, KafkaNode
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers.acls import AclBinding, parse_acls

__all__ = ["acl_rules", "principal_kind", "principal_kinds", "super_users"]

_ALL_KINDS = ("anonymous", "certificate", "name")


def principal_kind(principal: str) -> str:
    """everyone, anonymous, certificate (a distinguished name), name, or other (not a User: principal)."""
    kind, sep, name = principal.partition(":")
    if not sep or kind != "User":
        return "other"
    if name == "*":
        return "everyone"
    if name == "ANONYMOUS":
        return "anonymous"
    return "certificate" if "=" in name else "name"


def acl_rules(reader: FactReader, nodes: list[KafkaNode] = ()) -> list[AclRule] | None:  # type: ignore[assignment]
    """cluster.acls; None (with the reason) when the acls artifact is missing or unreadable."""
    artifact = reader.artifact("acls")
    if artifact is not None and "No Authorizer is configured" in (artifact.error or ""):
        # the tool's SecurityDisabledException: no ACLs to judge. Where some broker has an authorizer, only those
        # without one answered (the collection retries the tool; the brokers differ: authorizer_missing)
        with_one = sorted(n.label for n in nodes if (n.config or {}).get("authorizer.class.name", "").strip())
        reader.note("acls", f"not collected: every kafka-acls run was answered by a broker without an authorizer, "
                            f"while {', '.join(with_one)} have one" if with_one else
                    "not applicable: no authorizer is configured on the brokers")
        return None
    bindings: tuple[AclBinding, ...] | None = reader.read("acls", "acls", parse_acls)
    if bindings is None:
        return None
    return [
        AclRule(resource_type=b.resource_type, resource_name=b.resource_name, pattern_type=b.pattern_type,
                principal=b.principal, host=b.host, operation=b.operation, permission=b.permission,
                principal_kind=principal_kind(b.principal))
        for b in bindings
    ]


def super_users(nodes: list[KafkaNode]) -> list[str] | None:
    """The union of super.users over the Kafka nodes whose config is known."""
    configs = [n.config for n in nodes if n.config is not None]
    if not configs:
        return None
    return sorted({p.strip() for c in configs for p in c.get("super.users", "").split(";") if p.strip()})


def principal_kinds(nodes: list[KafkaNode]) -> list[str] | None:
    """The principal kinds some listener of some node can authenticate (docs: Cluster.principal_kinds)."""
    kinds: set[str] = set()
    known = False
    for node in nodes:
        if node.listeners is None or node.config is None:
            continue
        known = True
        for listener in node.listeners:
            kinds |= _listener_kinds(node.config, listener.name.lower(), listener.protocol)
    return sorted(kinds) if known else None


def _listener_kinds(config: dict[str, str], name: str, protocol: str) -> set[str]:
    def setting(key: str, default: str) -> str:
        return config.get(f"listener.name.{name}.{key}", config.get(key, default)).strip()

    if setting("principal.builder.class", ""):
        return set(_ALL_KINDS)
    if protocol.startswith("SASL_"):
        return {"name"}
    if protocol == "PLAINTEXT":
        return {"anonymous"}
    if protocol != "SSL":
        return set()
    client_auth = setting("ssl.client.auth", "none").lower()
    kinds = set() if client_auth == "required" else {"anonymous"}
    if client_auth in {"required", "requested"}:
        rules = setting("ssl.principal.mapping.rules", "DEFAULT")
        kinds |= {"certificate"} if rules in {"", "DEFAULT"} else {"certificate", "name"}
    return kinds
