"""config_drift: cluster-wide broker settings must have the same effective value on every broker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kafkapilot.findings import Severity
from kafkapilot.rules._compare import Reading, compare_nodes
from kafkapilot.rules.registry import RuleContext, RuleResult, rule

__all__ = ["config_drift"]


def _setting(key: str) -> Reading:
    def read(node: Mapping[str, Any]) -> tuple[object, str | None]:
        config = node.get("config")
        if config is None:
            return None, (node.get("unavailable") or {}).get("config", "server.properties unknown")
        return config.get(key), None

    return read


@rule("config_drift")
def config_drift(context: RuleContext) -> RuleResult:
    """One violation per key whose effective value is not the same on all brokers."""
    keys = list(context.params.get("keys", []))
    high = set(context.params.get("high_keys", []))
    brokers = [{**b, "roles": ["broker"]} for b in context.cluster["brokers"]]
    return compare_nodes(
        brokers,
        {key: _setting(key) for key in keys},
        what="setting",
        severity=lambda key: Severity.HIGH if key in high else None,
        show=lambda _key, value: "(unset)" if value is None else str(value),
    )
