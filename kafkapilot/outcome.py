"""From what a check or rule saw (an Outcome) to the Finding the report shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from kafkapilot.catalog.schema import Task
from kafkapilot.findings import Evidence, Finding, Severity, Status

__all__ = ["MAX_EVIDENCE", "Outcome", "finding_from_outcome", "simple_finding"]

MAX_EVIDENCE: Final = 25


@dataclass
class Outcome:
    """Failures with their evidence, how many subjects were checked, and which could not be."""

    failures: list[tuple[Evidence, Severity]] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    not_evaluated: list[tuple[str, str]] = field(default_factory=list)  # (subject, reason)
    subject_kind: str = "subject"


def simple_finding(task: Task, status: Status, summary: str) -> Finding:
    """A finding without evidence: skipped, error, or pass."""
    return Finding(
        task_id=task.id,
        title=task.name,
        category=task.category,
        status=status,
        severity=task.severity,
        summary=summary,
        impact=task.impact,
        remediation=task.remediation if status is Status.FAIL else "",
        references=task.references,
        source="llm" if task.needs_llm else "rule",
    )


def finding_from_outcome(task: Task, outcome: Outcome) -> Finding:
    """fail if anything failed; pass only if every subject was evaluated; skipped otherwise."""
    if outcome.failures:
        return _failed(task, outcome)
    if outcome.not_evaluated:
        return simple_finding(task, Status.SKIPPED, _not_evaluated_summary(outcome))
    if not outcome.checked:
        return simple_finding(task, Status.SKIPPED, f"not applicable: no {outcome.subject_kind} to check")
    count = len(outcome.checked)
    noun = outcome.subject_kind if count == 1 else f"{outcome.subject_kind}s"
    what = "the cluster" if outcome.subject_kind == "cluster" else f"{count} {noun}"
    return simple_finding(task, Status.PASS, f"Checked {what}: no problem found.")


def _failed(task: Task, outcome: Outcome) -> Finding:
    evidence = [e for e, _ in outcome.failures]
    severity = min((s for _, s in outcome.failures), key=lambda s: s.rank)
    hosts = tuple(sorted({e.host for e in evidence if e.host}))
    summary = evidence[0].message
    if len(evidence) > 1:
        summary += f" (and {len(evidence) - 1} more)"
    if outcome.not_evaluated:
        summary += f" Not evaluated: {_not_evaluated_summary(outcome)}"
    shown = evidence[:MAX_EVIDENCE]
    if len(evidence) > MAX_EVIDENCE:
        shown.append(Evidence(message=f"… {len(evidence) - MAX_EVIDENCE} more not shown"))
    return Finding(
        task_id=task.id,
        title=task.name,
        category=task.category,
        status=Status.FAIL,
        severity=severity,
        hosts=hosts,
        summary=summary,
        evidence=tuple(shown),
        impact=task.impact,
        remediation=task.remediation,
        references=task.references,
    )


def _not_evaluated_summary(outcome: Outcome) -> str:
    parts = [f"{subject}: {reason}" for subject, reason in outcome.not_evaluated]
    text = "; ".join(parts[:5])
    if len(parts) > 5:
        text += f"; and {len(parts) - 5} more"
    return text
