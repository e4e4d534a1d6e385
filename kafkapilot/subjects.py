"""What a task is evaluated on: one subject per broker, controller, host … or the cluster."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from kafkapilot.catalog.schema import Scope as TaskScope
from kafkapilot.expressions import Scope
from kafkapilot.facts import Facts
from kafkapilot.findings import Subject as ReportSubject
from kafkapilot.subject_ids import scope_subject

__all__ = ["Subject", "missing_requirement", "subjects_for"]

_UNSEEN: Final = object()


@dataclass(frozen=True)
class Subject:
    """One thing a task looks at, with the variables its expressions see."""

    label: str
    host: str | None
    variables: dict[str, Any]

    @cached_property
    def identity(self) -> ReportSubject:
        """Who this subject is in the report (made once: every task of the scope shares it)."""
        return scope_subject(self.variables)

    @cached_property
    def scope(self) -> Scope:
        """The expressions' variables, one Jinja context for every task (each resets what it added)."""
        return Scope(self.variables)

    @cached_property
    def missing(self) -> dict[str, str | None]:
        """`requires:` path → why the fact is unknown (None: known), worked out once per subject."""
        return {}

    def missing_requirement(self, path: str) -> str | None:
        """Why the fact at `path` is unknown for this subject, or None."""
        if path not in self.missing:
            self.missing[path] = missing_requirement(path, self.variables)
        return self.missing[path]

    def first_missing(self, paths: tuple[str, ...] | list[str]) -> str | None:
        """Why the first unknown fact of `paths` (a task's `requires:`) is unknown, or None."""
        missing = self.missing
        for path in paths:
            reason = missing.get(path, _UNSEEN)
            if reason is _UNSEEN:
                reason = missing[path] = missing_requirement(path, self.variables)
            if reason:
                return reason
        return None


def subjects_for(scope: TaskScope, facts: Facts) -> list[Subject]:
    """Subjects of a scope, in a stable order (worked out once per scope)."""
    key = ("subjects", scope)
    if key not in facts.memo:
        facts.memo[key] = _subjects(scope, facts)
    return facts.memo[key]


def _subjects(scope: TaskScope, facts: Facts) -> list[Subject]:
    cluster = facts.cluster
    if scope is TaskScope.CLUSTER:
        return [Subject("cluster", None, {"cluster": cluster})]
    if scope is TaskScope.HOST:
        chosen = [h for h in facts.hosts if h.kafka_process_count or h.zookeeper_process_count]
        return [Subject(h.name, h.name, {"host": h, "cluster": cluster}) for h in chosen]
    pools = {
        TaskScope.BROKER: facts.brokers,
        TaskScope.CONTROLLER: facts.controllers,
        TaskScope.KAFKA_NODE: facts.nodes,
        TaskScope.ZOOKEEPER: facts.zookeepers,
    }
    return [Subject(n.label, n.host, {"node": n, "host": n.os, "cluster": cluster}) for n in pools[scope]]


def _step(value: Any, part: str) -> Any:
    """One step down a fact path: a model's field or a dict's key; None when there is none."""
    if type(value) is dict:
        return value.get(part)
    fields = getattr(type(value), "__dataclass_fields__", None)  # a fact model (isinstance on it is slow)
    return getattr(value, part) if fields is not None and part in fields else None


def _unavailable(value: Any) -> dict[str, str] | None:
    if type(value) is dict:
        found = value.get("unavailable")
        return found if isinstance(found, dict) else None
    fields = getattr(type(value), "__dataclass_fields__", None)
    return value.unavailable if fields is not None and "unavailable" in fields else None


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


def _reason(owner: Any, parts: list[str], depth: int) -> str:
    unavailable = _unavailable(owner) or {}
    for candidate in (parts[depth] if depth < len(parts) else "", *parts[1:]):
        if candidate in unavailable:
            return unavailable[candidate]
    if "host" in unavailable:
        return unavailable["host"]
    return f"unknown: {'.'.join(parts)} is not in the snapshot"
