"""Evaluate a task decided by a registered Python rule."""

from __future__ import annotations

from typing import Any

from kafkapilot.catalog.schema import Task
from kafkapilot.facts import Facts
from kafkapilot.findings import Evidence
from kafkapilot.outcome import Outcome
from kafkapilot.rules.registry import RuleContext, get_rule

__all__ = ["evaluate_rule"]


def evaluate_rule(task: Task, facts: Facts, params: dict[str, Any]) -> Outcome:
    """Call the rule and turn its violations into evidence."""
    assert task.rule is not None  # noqa: S101 - the engine only calls this for rule tasks
    result = get_rule(task.rule)(RuleContext(cluster=facts.cluster, params=params))
    outcome = Outcome(subject_kind=task.applies_to.value.replace("_", " "))
    outcome.checked = [f"#{i}" for i in range(result.checked)]
    outcome.not_evaluated = [(s.split(":", 1)[0], s.split(":", 1)[-1].strip()) for s in result.not_evaluated]
    for violation in result.violations:
        evidence = Evidence(
            host=violation.host,
            artifact=task.evidence_artifact,
            item=violation.item,
            actual=violation.actual,
            expected=violation.expected,
            message=violation.message,
        )
        outcome.failures.append((evidence, violation.severity or task.severity))
    return outcome
