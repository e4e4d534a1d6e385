"""Evaluate a task decided by a registered Python rule."""

from __future__ import annotations

from typing import Any

from kafkapilot.catalog.schema import Task
from kafkapilot.facts import Facts
from kafkapilot.outcome import Outcome, Violation
from kafkapilot.rules.registry import RuleContext, get_rule

__all__ = ["evaluate_rule"]


def evaluate_rule(task: Task, facts: Facts, params: dict[str, Any]) -> Outcome:
    """Call the rule; its result is already data: only the task's evidence artifact is added to the evidence."""
    assert task.rule is not None  # noqa: S101 - the engine only calls this for rule tasks
    result = get_rule(task.rule)(RuleContext(cluster=facts.cluster, params=params))
    artifact = task.evidence_artifact
    failures = [
        Violation(v.evidence.model_copy(update={"artifact": v.evidence.artifact or artifact}), v.severity)
        for v in result.violations
    ]
    return Outcome(
        failures=failures,
        checked=list(result.checked),
        not_evaluated=list(result.not_evaluated),
        subject_kind=task.applies_to.value.replace("_", " "),
    )
