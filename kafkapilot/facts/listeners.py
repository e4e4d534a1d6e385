"""Listeners of a Kafka node, from `listeners`, `advertised.listeners` and the protocol map."""

from __future__ import annotations

import ipaddress

from kafkapilot.facts.kafka_defaults import DEFAULT_PROTOCOL_MAP
from kafkapilot.facts.model import Listener

__all__ = ["is_loopback", "parse_listeners", "protocol_map"]


def protocol_map(config: dict[str, str]) -> dict[str, str]:
    """listener.security.protocol.map as a dict (listener name → security protocol)."""
    raw = config.get("listener.security.protocol.map", "")
    mapping = dict(DEFAULT_PROTOCOL_MAP)
    for pair in raw.split(","):
        name, sep, protocol = pair.strip().partition(":")
        if sep and name:
            mapping[name.strip().upper()] = protocol.strip().upper()
    return mapping


def is_loopback(host: str) -> bool:
    """True for localhost and 127.0.0.0/8 / ::1; a wildcard or a name is not loopback."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_listeners(config: dict[str, str]) -> list[Listener]:
    """One per listener: name, protocol, host, port, loopback, wildcard, role."""
    mapping = protocol_map(config)
    controller_names = {n.strip().upper() for n in config.get("controller.listener.names", "").split(",") if n.strip()}
    # Unset inter.broker.listener.name: Kafka uses the listener named after security.inter.broker.protocol.
    inter_broker = (
        config.get("inter.broker.listener.name", "").strip()
        or config.get("security.inter.broker.protocol", "PLAINTEXT").strip()
    ).upper()
    listeners: list[Listener] = []
    for spec in config.get("listeners", "").split(","):
        name, sep, rest = spec.strip().partition("://")
        if not sep:
            continue
        host, _, port = rest.rpartition(":")
        name = name.upper()
        role = "controller" if name in controller_names else ("inter_broker" if name == inter_broker else "client")
        protocol = mapping.get(name, "UNKNOWN")
        listeners.append(
            Listener(
                name=name,
                protocol=protocol,
                host=host,
                port=int(port) if port.isdigit() else None,
                loopback=bool(host) and is_loopback(host),
                wildcard=host in {"", "0.0.0.0", "::", "[::]"},  # noqa: S104 - detecting, not binding
                role=role,
                encrypted=protocol in {"SSL", "SASL_SSL"},
                authenticated=_authenticated(config, name, protocol),
            )
        )
    return listeners


def _authenticated(config: dict[str, str], name: str, protocol: str) -> bool:
    """SASL always authenticates; SSL only with client certificates required."""
    if protocol.startswith("SASL_"):
        return True
    if protocol == "SSL":
        client_auth = config.get(f"listener.name.{name.lower()}.ssl.client.auth", config.get("ssl.client.auth", "none"))
        return client_auth.strip().lower() == "required"
    return False
