"""The Markdown report."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from kafkapilot.findings import Severity, Status
from kafkapilot.report.anchors import Slugger
from kafkapilot.report.render_markdown import render_markdown
from tests.unit.report.sample import SCRIPT, finding, make_report, sample_report

_TOC_LINK = re.compile(r"^\s*- \[(?P<text>.*)\]\(#(?P<anchor>[^)]+)\)$", re.MULTILINE)


def _headings(markdown: str) -> list[tuple[str, str]]:
    """(tag, text) of each heading, as markdown-it parses them."""
    tokens = MarkdownIt("js-default").parse(markdown)
    return [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


def _contents(markdown: str) -> dict[str, str]:
    section = markdown.split("## Contents\n", 1)[1].split("\n## ", 1)[0]
    return {m["anchor"]: m["text"] for m in _TOC_LINK.finditer(section)}


def test_contents_link_every_section_and_finding_by_its_anchor() -> None:
    markdown = render_markdown(sample_report())
    slugger = Slugger()
    anchors = {slugger.slug(re.sub(r"\\(.)", r"\1", text)): text for _, text in _headings(markdown)}
    contents = _contents(markdown)
    for anchor in ("summary", "snapshot", "critical", "high", "medium", "low", "errors", "skipped", "passed"):
        assert anchor in contents
    assert "info" not in contents  # no failed info finding, no Info section
    assert set(contents) <= set(anchors)
    assert len(contents) == len(_headings(markdown)) - 2  # all but the title and Contents itself


def test_severity_sections_come_most_severe_first() -> None:
    h2 = [text for tag, text in _headings(render_markdown(sample_report())) if tag == "h2"]
    assert h2 == ["Contents", "Findings", "By host", "Summary", "Snapshot", "Critical", "High", "Medium", "Low",
                  "Errors", "Skipped", "Passed"]


def test_only_sections_with_content_appear() -> None:
    report = make_report([finding("only", severity=Severity.INFO)])
    h2 = [text for tag, text in _headings(render_markdown(report)) if tag == "h2"]
    assert h2 == ["Contents", "Findings", "By host", "Summary", "Snapshot", "Info"]


def test_table_rows_keep_their_columns_despite_pipes_and_newlines() -> None:
    markdown = render_markdown(sample_report())
    evidence_rows = [line for line in markdown.splitlines() if line.startswith(("| kafka-1 |", "| cluster |"))]
    assert len(evidence_rows) == 2
    for row in evidence_rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 7  # six columns
    assert "orders \\| payments" in evidence_rows[0]
    assert "min.insync.replicas=1 ↵ acks=1" in evidence_rows[0]


def test_finding_has_task_hosts_summary_evidence_impact_remediation_references() -> None:
    markdown = render_markdown(sample_report())
    critical = markdown.split("### min.insync.replicas", 1)[1].split("\n## ", 1)[0]
    for expected in (
        "**Task:** `broker.min_isr`",
        "**Hosts:** kafka-1, kafka-2",
        "Topic orders accepts writes with a single in-sync replica.\\\nData is lost",
        "| Host | Item | Actual | Expected | Source | Message |",
        "**Impact**",
        "**Remediation**\n\n1\\. Set min.insync.replicas=2",
        "- <https://kafka.apache.org/documentation/#topicconfigs_min.insync.replicas>",
        "- KIP-101",
    ):
        assert expected in critical


def test_llm_findings_are_marked() -> None:
    markdown = render_markdown(sample_report())
    assert "**Source:** LLM ollama/llama3.1:8b — written by a model" in markdown
    assert "| `llm.config_review` | Configuration review (LLM) | needs an LLM: run with --model … |" in markdown


def test_errors_skipped_and_passed_are_compact_tables() -> None:
    markdown = render_markdown(sample_report())
    assert "| `os.swappiness` | vm.swappiness | could not parse sysctl output: unexpected token '\\|' |" in markdown
    assert "| `os.ulimit` | Open-file limit | not collected: ulimit on kafka-3 (host unreachable) |" in markdown
    assert "| `broker.version` | Kafka versions agree | broker |" in markdown
    assert "- tasks/bad.yaml: unknown key 'whn'" in markdown


def test_no_raw_html_from_findings() -> None:
    markdown = render_markdown(sample_report())
    assert SCRIPT not in markdown
    assert "<script>" not in MarkdownIt("commonmark").render(markdown)  # even a renderer that allows HTML


def test_summary_shows_the_reports_score_without_recomputing_it() -> None:
    report = sample_report()
    fake = report.model_copy(update={"summary": report.summary.model_copy(update={"health_score": 42})})
    assert "| Health score | 42 / 100 (poor) |" in render_markdown(fake)


def test_same_report_same_bytes_regardless_of_finding_order() -> None:
    report = sample_report()
    shuffled = report.model_copy(update={"findings": tuple(reversed(report.findings))})
    assert render_markdown(report) == render_markdown(shuffled)
    assert render_markdown(report).endswith("|\n")


def test_status_counts_show_every_status() -> None:
    report = make_report([finding("a", status=Status.PASS)])
    markdown = render_markdown(report)
    for row in ("| Failed | 0 |", "| Errors | 0 |", "| Skipped | 0 |", "| Passed | 1 |", "| Info | 0 |"):
        assert row in markdown
