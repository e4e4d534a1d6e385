"""The report's outline: its sections in order, with the anchors GitHub gives their headings, and their tables as data.

Markdown and HTML walk the same outline, so their section order, table of contents and anchors agree; each
renderer only turns sections into its own text. Nothing here escapes: values are plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from kafkapilot.findings import Finding, Report, Severity, Status
from kafkapilot.report.anchors import Slugger
from kafkapilot.report.labels import (
    STATUS_LABELS,
    health_band,
    one_line,
    skip_reason,
    snapshot_facts,
    title_with_origin,
    waiver_text,
)
from kafkapilot.report.ordering import (
    failed_by_severity,
    llm_usage,
    severity_counts,
    sort_findings,
    status_counts,
    with_status,
)

__all__ = [
    "CLUSTER_WIDE",
    "CONTENTS_HEADING",
    "FINDING_COLUMNS",
    "LLM_NOTE",
    "LOAD_ERRORS_NOTE",
    "Outline",
    "Section",
    "SectionKind",
    "Table",
    "category_table",
    "intro_line",
    "llm_usage_table",
    "outline",
    "report_title",
    "severity_heading",
    "severity_table",
    "snapshot_table",
    "summary_table",
    "task_table",
]

CONTENTS_HEADING: Final = "Contents"
SUMMARY_HEADING: Final = "Summary"
SNAPSHOT_HEADING: Final = "Snapshot"
LLM_USAGE_HEADING: Final = "LLM usage"
LOAD_ERRORS_NOTE: Final = "Problems loading tasks or configuration (the run went on):"
LLM_NOTE: Final = "written by a model: check it before acting on it"
NOTES_HEADING: Final = "Notes"
FINDINGS_HEADING: Final = "Findings"
HOSTS_HEADING: Final = "By host"
CLUSTER_WIDE: Final = "cluster-wide"
FINDING_COLUMNS: Final = ("Severity", "Title", "Hosts", "Category", "Status")
"""The columns of the findings table that opens the report."""
_TRIAGE: Final = frozenset({Status.FAIL, Status.ERROR, Status.WAIVED})
"""What the findings table lists: what failed, what could not be checked, what was accepted (passes and skips have
their own sections)."""

SectionKind = Literal[
    "findings", "hosts", "summary", "snapshot", "severity", "finding", "errors", "notes", "waived", "llm_usage",
    "skipped", "passed",
]


@dataclass(frozen=True)
class Table:
    """Column headers and rows of plain-text cells (``None``: nothing to show)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    code_first: bool = False  # the first column holds identifiers (task ids), shown as code


@dataclass(frozen=True)
class Section:
    """One heading of the report and what it holds.

    ``severity`` is set on a severity section and on each of its findings; ``findings`` holds the finding of a
    ``finding`` section, and the findings listed by ``errors``, ``skipped`` and ``passed``.
    """

    kind: SectionKind
    level: int
    title: str
    anchor: str
    severity: Severity | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def finding(self) -> Finding:
        """The finding of a ``finding`` section."""
        return self.findings[0]


@dataclass(frozen=True)
class Outline:
    """The title, the anchor of the table of contents, the sections it lists, and where each finding is told.

    ``links`` maps ``id(finding)`` to the anchor of its section: a failed finding's own, else its status section's.
    """

    title: str
    title_anchor: str
    contents_anchor: str
    sections: tuple[Section, ...]
    links: dict[int, str]

    def link(self, finding: Finding) -> str:
        """The anchor that tells ``finding`` (its own section, or the table of its status)."""
        return self.links[id(finding)]

    def host_groups(self) -> tuple[tuple[str, tuple[Finding, ...]], ...]:
        """Failed findings per host (a finding on several hosts under each), hosts by name, then cluster-wide."""
        failed = [f for s in self.sections if s.kind == "finding" for f in s.findings]
        groups: dict[str, list[Finding]] = {}
        for finding in failed:
            for host in finding.hosts or (CLUSTER_WIDE,):
                groups.setdefault(host, []).append(finding)
        order = sorted(h for h in groups if h != CLUSTER_WIDE) + ([CLUSTER_WIDE] if CLUSTER_WIDE in groups else [])
        return tuple((host, tuple(groups[host])) for host in order)


def severity_heading(severity: Severity) -> str:
    """Return the heading of the section that lists failed findings of ``severity``, e.g. ``"Critical"``."""
    return severity.value.capitalize()


def report_title(report: Report) -> str:
    """Return the report's title, naming the cluster (or the snapshot when the cluster has no name)."""
    return one_line(f"KafkaPilot report — {report.snapshot.cluster_name or report.snapshot.path}")


def intro_line(report: Report) -> str:
    """The line under the title: when and by which version the report was made."""
    return f"Generated {report.generated_at} by kafkapilot {report.kafkapilot_version}."


def _planned(report: Report) -> list[tuple[SectionKind, int, str, Severity | None, tuple[Finding, ...]]]:
    findings = report.findings
    planned: list[tuple[SectionKind, int, str, Severity | None, tuple[Finding, ...]]] = []
    triage = sort_findings(f for f in findings if f.status in _TRIAGE)
    if triage:
        planned.append(("findings", 2, FINDINGS_HEADING, None, triage))
    if with_status(findings, Status.FAIL):
        planned.append(("hosts", 2, HOSTS_HEADING, None, ()))
    planned += [
        ("summary", 2, SUMMARY_HEADING, None, ()),
        ("snapshot", 2, SNAPSHOT_HEADING, None, ()),
    ]
    for severity, group in failed_by_severity(findings):
        planned.append(("severity", 2, severity_heading(severity), severity, group))
        planned.extend(("finding", 3, one_line(f.title), severity, (f,)) for f in group)
    errors = with_status(findings, Status.ERROR)
    if errors or report.errors:
        planned.append(("errors", 2, STATUS_LABELS[Status.ERROR], None, errors))
    if report.notes:
        planned.append(("notes", 2, NOTES_HEADING, None, ()))
    waived = with_status(findings, Status.WAIVED)
    if waived:
        planned.append(("waived", 2, STATUS_LABELS[Status.WAIVED], None, waived))
    if llm_usage(report)[0]:
        planned.append(("llm_usage", 2, LLM_USAGE_HEADING, None, ()))
    skipped, passed = with_status(findings, Status.SKIPPED), with_status(findings, Status.PASS)
    if skipped:
        planned.append(("skipped", 2, STATUS_LABELS[Status.SKIPPED], None, skipped))
    if passed:
        planned.append(("passed", 2, STATUS_LABELS[Status.PASS], None, passed))
    return planned


def outline(report: Report) -> Outline:
    """Return the report's outline; anchors are handed out in document order, title and Contents first."""
    slugger = Slugger()
    title = report_title(report)
    title_anchor = slugger.slug(title)
    contents_anchor = slugger.slug(CONTENTS_HEADING)
    sections = tuple(
        Section(kind, level, heading, slugger.slug(heading), severity, group)
        for kind, level, heading, severity, group in _planned(report)
    )
    links: dict[int, str] = {}
    for section in sections:
        if section.kind in {"finding", "errors", "waived", "skipped", "passed"}:
            for finding in section.findings:
                links.setdefault(id(finding), section.anchor)
    return Outline(title, title_anchor, contents_anchor, sections, links)


def summary_table(report: Report) -> Table:
    """Health score, tasks run and the count of each status."""
    summary = report.summary
    score = summary.health_score
    rows = [("Health score", f"{score} / 100 ({health_band(score)})"), ("Tasks run", str(summary.tasks_run))]
    rows += [(STATUS_LABELS[Status(status)], str(count)) for status, count in status_counts(summary).items()]
    return Table(("Measure", "Value"), tuple(rows))


def severity_table(report: Report) -> Table:
    """Failed findings per severity, every severity, most severe first."""
    rows = [(severity_heading(Severity(s)), str(n)) for s, n in severity_counts(report.summary).items()]
    return Table(("Severity", "Failed findings"), tuple(rows))


def category_table(report: Report) -> Table:
    """The health score of each category, worst first (then by name), with its failed findings."""
    failed: dict[str, int] = {}
    for finding in report.findings:
        if finding.status is Status.FAIL:
            failed[finding.category] = failed.get(finding.category, 0) + 1
    scores = sorted(report.summary.category_scores.items(), key=lambda item: (item[1], item[0]))
    rows = tuple((one_line(category), f"{score} / 100", str(failed.get(category, 0))) for category, score in scores)
    return Table(("Category", "Health score", "Failed findings"), rows)


def snapshot_table(report: Report) -> Table:
    """What the report says about the snapshot it analysed."""
    return Table(("Fact", "Value"), snapshot_facts(report.snapshot))


def llm_usage_table(report: Report) -> Table:
    """Tokens and cost per LLM task, and their total."""
    runs, total = llm_usage(report)
    rows = (
        (r.task_id, str(r.tokens_in), str(r.tokens_out), f"{r.cost_usd:.4f}", "yes" if r.cached else "no")
        for r in [*runs, total]
    )
    return Table(("Task", "Tokens in", "Tokens out", "Cost (USD)", "Cached"), tuple(rows), code_first=True)


_LAST_COLUMN: Final[dict[SectionKind, tuple[str, Callable[[Finding], str]]]] = {
    "errors": ("Error", skip_reason),
    "skipped": ("Reason", skip_reason),
    "waived": ("Waiver", waiver_text),
    "passed": ("Category", lambda finding: finding.category),
}


def task_table(section: Section) -> Table:
    """The compact table of an errors, waived, skipped or passed section: task, title, and the error, waiver,
    reason or category."""
    column, value = _LAST_COLUMN[section.kind]
    rows = tuple((f.task_id, title_with_origin(f), value(f)) for f in section.findings)
    return Table(("Task", "Title", column), rows, code_first=True)
