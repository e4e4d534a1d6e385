"""The one order in which every renderer lists findings and counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from kafkapilot.findings import Finding, Report, Severity, Status, Summary, TaskRun
from kafkapilot.severity import SEVERITIES

__all__ = [
    "SEVERITIES",
    "STATUS_ORDER",
    "failed_by_severity",
    "llm_usage",
    "ordered_counts",
    "severity_counts",
    "sort_findings",
    "status_counts",
    "with_status",
]

STATUS_ORDER: Final[tuple[Status, ...]] = (Status.FAIL, Status.ERROR, Status.WAIVED, Status.SKIPPED, Status.PASS)
"""Statuses in report order: what needs attention first, then what was accepted, passes last."""


def _sort_key(finding: Finding) -> tuple[int, int, str, str, tuple[str, ...]]:
    severity_rank = finding.severity.rank if finding.status in {Status.FAIL, Status.WAIVED} else 0
    return (STATUS_ORDER.index(finding.status), severity_rank, finding.task_id, finding.title, finding.hosts)


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Return findings in report order.

    Failed findings come first, most severe first; then errors, skips and passes; within
    each group by task id (then title and hosts, so that the order never depends on input order).
    """
    return tuple(sorted(findings, key=_sort_key))


def with_status(findings: Iterable[Finding], status: Status) -> tuple[Finding, ...]:
    """Return the findings that have ``status``, in report order."""
    return sort_findings(finding for finding in findings if finding.status is status)


def failed_by_severity(findings: Iterable[Finding]) -> tuple[tuple[Severity, tuple[Finding, ...]], ...]:
    """Group failed findings by severity, most severe first, leaving out severities with none."""
    failed = with_status(findings, Status.FAIL)
    groups = ((severity, tuple(f for f in failed if f.severity is severity)) for severity in SEVERITIES)
    return tuple((severity, group) for severity, group in groups if group)


def ordered_counts(counts: Mapping[str, int], keys: Iterable[str]) -> dict[str, int]:
    """Return the count of each of ``keys``, in that order, 0 where ``counts`` has none; other keys are left out."""
    return {key: counts.get(key, 0) for key in keys}


def status_counts(summary: Summary) -> dict[str, int]:
    """Return the summary's counts by status, every status present, in :data:`STATUS_ORDER`."""
    return ordered_counts(summary.by_status, (status.value for status in STATUS_ORDER))


def severity_counts(summary: Summary) -> dict[str, int]:
    """Return the summary's failed counts by severity, every severity present, most severe first."""
    return ordered_counts(summary.failed_by_severity, (severity.value for severity in SEVERITIES))


def llm_usage(report: Report) -> tuple[list[TaskRun], TaskRun]:
    """Task runs that spent LLM tokens (sorted by task id) and their total, as a TaskRun named 'total'."""
    runs = sorted((r for r in report.task_runs if r.tokens_in or r.tokens_out or r.cached), key=lambda r: r.task_id)
    total = TaskRun(
        task_id="total",
        duration_s=round(sum(r.duration_s for r in runs), 3),
        tokens_in=sum(r.tokens_in for r in runs),
        tokens_out=sum(r.tokens_out for r in runs),
        cost_usd=round(sum(r.cost_usd for r in runs), 6),
        cached=bool(runs) and all(r.cached for r in runs),
    )
    return runs, total
