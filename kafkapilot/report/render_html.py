"""The report as one self-contained HTML page, rendered from the report model with an autoescaped template.

Everything from a snapshot or a model is text: Jinja escapes it; only the page's own CSS and the severity chart
(whose few strings :mod:`~kafkapilot.report.svg_chart` escapes) are inserted as markup.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup

from kafkapilot.findings import Finding, Report, Status
from kafkapilot.report.html_page import PAGE_CSS, PAGE_SCRIPT, content_security_policy
from kafkapilot.report.html_template import TEMPLATE
from kafkapilot.report.labels import (
    EVIDENCE_COLUMNS,
    cell_text,
    evidence_row,
    health_band,
    hosts_text,
    is_web_address,
    not_evaluated_line,
    omitted_line,
    one_line,
    origin_label,
    paragraphs,
    plural,
    title_with_origin,
)
from kafkapilot.report.ordering import STATUS_ORDER, severity_counts
from kafkapilot.report.outline import (
    FINDING_COLUMNS,
    LLM_NOTE,
    LOAD_ERRORS_NOTE,
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
from kafkapilot.report.svg_chart import severity_chart
from kafkapilot.severity import SEVERITIES

__all__ = ["render_html"]


def _evidence_table(finding: Finding) -> Table:
    return Table(EVIDENCE_COLUMNS, tuple(evidence_row(e) for e in finding.evidence))


def _severity_mix(findings: tuple[Finding, ...]) -> str:
    """``"2 critical, 1 low"``: how many findings of each severity, most severe first."""
    counts = [(s, sum(f.severity is s for f in findings)) for s in SEVERITIES]
    return ", ".join(f"{n} {s.value}" for s, n in counts if n)


@functools.cache
def _template() -> Template:
    environment = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(
        cell=cell_text,
        paragraphs=paragraphs,
        one_line=one_line,
        hosts=hosts_text,
        origin=origin_label,
        omitted=omitted_line,
        not_evaluated=not_evaluated_line,
        evidence_table=_evidence_table,
        task_table=task_table,
        failed_count=lambda count: plural(count, "failed finding"),
        title_origin=title_with_origin,
        status_rank=lambda status: STATUS_ORDER.index(Status(status)),
        severity_mix=_severity_mix,
    )
    environment.filters["is_url"] = is_web_address
    return environment.from_string(TEMPLATE)


def render_html(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Render the report as one HTML page that needs no network (``color``, ``width`` unused).

    The score card stands right under the title, then the findings table (filterable and sortable by the page's
    one script, allowed by its hash; readable without it), the findings per host, and each finding collapsed in a
    ``<details>``; headings carry the anchors the table of contents links to (the same as the Markdown report's).
    """
    del color, width
    return _template().render(
        report=report,
        plan=outline(report),
        intro=intro_line(report),
        band=health_band(report.summary.health_score),
        chart=Markup(severity_chart(severity_counts(report.summary))),  # noqa: S704 - built from escaped strings
        css=Markup(PAGE_CSS),  # noqa: S704 - our own constant
        script=Markup(PAGE_SCRIPT),  # noqa: S704 - our own constant
        csp=content_security_policy(PAGE_SCRIPT),
        finding_columns=FINDING_COLUMNS,
        severities_all=SEVERITIES,
        statuses_all=STATUS_ORDER,
        summary=summary_table(report),
        severities=severity_table(report),
        categories=category_table(report),
        snapshot=snapshot_table(report),
        llm_usage=llm_usage_table(report),
        llm_note=LLM_NOTE,
        load_errors_note=LOAD_ERRORS_NOTE,
    ) + "\n"
