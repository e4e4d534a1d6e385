"""The report as one self-contained HTML page: the Markdown report rendered safely, plus a score card and chart."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kafkapilot.findings import Report, Severity
from kafkapilot.report.anchors import Slugger
from kafkapilot.report.html_page import html_page
from kafkapilot.report.labels import health_band
from kafkapilot.report.ordering import SEVERITIES, severity_counts
from kafkapilot.report.render_markdown import render_markdown, report_title, severity_heading
from kafkapilot.report.svg_chart import severity_chart

__all__ = ["MARKDOWN_PRESET", "render_html", "scorecard"]

MARKDOWN_PRESET: Final = "js-default"
"""CommonMark with tables, raw HTML off: ``<script>`` in a finding comes out as text."""

_SEVERITY_BY_HEADING: Final[dict[str, Severity]] = {severity_heading(s): s for s in SEVERITIES}


def scorecard(report: Report) -> str:
    """Return the HTML block that shows the health score large and the severity chart beside it."""
    score = report.summary.health_score
    band = health_band(score)
    return (
        '<div class="scorecard">'
        f'<p class="score score-{escape(band)}"><strong>{score}</strong>'
        f"<span>health score / 100 · {escape(band)}</span></p>"
        f"{severity_chart(severity_counts(report.summary))}"
        "</div>\n"
    )


def _heading_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def _decorate_headings(tokens: Sequence[Token]) -> int:
    """Give every heading its GitHub anchor and severity sections their class.

    Return the index of the first section heading (after the title and its intro), where the score card goes.
    """
    slugger = Slugger()
    section: Severity | None = None
    first_section = len(tokens)
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = _heading_text(tokens[index + 1])
        token.attrSet("id", slugger.slug(text))
        if token.tag == "h2":
            first_section = min(first_section, index)
            section = _SEVERITY_BY_HEADING.get(text)
        if section is not None:
            token.attrSet("class", f"sev sev-{section.value}")
    return first_section


def render_html(report: Report, *, color: bool = False) -> str:
    """Render the report as one HTML page that needs no network and no JavaScript (``color`` is ignored).

    The body is :func:`render_markdown`'s output rendered with markdown-it's ``js-default`` preset, so raw HTML
    in findings is escaped; headings get the anchors the table of contents links to, and the :func:`scorecard`
    stands right under the title, so that a phone shows the score and the chart first.
    """
    del color
    markdown = MarkdownIt(MARKDOWN_PRESET)
    env: dict[str, object] = {}
    tokens = markdown.parse(render_markdown(report), env)
    first_section = _decorate_headings(tokens)
    tokens.insert(first_section, Token("html_block", "", 0, content=scorecard(report), block=True))
    body = markdown.renderer.render(tokens, markdown.options, env)
    return html_page(report_title(report), body)
