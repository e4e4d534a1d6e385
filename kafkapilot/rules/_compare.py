"""Shared by the drift rules: one value per node, compared between nodes that should match."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kafkapilot.findings import Severity
from kafkapilot.rules.registry import RuleResult, Violation

__all__ = ["Reading", "compare_nodes"]

# A reading gives (value, None) or (None, reason the value is unknown) for one node.
Reading = Callable[[Mapping[str, Any]], tuple[object, str | None]]


def compare_nodes(
    nodes: Iterable[Mapping[str, Any]],
    readings: Mapping[str, Reading],
    *,
    what: str,
    severity: Callable[[str], Severity | None] = lambda _name: None,
    show: Callable[[str, object], str] = lambda _name, value: str(value),
) -> RuleResult:
    """One violation per reading whose value differs between the nodes of one role group."""
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for node in nodes:
        groups.setdefault(tuple(node.get("roles") or ()), []).append(node)
    violations: list[Violation] = []
    missing: dict[str, str] = {}
    checked: set[str] = set()
    for roles, members in groups.items():
        for name, read in readings.items():
            values: dict[str, object] = {}
            for node in members:
                value, reason = read(node)
                if reason:
                    missing.setdefault(node["label"], f"{node['label']}: {reason}")
                else:
                    values[node["label"]] = value
                    checked.add(node["label"])
            if len({repr(v) for v in values.values()}) > 1:
                violations.append(_violation(name, values, roles, what, severity(name), show))
    return RuleResult(violations=tuple(violations), checked=len(checked), not_evaluated=tuple(missing.values()))


def _violation(
    name: str, values: dict[str, object], roles: tuple[str, ...], what: str,
    severity: Severity | None, show: Callable[[str, object], str],
) -> Violation:
    common, _count = Counter(repr(v) for v in values.values()).most_common(1)[0]
    usual = next(v for v in values.values() if repr(v) == common)
    odd = {label: v for label, v in values.items() if repr(v) != common}
    group = "+".join(roles) or "kafka"
    return Violation(
        message=(f"{name} is not the same on all {group} nodes: "
                 + ", ".join(f"{label}={show(name, v)}" for label, v in sorted(values.items()))),
        host=sorted(odd)[0] if len(odd) == 1 else None,
        item=f"{what} {name}",
        actual=", ".join(f"{label}: {show(name, v)}" for label, v in sorted(odd.items())),
        expected=f"{show(name, usual)} (as on {', '.join(sorted(set(values) - set(odd)))})",
        severity=severity,
    )
