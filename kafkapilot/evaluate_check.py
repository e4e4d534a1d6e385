"""Evaluate a YAML `check` on every subject of its scope."""

from __future__ import annotations

from typing import Any

from kafkapilot.catalog.compiled import prepare
from kafkapilot.catalog.schema import Check, Task
from kafkapilot.expressions import ExpressionError, Runner, Scope, evaluate, render, runner, to_bool
from kafkapilot.facts import Facts
from kafkapilot.findings import Evidence, NotEvaluated
from kafkapilot.outcome import Outcome, Violation
from kafkapilot.subject_ids import item_subject
from kafkapilot.subjects import Subject, subjects_for

__all__ = ["evaluate_check"]


def evaluate_check(task: Task, facts: Facts, params: dict[str, Any]) -> Outcome:
    """Failures (with evidence), checked and not-evaluated subjects of one check task."""
    check = task.check
    assert check is not None  # noqa: S101 - the engine only calls this for check tasks
    plan, problems = prepare(task)
    if problems:
        raise ExpressionError(problems[0][1])
    outcome = Outcome(subject_kind=task.applies_to.value.replace("_", " "))
    fail_when = runner("expression", check.fail_when)
    task_vars, subject_vars, item_vars = (
        _runners(named) for named in (plan.task_vars, plan.subject_vars, plan.item_vars)
    )
    shared: list[tuple[str, Any]] | None = None  # the task vars' values, from the first subject evaluated
    for subject in subjects_for(task.applies_to, facts):
        reason = subject.first_missing(task.requires)
        if reason:
            outcome.not_evaluated.append(NotEvaluated(subject=subject.identity, reason=reason))
            continue
        outcome.checked.append(subject.identity)
        scope = subject.scope
        scope.set("params", params)
        try:
            if shared is None:
                _bind(task_vars, scope)
                shared = [(name, scope.variables[name]) for name, _ in task_vars]
            else:
                for name, value in shared:
                    scope.set(name, value)
            _bind(subject_vars, scope)
            for item in _items(check, scope):
                if check.for_each:  # the item and its vars join the subject's scope until the next item
                    scope.set(check.as_, item)
                    _bind(item_vars, scope)
                if to_bool(fail_when(scope)):
                    outcome.failures.append(_evidence(task, check, subject, scope))
        finally:
            scope.reset()  # the next task of this subject starts without this one's params, vars, item
    return outcome


def _runners(named: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Runner], ...]:
    return tuple((name, runner("expression", source)) for name, source in named)


def _bind(named: tuple[tuple[str, Runner], ...], scope: Scope) -> None:
    """Evaluate vars in order into the scope (each sees the previous ones)."""
    for name, run in named:
        try:
            scope.set(name, run(scope))
        except ExpressionError as exc:
            raise ExpressionError(f"vars.{name}: {exc}") from None


def _items(check: Check, variables: Scope) -> list[Any]:
    if not check.for_each:
        return [None]
    items = evaluate(check.for_each, variables)
    if items is None:
        return []
    if isinstance(items, dict):
        return [{"key": k, "value": v} for k, v in items.items()]
    try:
        return list(items)
    except TypeError:
        raise ExpressionError(f"for_each {check.for_each!r} did not give a list") from None


def _source_of(artifact: str, scope: Scope) -> str | None:
    """Where an artifact came from: the node's, then the host's, then the cluster's record."""
    for owner in ("node", "host", "cluster"):
        found = scope.variables.get(owner)
        if found is not None and artifact in found.sources:
            return found.sources[artifact]
    return None


def _evidence(task: Task, check: Check, subject: Subject, scope: Scope) -> Violation:
    severity = task.severity
    for rule in check.severity_when:
        if to_bool(evaluate(rule.when, scope)):
            severity = rule.severity
            break
    artifact = task.evidence_artifact
    source = _source_of(artifact, scope) if artifact else None
    item = scope.variables.get(check.as_) if check.for_each else None
    evidence = Evidence(
        subject=item_subject(check.for_each, item) or subject.identity,
        host=subject.host,
        artifact=artifact,
        source=source,
        item=render(check.item, scope) if check.item else None,
        actual=render(check.actual, scope) if check.actual else None,
        expected=render(check.expected, scope) if check.expected else None,
        message=render(check.message, scope),
    )
    return Violation(evidence, severity)
