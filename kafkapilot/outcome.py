"""From what a check or rule saw (an Outcome) to the Finding the report shows.

Both kinds of deterministic task give the same data: failing evidence with its severity, the subjects
checked, and the subjects that could not be checked with the reason. Only the finding's summary is text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kafkapilot.findings import Evidence, Finding, NotEvaluated, Severity, Status, Subject, SubjectKind

if TYPE_CHECKING:
    from kafkapilot.catalog.schema import Task

__all__ = ["MAX_EVIDENCE", "Outcome", "Violation", "finding_from_outcome", "not_evaluated_text", "simple_finding"]

MAX_EVIDENCE: Final = 25
_HOST_KINDS: Final = frozenset({SubjectKind.HOST, SubjectKind.NODE})
_SHOWN_REASONS: Final = 5


@dataclass(frozen=True)
class Violation:
    """One failing item: its evidence (with its subject) and its severity (None: the task's)."""

    evidence: Evidence
    severity: Severity | None = None


@dataclass
class Outcome:
    """Failures with their evidence, the subjects checked, and those that could not be."""

    failures: list[Violation] = field(default_factory=list)
    checked: list[Subject] = field(default_factory=list)
    not_evaluated: list[NotEvaluated] = field(default_factory=list)
    subject_kind: str = "subject"  # the scope, as a noun: "broker", "kafka node", "cluster" …


def simple_finding(task: Task, status: Status, summary: str, not_evaluated: tuple[NotEvaluated, ...] = ()) -> Finding:
    """A finding without evidence: skipped, error, or pass."""
    return Finding(
        task_id=task.id,
        title=task.name,
        category=task.category,
        status=status,
        severity=task.severity,
        summary=summary,
        not_evaluated=not_evaluated,
        impact=task.impact,
        remediation=task.remediation if status is Status.FAIL else "",
        references=task.references,
        source="llm" if task.needs_llm else "rule",
    )


def finding_from_outcome(task: Task, outcome: Outcome) -> Finding:
    """fail if anything failed; pass only if every subject was evaluated; skipped otherwise."""
    if outcome.failures:
        return _failed(task, outcome)
    not_evaluated = tuple(outcome.not_evaluated)
    if not_evaluated:
        return simple_finding(task, Status.SKIPPED, not_evaluated_text(not_evaluated), not_evaluated)
    if not outcome.checked:
        return simple_finding(task, Status.SKIPPED, f"not applicable: no {outcome.subject_kind} to check")
    count = len(outcome.checked)
    noun = outcome.subject_kind if count == 1 else f"{outcome.subject_kind}s"
    what = "the cluster" if outcome.subject_kind == "cluster" else f"{count} {noun}"
    return simple_finding(task, Status.PASS, f"Checked {what}: no problem found.")


def _failed(task: Task, outcome: Outcome) -> Finding:
    evidence = [v.evidence for v in outcome.failures]
    severity = min((v.severity or task.severity for v in outcome.failures), key=lambda s: s.rank)
    summary = evidence[0].message
    if len(evidence) > 1:
        summary += f" (and {len(evidence) - 1} more)"
    return Finding(
        task_id=task.id,
        title=task.name,
        category=task.category,
        status=Status.FAIL,
        severity=severity,
        hosts=_hosts(evidence),
        summary=summary,
        evidence=tuple(evidence[:MAX_EVIDENCE]),
        evidence_omitted=max(0, len(evidence) - MAX_EVIDENCE),
        not_evaluated=tuple(outcome.not_evaluated),
        impact=task.impact,
        remediation=task.remediation,
        references=task.references,
    )


def _hosts(evidence: list[Evidence]) -> tuple[str, ...]:
    """The hosts the evidence was seen on or is about (a host or node subject of a cluster-wide check)."""
    hosts = {e.host for e in evidence if e.host}
    hosts.update(e.subject.host for e in evidence if e.subject and e.subject.kind in _HOST_KINDS and e.subject.host)
    return tuple(sorted(hosts))


def not_evaluated_text(not_evaluated: tuple[NotEvaluated, ...] | list[NotEvaluated]) -> str:
    """``"kafka-1: not collected: …; kafka-2: …; and 3 more"``: the first few subjects and their reasons."""
    parts = [f"{n.subject.label}: {n.reason}" for n in not_evaluated]
    text = "; ".join(parts[:_SHOWN_REASONS])
    if len(parts) > _SHOWN_REASONS:
        text += f"; and {len(parts) - _SHOWN_REASONS} more"
    return text
