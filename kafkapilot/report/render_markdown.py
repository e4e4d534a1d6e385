"""The report as Markdown: a table of contents, a summary, one section per severity, then errors, skips and passes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from kafkapilot.findings import Finding, Report, Severity, Status
from kafkapilot.report.anchors import Slugger
from kafkapilot.report.labels import (
    STATUS_LABELS,
    health_band,
    one_line,
    origin_label,
    plural,
    skip_reason,
    snapshot_facts,
)
from kafkapilot.report.markdown_text import Markdown, autolink, bullets, code, escape_block, escape_inline, table
from kafkapilot.report.ordering import failed_by_severity, llm_usage, severity_counts, status_counts, with_status

__all__ = [
    "render_markdown",
    "report_title",
    "severity_heading",
]

CONTENTS_HEADING: Final = "Contents"
SUMMARY_HEADING: Final = "Summary"
SNAPSHOT_HEADING: Final = "Snapshot"
LOAD_ERRORS_NOTE: Final = "Problems loading tasks or configuration (the run went on):"
LLM_NOTE: Final = "written by a model: check it before acting on it"


@dataclass(frozen=True)
class _Section:
    level: int
    title: str
    body: str
    in_contents: bool = True


LLM_USAGE_HEADING: Final = "LLM usage"


def severity_heading(severity: Severity) -> str:
    """Return the heading of the section that lists failed findings of ``severity``, e.g. ``"Critical"``."""
    return severity.value.capitalize()


def report_title(report: Report) -> str:
    """Return the report's title, naming the cluster (or the snapshot when the cluster has no name)."""
    return one_line(f"KafkaPilot report — {report.snapshot.cluster_name or report.snapshot.path}")


def _summary(report: Report) -> str:
    summary = report.summary
    score = summary.health_score
    statuses = status_counts(summary)
    severities = severity_counts(summary)
    measures = [("Health score", f"{score} / 100 ({health_band(score)})"), ("Tasks run", str(summary.tasks_run))]
    measures += [(STATUS_LABELS[Status(status)], str(count)) for status, count in statuses.items()]
    by_severity = [(severity_heading(Severity(sev)), str(count)) for sev, count in severities.items()]
    return table(("Measure", "Value"), measures) + "\n\n" + table(("Severity", "Failed findings"), by_severity)


def _finding_body(finding: Finding) -> str:
    origin = origin_label(finding)
    facts = [
        Markdown(f"**Task:** {code(finding.task_id)}"),
        Markdown(f"**Severity:** {finding.severity.value}"),
        Markdown(f"**Category:** {escape_inline(one_line(finding.category))}"),
        Markdown(f"**Hosts:** {escape_inline(', '.join(finding.hosts) or 'cluster-wide')}"),
        Markdown(f"**Source:** {escape_inline(origin)} — {LLM_NOTE}" if origin else "**Source:** rule"),
    ]
    parts = [bullets(facts)]
    if finding.summary.strip():
        parts.append(escape_block(finding.summary))
    if finding.evidence:
        rows = [
            (e.host or "cluster", e.item, e.actual, e.expected, e.source or e.artifact, e.message)
            for e in finding.evidence
        ]
        parts += ["**Evidence**", table(("Host", "Item", "Actual", "Expected", "Source", "Message"), rows)]
    for label, text in (("Impact", finding.impact), ("Remediation", finding.remediation)):
        if text.strip():
            parts += [f"**{label}**", escape_block(text)]
    if finding.references:
        parts += ["**References**", bullets(autolink(reference) for reference in finding.references)]
    return "\n\n".join(parts)


def _title_cell(finding: Finding) -> str:
    origin = origin_label(finding)
    return f"{one_line(finding.title)} ({origin})" if origin else one_line(finding.title)


def _task_table(findings: tuple[Finding, ...], last_column: str, last_value: Callable[[Finding], str]) -> str:
    rows = ((code(f.task_id), _title_cell(f), last_value(f)) for f in findings)
    return table(("Task", "Title", last_column), rows)


def _category(finding: Finding) -> str:
    return finding.category


def _sections(report: Report) -> list[_Section]:
    findings = report.findings
    sections = [
        _Section(2, SUMMARY_HEADING, _summary(report)),
        _Section(2, SNAPSHOT_HEADING, table(("Fact", "Value"), snapshot_facts(report.snapshot))),
    ]
    for severity, group in failed_by_severity(findings):
        sections.append(_Section(2, severity_heading(severity), f"{plural(len(group), 'failed finding')}."))
        sections.extend(_Section(3, one_line(finding.title), _finding_body(finding)) for finding in group)
    errors = with_status(findings, Status.ERROR)
    if errors or report.errors:
        parts = [_task_table(errors, "Error", skip_reason)] if errors else []
        if report.errors:
            parts += [LOAD_ERRORS_NOTE, bullets(report.errors)]
        sections.append(_Section(2, STATUS_LABELS[Status.ERROR], "\n\n".join(parts)))
    usage = _llm_usage(report)
    if usage:
        sections.append(_Section(2, LLM_USAGE_HEADING, usage))
    compact = ((Status.SKIPPED, "Reason", skip_reason), (Status.PASS, "Category", _category))
    for status, last_column, last_value in compact:
        group = with_status(findings, status)
        if group:
            sections.append(_Section(2, STATUS_LABELS[status], _task_table(group, last_column, last_value)))
    return sections


def _llm_usage(report: Report) -> str:
    """Tokens and cost per LLM task and in total; empty when no LLM was used."""
    runs, total = llm_usage(report)
    if not runs:
        return ""
    rows = [
        (code(r.task_id), str(r.tokens_in), str(r.tokens_out), f"{r.cost_usd:.4f}", "yes" if r.cached else "no")
        for r in [*runs, total]
    ]
    return table(("Task", "Tokens in", "Tokens out", "Cost (USD)", "Cached"), rows)


def _contents(sections: list[_Section], slugs: list[str]) -> str:
    lines = []
    for section, slug in zip(sections, slugs, strict=True):
        if section.in_contents:
            indent = "  " * (section.level - 2)
            lines.append(f"{indent}- [{escape_inline(section.title)}](#{slug})")
    return "\n".join(lines)


def render_markdown(report: Report, *, color: bool = False) -> str:
    """Render the report as GitHub-flavoured Markdown (``color`` is accepted for the registry and ignored).

    Headings are linked from the table of contents by the anchors GitHub gives them; all finding text is
    escaped, so a finding cannot inject Markdown or HTML.
    """
    del color
    title = report_title(report)
    intro = escape_inline(f"Generated {report.generated_at} by kafkapilot {report.kafkapilot_version}.")
    body = _sections(report)
    slugger = Slugger()
    slugger.slug(title)
    slugger.slug(CONTENTS_HEADING)
    slugs = [slugger.slug(section.title) for section in body]
    head = [
        _Section(1, title, intro, in_contents=False),
        _Section(2, CONTENTS_HEADING, _contents(body, slugs), in_contents=False),
    ]
    blocks = (f"{'#' * s.level} {escape_inline(s.title)}\n\n{s.body}" for s in head + body)
    return "\n\n".join(blocks) + "\n"
