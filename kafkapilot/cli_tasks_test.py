"""`kafkapilot tasks test ID SNAPSHOT`: one task against one snapshot, for whoever writes a task.

It prints, for a prompt task, every message that would be sent (anonymised, exactly as the
model would get it, one block per call), then the task's result whatever its status: summary,
every piece of evidence, the subjects it could not look at, and what the run cost. Without
--model a prompt task is not sent anywhere: the preview is the point.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.catalog.schema import Task
from kafkapilot.engine import EngineOptions, not_applicable
from kafkapilot.errors import KafkaPilotError
from kafkapilot.exit_codes import EXIT_OK
from kafkapilot.facts import build_facts
from kafkapilot.findings import Finding, TaskRun
from kafkapilot.llm.config import LLMConfig, resolve_llm_config
from kafkapilot.llm.usage import prompt_runner
from kafkapilot.report.terminal_safe import terminal_safe
from kafkapilot.settings import load_settings, merged_params
from kafkapilot.snapshot.load import MAX_ARCHIVE_BYTES, load_snapshot

__all__ = ["run_task_test"]


def run_task_test(  # keyword-only: mirrors the command's options
    *,
    task_id: str,
    snapshot: Path,
    tasks_dirs: tuple[Path, ...],
    params: tuple[str, ...],
    config_file: Path | None,
    model: str | None,
    api_base: str | None,
) -> int:
    """Preview the prompt of `task_id` (prompt tasks), then run it alone and print its result."""
    settings = load_settings(config_file)
    catalog = load_catalog(default_tasks_dir(), *settings.tasks_dirs, *tasks_dirs)
    task = catalog.get(task_id)
    if task is None:
        raise KafkaPilotError(f"no task with id {task_id!r}", where="tasks test",
                              hint="see `kafkapilot tasks list`; --tasks-dir adds your own")
    llm = resolve_llm_config({"model": model, "api_base": api_base}, settings.llm,
                             base_dir=config_file.parent if config_file else None)
    if task.needs_llm:
        _preview(task, snapshot, llm)
    overrides = merged_params(settings, params)
    report = analyse(snapshot, catalog, Selection(task_ids=(task_id,), include_disabled=True),
                     EngineOptions(param_overrides=overrides, prompt_runner=prompt_runner(llm)))
    [finding] = [f for f in report.findings if f.task_id == task_id]
    run = next((r for r in report.task_runs if r.task_id == task_id), None)
    sys.stdout.write("\n".join(_result_lines(finding, run)) + "\n")
    return EXIT_OK


def _preview(task: Task, snapshot: Path, llm: LLMConfig) -> None:
    from kafkapilot.llm.runner import LLMRunner  # noqa: PLC0415 - the LLM path only for prompt tasks

    with load_snapshot(snapshot, max_archive_bytes=MAX_ARCHIVE_BYTES) as loaded:
        facts = build_facts(loaded)
        reason = not_applicable(task, facts)
        if reason:
            sys.stdout.write(f"no call for {task.id}: {reason}\n\n")
            return
        config = llm if llm.model else dataclasses.replace(llm, model="preview")
        calls, _not_evaluated = LLMRunner(config).preview(task, facts)
    out = [f"{len(calls)} call(s) for {task.id} (before the token budget splits any that does not fit)"]
    for index, (label, messages) in enumerate(calls, start=1):
        out.append(f"\n=== call {index}: {label} ===")
        for message in messages:
            out.extend([f"--- {message['role']} ---", terminal_safe(message["content"])])
    if not llm.model:
        out.append("\n(not sent: give --model to ask a model)")
    sys.stdout.write("\n".join(out) + "\n\n")


def _result_lines(finding: Finding, run: TaskRun | None) -> list[str]:
    """The finding, whatever its status, as plain lines (strings from the snapshot made terminal-safe)."""
    safe = terminal_safe
    lines = [f"=== result: {finding.task_id} ===",
             f"status:   {finding.status.value}", f"severity: {finding.severity.value}",
             f"summary:  {safe(finding.summary)}"]
    if finding.hosts:
        lines.append(f"hosts:    {', '.join(finding.hosts)}")
    for evidence in finding.evidence:
        where = evidence.subject.label if evidence.subject else evidence.host or "cluster"
        values = "; ".join(v for v in (evidence.actual and f"actual {evidence.actual}",
                                       evidence.expected and f"expected {evidence.expected}") if v)
        lines.append(f"  - {safe(where)}: {safe(evidence.message)}" + (f" ({safe(values)})" if values else ""))
    if finding.evidence_omitted:
        lines.append(f"  … and {finding.evidence_omitted} more")
    lines += [f"not evaluated: {safe(item.subject.label)}: {safe(item.reason)}" for item in finding.not_evaluated]
    if run is not None and (run.tokens_in or run.note):
        lines.append(f"run:      {run.duration_s:g} s, {run.tokens_in} tokens in, {run.tokens_out} out; {run.note}")
    return lines
