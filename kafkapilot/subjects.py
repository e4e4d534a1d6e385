"""What a task is evaluated on: one subject per broker, controller, host … or the cluster."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kafkapilot.catalog.schema import Scope
from kafkapilot.facts import Facts
from kafkapilot.facts.model import Record

__all__ = ["Subject", "missing_requirement", "subjects_for"]


@dataclass(frozen=True)
class Subject:
    """One thing a task looks at, with the variables its expressions see."""

    label: str
    host: str | None
    variables: dict[str, Any]


def subjects_for(scope: Scope, facts: Facts) -> list[Subject]:
    """Subjects of a scope, in a stable order (worked out once per scope)."""
    key = ("subjects", scope)
    if key not in facts.memo:
        facts.memo[key] = _subjects(scope, facts)
    return facts.memo[key]


def _subjects(scope: Scope, facts: Facts) -> list[Subject]:
    cluster = facts.cluster
    if scope is Scope.CLUSTER:
        return [Subject("cluster", None, {"cluster": cluster})]
    if scope is Scope.HOST:
        chosen = [h for h in facts.hosts if h.kafka_process_count or h.zookeeper_process_count]
        return [Subject(h.name, h.name, {"host": h, "cluster": cluster}) for h in chosen]
    pools = {
        Scope.BROKER: facts.brokers,
        Scope.CONTROLLER: facts.controllers,
        Scope.KAFKA_NODE: facts.nodes,
        Scope.ZOOKEEPER: facts.zookeepers,
    }
    return [Subject(n.label, n.host, {"node": n, "host": n.os, "cluster": cluster}) for n in pools[scope]]


def _step(value: Any, part: str) -> Any:
    """One step down a fact path: a model's field or a dict's key; None when there is none."""
    if isinstance(value, Record | dict):
        return value.get(part)
    return None


def missing_requirement(path: str, variables: dict[str, Any]) -> str | None:
    """None when the fact at `path` (e.g. 'node.jvm.xmx_bytes') is known, else why it is not."""
    parts = path.split(".")
    value: Any = variables.get(parts[0])
    owner: Any = value
    for depth, part in enumerate(parts[1:], start=1):
        if _unavailable(value) is not None:
            owner = value
        following = _step(value, part)
        if following is None:
            return _reason(owner, parts, depth)
        value = following
    return None


def _unavailable(value: Any) -> dict[str, str] | None:
    if isinstance(value, Record):
        return value.get("unavailable")
    if isinstance(value, dict) and isinstance(value.get("unavailable"), dict):
        return value["unavailable"]
    return None


def _reason(owner: Any, parts: list[str], depth: int) -> str:
    unavailable = _unavailable(owner) or {}
    for candidate in (parts[depth] if depth < len(parts) else "", *parts[1:]):
        if candidate in unavailable:
            return unavailable[candidate]
    if "host" in unavailable:
        return unavailable["host"]
    return f"unknown: {'.'.join(parts)} is not in the snapshot"
