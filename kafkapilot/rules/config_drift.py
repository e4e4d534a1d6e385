"""config_drift: cluster-wide broker settings must have the same effective value on every broker.

Values are compared as Kafka reads them, so that one configuration written two ways is not drift: booleans
case-insensitively (Kafka's ConfigDef trims and ignores case), lists as sets (super.users is split on ``;``,
the others on ``,``), and the three retention keys as the one retention they give (``log.retention.ms``, else
``.minutes``, else ``.hours``, else Kafka's 168 hours).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from kafkapilot.findings import Severity
from kafkapilot.rules._compare import Reading, compare_nodes
from kafkapilot.rules.registry import RuleContext, RuleResult, rule

__all__ = ["RETENTION", "config_drift"]

LIST_SEPARATORS: Final[dict[str, str]] = {
    "super.users": ";",
    "sasl.enabled.mechanisms": ",",
    "ssl.enabled.protocols": ",",
    "ssl.cipher.suites": ",",
    "listener.security.protocol.map": ",",
}
RETENTION_MS: Final[dict[str, int]] = {"log.retention.ms": 1, "log.retention.minutes": 60_000,
                                       "log.retention.hours": 3_600_000}
DEFAULT_RETENTION_MS: Final = 168 * 3_600_000
RETENTION: Final = "log retention (ms)"
"""The reading that stands for log.retention.ms, .minutes and .hours together."""


def _config(node: Mapping[str, Any]) -> tuple[Mapping[str, str] | None, str | None]:
    config = node.get("config")
    if config is None:
        return None, (node.get("unavailable") or {}).get("config", "server.properties unknown")
    return config, None


def _normalised(key: str, value: str | None) -> object:
    if value is None:
        return None
    text = value.strip()
    if text.lower() in {"true", "false"}:
        return text.lower()
    separator = LIST_SEPARATORS.get(key)
    if separator:
        return separator.join(sorted({item.strip() for item in text.split(separator) if item.strip()}))
    return text


def _setting(key: str) -> Reading:
    def read(node: Mapping[str, Any]) -> tuple[object, str | None]:
        config, reason = _config(node)
        return (None, reason) if config is None else (_normalised(key, config.get(key)), None)

    return read


def _retention(node: Mapping[str, Any]) -> tuple[object, str | None]:
    config, reason = _config(node)
    if config is None:
        return None, reason
    for key, factor in RETENTION_MS.items():
        value = (config.get(key) or "").strip()
        if value:
            try:
                milliseconds = int(value)
            except ValueError:
                return value, None
            return (-1 if milliseconds < 0 else milliseconds * factor), None
    return DEFAULT_RETENTION_MS, None


@rule("config_drift")
def config_drift(context: RuleContext) -> RuleResult:
    """One violation per key whose effective value is not the same on all brokers."""
    keys = list(context.params.get("keys", []))
    high = set(context.params.get("high_keys", []))
    readings: dict[str, Reading] = {}
    for key in keys:
        if key in RETENTION_MS:
            readings[RETENTION] = _retention
        else:
            readings[key] = _setting(key)
    brokers = [{**b, "roles": ["broker"]} for b in context.cluster["brokers"]]
    return compare_nodes(
        brokers,
        readings,
        what="setting",
        severity=lambda key: Severity.HIGH if key in high else None,
        show=lambda _key, value: "(unset)" if value is None else str(value),
    )
