"""Tokens and cost per LLM task, and the total, appear in the markdown and terminal reports."""

from __future__ import annotations

from kafkapilot.findings import Report, TaskRun
from kafkapilot.report.ordering import llm_usage
from kafkapilot.report.render_markdown import render_markdown
from kafkapilot.report.render_terminal import render_terminal_text
from tests.unit.report.sample import sample_report


def _with_runs() -> Report:
    runs = (
        TaskRun(task_id="recent_log_errors", duration_s=1.5, tokens_in=1200, tokens_out=300, cost_usd=0.0021),
        TaskRun(task_id="log_root_cause", duration_s=0.1, tokens_in=800, tokens_out=100, cost_usd=0.001, cached=True),
        TaskRun(task_id="jvm_heap_size_limit", duration_s=0.001),
    )
    return sample_report().model_copy(update={"task_runs": runs})


def test_totals_only_count_llm_runs() -> None:
    runs, total = llm_usage(_with_runs())
    assert [r.task_id for r in runs] == ["log_root_cause", "recent_log_errors"]
    assert (total.tokens_in, total.tokens_out, round(total.cost_usd, 4)) == (2000, 400, 0.0031)


def test_markdown_has_usage_table_with_total() -> None:
    text = render_markdown(_with_runs())
    assert "## LLM usage" in text
    assert "| `total` | 2000 | 400 | 0.0031 | no |" in text
    assert "## LLM usage" not in render_markdown(sample_report())


def test_terminal_has_usage_line() -> None:
    text = render_terminal_text(_with_runs())
    assert "LLM usage 2 task(s), 2000 tokens in, 400 out, $0.0031, 1 from cache" in text
