"""The report as Markdown: a table of contents, a summary, one section per severity, then errors, skips and passes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from kafkapilot.findings import Finding, Report
from kafkapilot.report.labels import (
    EVIDENCE_COLUMNS,
    evidence_row,
    hosts_text,
    not_evaluated_line,
    omitted_line,
    one_line,
    origin_label,
    plural,
    title_with_origin,
)
from kafkapilot.report.markdown_text import Markdown, autolink, bullets, code, escape_block, escape_inline, table
from kafkapilot.report.outline import (
    FINDING_COLUMNS,
    LLM_NOTE,
    LOAD_ERRORS_NOTE,
    Outline,
    Section,
    Table,
    category_table,
    intro_line,
    llm_usage_table,
    outline,
    severity_table,
    snapshot_table,
    summary_table,
    task_table,
)

__all__ = ["render_markdown"]


def _table(data: Table) -> str:
    rows = data.rows
    if data.code_first:
        rows = tuple((code(row[0] or ""), *row[1:]) for row in rows)
    return table(data.headers, rows)


def _finding_body(finding: Finding) -> str:
    origin = origin_label(finding)
    facts = [
        Markdown(f"**Task:** {code(finding.task_id)}"),
        Markdown(f"**Severity:** {finding.severity.value}"),
        Markdown(f"**Category:** {escape_inline(one_line(finding.category))}"),
        Markdown(f"**Hosts:** {escape_inline(hosts_text(finding))}"),
        Markdown(f"**Source:** {escape_inline(origin)} — {LLM_NOTE}" if origin else "**Source:** rule"),
    ]
    parts = [bullets(facts)]
    if finding.summary.strip():
        parts.append(escape_block(finding.summary))
    if finding.evidence:
        parts += ["**Evidence**", table(EVIDENCE_COLUMNS, (evidence_row(e) for e in finding.evidence))]
    if finding.evidence_omitted:
        parts.append(escape_inline(omitted_line(finding.evidence_omitted)))
    if finding.not_evaluated:
        parts += ["**Not evaluated**", bullets(not_evaluated_line(n) for n in finding.not_evaluated)]
    for label, text in (("Impact", finding.impact), ("Remediation", finding.remediation)):
        if text.strip():
            parts += [f"**{label}**", escape_block(text)]
    if finding.references:
        parts += ["**References**", bullets(autolink(reference) for reference in finding.references)]
    return "\n\n".join(parts)


def _errors(report: Report, section: Section) -> str:
    parts = [_table(task_table(section))] if section.findings else []
    if report.errors:
        parts += [LOAD_ERRORS_NOTE, bullets(report.errors)]
    return "\n\n".join(parts)


def _link(title: str, anchor: str) -> str:
    return f"[{escape_inline(title)}](#{anchor})"


def _findings_table(plan: Outline, section: Section) -> str:
    rows = (
        (f.severity.value, Markdown(_link(title_with_origin(f), plan.link(f))), hosts_text(f), one_line(f.category),
         f.status.value)
        for f in section.findings
    )
    return table(FINDING_COLUMNS, rows)


def _hosts(plan: Outline) -> str:
    lines = [
        Markdown(f"**{escape_inline(host)}**: " + ", ".join(
            f"{_link(one_line(f.title), plan.link(f))} ({f.severity.value})" for f in group))
        for host, group in plan.host_groups()
    ]
    return bullets(lines)


_BODIES: Final[dict[str, Callable[[Report, Section], str]]] = {
    "summary": lambda report, _: "\n\n".join(
        _table(t) for t in (summary_table(report), severity_table(report), category_table(report)) if t.rows
    ),
    "snapshot": lambda report, _: _table(snapshot_table(report)),
    "severity": lambda _, section: f"{plural(len(section.findings), 'failed finding')}.",
    "finding": lambda _, section: _finding_body(section.finding),
    "errors": _errors,
    "notes": lambda report, _: bullets(report.notes),
    "waived": lambda _, section: _table(task_table(section)),
    "llm_usage": lambda report, _: _table(llm_usage_table(report)),
    "skipped": lambda _, section: _table(task_table(section)),
    "passed": lambda _, section: _table(task_table(section)),
}


def render_markdown(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Render the report as GitHub-flavoured Markdown (``color`` and ``width`` are accepted for the registry, unused).

    Headings are linked from the table of contents by the anchors GitHub gives them; all finding text is
    escaped, so a finding cannot inject Markdown or HTML.
    """
    del color, width
    plan = outline(report)
    bodies = {**_BODIES, "findings": lambda _, section: _findings_table(plan, section),
              "hosts": lambda _, __: _hosts(plan)}
    contents = "\n".join(
        f"{'  ' * (s.level - 2)}- [{escape_inline(s.title)}](#{s.anchor})" for s in plan.sections
    )
    blocks = [
        f"# {escape_inline(plan.title)}\n\n{escape_inline(intro_line(report))}",
        f"## Contents\n\n{contents}",
        *(f"{'#' * s.level} {escape_inline(s.title)}\n\n{bodies[s.kind](report, s)}" for s in plan.sections),
    ]
    return "\n\n".join(blocks) + "\n"
