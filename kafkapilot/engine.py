"""The engine: run every selected task on the facts, each isolated, into findings."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from kafkapilot.catalog.schema import Task
from kafkapilot.check_budget import DEFAULT_CHECK_BUDGET_S, CheckBudgetExceeded, cpu_budget
from kafkapilot.evaluate_check import evaluate_check
from kafkapilot.evaluate_rule import evaluate_rule
from kafkapilot.expressions import ExpressionError
from kafkapilot.facts import Facts
from kafkapilot.findings import Finding, Status, TaskRun
from kafkapilot.outcome import Outcome, finding_from_outcome, simple_finding

__all__ = ["LLM_HINT", "EngineOptions", "not_applicable", "run_tasks"]

LLM_HINT: Final = ("needs an LLM: run with --model <litellm model>, e.g. --model openai/gpt-4o-mini "
                   "(see README, 'Enable an LLM')")

PromptRunner = Callable[[list[Task], Facts], list[tuple[Finding, TaskRun]]]


@dataclass(frozen=True)
class EngineOptions:
    """What to run and with which parameters."""

    param_overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    prompt_runner: PromptRunner | None = None
    check_budget_s: float | None = DEFAULT_CHECK_BUDGET_S  # CPU seconds per deterministic task; None: no budget


def not_applicable(task: Task, facts: Facts) -> str | None:
    """Why `task` does not apply to this cluster at all (its cluster_type_filter), or None."""
    mode = facts.cluster["mode"]
    if task.cluster_type_filter and mode not in {c.value for c in task.cluster_type_filter}:
        return f"not applicable: the cluster runs in {mode} mode"
    return None


def run_tasks(tasks: list[Task], facts: Facts, options: EngineOptions) -> tuple[list[Finding], list[TaskRun]]:
    """Run tasks; a task that breaks becomes an `error` finding and the others go on."""
    findings: list[Finding] = []
    runs: list[TaskRun] = []
    prompt_tasks: list[Task] = []
    for task in tasks:
        reason = not_applicable(task, facts)
        if reason:
            findings.append(simple_finding(task, Status.SKIPPED, reason))
            continue
        if task.needs_llm:
            prompt_tasks.append(task)
            continue
        started = time.perf_counter()
        findings.append(_run_deterministic(task, facts, _params(task, options), options.check_budget_s))
        runs.append(TaskRun(task_id=task.id, duration_s=round(time.perf_counter() - started, 6)))
    if prompt_tasks and options.prompt_runner is not None:
        for finding, run in options.prompt_runner(prompt_tasks, facts):
            findings.append(finding)
            runs.append(run)
    else:
        findings.extend(simple_finding(t, Status.SKIPPED, LLM_HINT) for t in prompt_tasks)
    return findings, runs


def _params(task: Task, options: EngineOptions) -> dict[str, Any]:
    return {**task.params, **options.param_overrides.get(task.id, {})}


def _run_deterministic(task: Task, facts: Facts, params: dict[str, Any], budget_s: float | None) -> Finding:
    try:
        with cpu_budget(budget_s):
            outcome: Outcome = evaluate_check(task, facts, params) if task.check else evaluate_rule(task, facts, params)
    except CheckBudgetExceeded as exc:
        return simple_finding(task, Status.ERROR, str(exc))
    except ExpressionError as exc:
        return simple_finding(task, Status.ERROR, f"check could not be evaluated: {exc}")
    except KeyError as exc:
        return simple_finding(task, Status.ERROR, str(exc.args[0]) if exc.args else repr(exc))
    except Exception as exc:  # noqa: BLE001 - one broken task never stops the others
        return simple_finding(task, Status.ERROR, f"internal error in {task.kind}: {type(exc).__name__}: {exc}")
    return finding_from_outcome(task, outcome)

