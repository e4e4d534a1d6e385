"""What the analyse command needs from this package: a prompt runner, and one line of accounting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kafkapilot.findings import Report
from kafkapilot.llm.config import LLMConfig

if TYPE_CHECKING:
    from kafkapilot.engine import PromptRunner

__all__ = ["prompt_runner", "usage_line"]


def prompt_runner(config: LLMConfig) -> PromptRunner | None:
    """The engine's prompt runner for this configuration, or None when no model is configured."""
    if not config.enabled:
        return None
    config.api_key()  # a missing api_key_env variable is an error now, not in the middle of the run
    from kafkapilot.llm.runner import LLMRunner  # noqa: PLC0415 - litellm itself is imported later, on a cache miss

    return LLMRunner(config)


def usage_line(report: Report) -> str:
    """Tokens and cost of the prompt tasks of a report, in total (per task: the report's task runs)."""
    llm_ids = {f.task_id for f in report.findings if f.source == "llm"}
    runs = [r for r in report.task_runs if r.task_id in llm_ids]
    cached = sum(1 for r in runs if r.cached)
    tokens_in = sum(r.tokens_in for r in runs)
    tokens_out = sum(r.tokens_out for r in runs)
    cost = sum(r.cost_usd for r in runs)
    return (
        f"LLM: {len(runs)} task(s), {cached} answered from the cache, "
        f"{tokens_in:,} tokens in, {tokens_out:,} out, ${cost:.4f}"
    )

