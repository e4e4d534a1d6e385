"""Shared by the drift rules: one value per node, compared between nodes that should match."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from kafkapilot.findings import Evidence, NotEvaluated, Severity, Subject, SubjectKind
from kafkapilot.rules.registry import RuleResult, Violation
from kafkapilot.subject_ids import node_subject

__all__ = ["Reading", "compare_nodes", "within"]

# A reading gives (value, None) or (None, reason the value is unknown) for one node.
Reading = Callable[[Mapping[str, Any]], tuple[object, str | None]]


def compare_nodes(
    nodes: Iterable[Mapping[str, Any]],
    readings: Mapping[str, Reading],
    *,
    what: str,
    severity: Callable[[str], Severity | None] = lambda _name: None,
    show: Callable[[str, object], str] = lambda _name, value: str(value),
    same: Callable[[str, Sequence[object]], bool] = lambda _name, values: len({repr(v) for v in values}) <= 1,
) -> RuleResult:
    """One violation per reading whose values are not the ``same`` (by default: equal) on the nodes of one
    role group."""
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    host_of: dict[str, str] = {}
    for node in nodes:
        host_of[node["label"]] = node["host"]
        groups.setdefault(tuple(node.get("roles") or ()), []).append(node)
    violations: list[Violation] = []
    missing: dict[str, NotEvaluated] = {}
    checked: dict[str, Subject] = {}
    for roles, members in groups.items():
        for name, read in readings.items():
            values: dict[str, object] = {}
            for node in members:
                value, reason = read(node)
                if reason:
                    missing.setdefault(node["label"], NotEvaluated(subject=node_subject(node), reason=reason))
                else:
                    values[node["label"]] = value
                    checked.setdefault(node["label"], node_subject(node))
            if not same(name, list(values.values())):
                violations.append(_violation(name, values, roles, what=what, severity=severity(name), show=show,
                                             host_of=host_of))
    return RuleResult(
        violations=tuple(violations), checked=tuple(checked.values()), not_evaluated=tuple(missing.values()),
    )


def _violation(
    name: str, values: dict[str, object], roles: tuple[str, ...], *, what: str,
    severity: Severity | None, show: Callable[[str, object], str], host_of: Mapping[str, str],
) -> Violation:
    common, _count = Counter(repr(v) for v in values.values()).most_common(1)[0]
    usual = next(v for v in values.values() if repr(v) == common)
    odd = {label: v for label, v in values.items() if repr(v) != common}
    group = "+".join(roles) or "kafka"
    evidence = Evidence(
        subject=Subject(kind=SubjectKind.SETTING, name=name),
        message=(f"{name} is not the same on all {group} nodes: "
                 + ", ".join(f"{label}={show(name, v)}" for label, v in sorted(values.items()))),
        host=host_of[next(iter(odd))] if len(odd) == 1 else None,
        item=f"{what} {name}",
        actual=", ".join(f"{label}: {show(name, v)}" for label, v in sorted(odd.items())),
        expected=f"{show(name, usual)} (as on {', '.join(sorted(set(values) - set(odd)))})",
    )
    return Violation(evidence=evidence, severity=severity)


def within(fraction: float) -> Callable[[Sequence[object]], bool]:
    """Numbers agree when the largest is at most ``fraction`` above the smallest (None only equals None)."""

    def agree(values: Sequence[object]) -> bool:
        numbers = [v for v in values if isinstance(v, int | float)]
        if len(numbers) != len(values):
            return len({repr(v) for v in values}) <= 1
        return not numbers or max(numbers) <= min(numbers) * (1 + fraction)

    return agree
