"""The outline Markdown and HTML share: sections in report order, anchors unique and as GitHub makes them."""

from __future__ import annotations

from kafkapilot.findings import Severity, Status
from kafkapilot.report.outline import outline, task_table
from tests.unit.report.sample import finding, make_report, sample_report


def test_sections_in_report_order_with_their_findings() -> None:
    plan = outline(sample_report())
    assert [(s.kind, s.title) for s in plan.sections if s.level == 2] == [
        ("findings", "Findings"), ("hosts", "By host"), ("summary", "Summary"), ("snapshot", "Snapshot"),
        ("severity", "Critical"), ("severity", "High"),
        ("severity", "Medium"), ("severity", "Low"), ("errors", "Errors"), ("skipped", "Skipped"), ("passed", "Passed"),
    ]
    findings = [s for s in plan.sections if s.kind == "finding"]
    assert [(s.finding.task_id, s.severity) for s in findings] == [
        ("broker.min_isr", Severity.CRITICAL), ("llm.log_review", Severity.HIGH),
        ("broker.heap", Severity.MEDIUM), ("topic.rf_one", Severity.LOW),
    ]


def test_repeated_titles_get_distinct_anchors() -> None:
    report = make_report([finding(f"t{i}", title="Summary") for i in range(3)])
    plan = outline(report)
    anchors = [plan.title_anchor, plan.contents_anchor, *(s.anchor for s in plan.sections)]
    assert len(anchors) == len(set(anchors))
    assert [s.anchor for s in plan.sections if s.kind == "finding"] == ["summary-1", "summary-2", "summary-3"]


def test_compact_tables_hold_task_title_and_reason_as_plain_text() -> None:
    report = make_report([finding("x", Status.SKIPPED, title="A | b", summary="not collected:\n  twice", source="llm")])
    (skipped,) = [s for s in outline(report).sections if s.kind == "skipped"]
    table = task_table(skipped)
    assert table.headers == ("Task", "Title", "Reason") and table.code_first
    assert table.rows == (("x", "A | b (LLM)", "not collected: twice"),)
