"""The engine's prompt runner: every prompt task, and every broker of a per-broker task, as
concurrent calls under one bounded semaphore, each cached, within budget, anonymised, checked
for secrets; one failed call never stops the others.

A unit is what one cache entry holds: one subject (a broker …) of a per-subject task, or the
whole cluster of a cluster-wide task. A unit that exceeds its budget is split per broker, then
its oldest log lines are trimmed.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from kafkapilot.catalog.schema import Scope, Task
from kafkapilot.facts import Facts
from kafkapilot.findings import Finding, NotEvaluated, TaskRun
from kafkapilot.llm.anonymise import anonymiser_for
from kafkapilot.llm.budget import MAX_PARTS, budget_for, output_budget, split_to_fit
from kafkapilot.llm.cache import AnswerCache, cache_key
from kafkapilot.llm.config import LLMConfig
from kafkapilot.llm.data import Section, effective_scope, sections_for, subjects_of
from kafkapilot.llm.debug import DebugLog
from kafkapilot.llm.exchange import Asked, Exchange
from kafkapilot.llm.progress import progress_bar
from kafkapilot.llm.prompt import REPAIR_TOKENS, render_messages
from kafkapilot.llm.results import Part, UnitOutcome, task_result
from kafkapilot.llm.schema import Severities
from kafkapilot.llm.secrets import find_secret
from kafkapilot.llm.server_info import ServerInfo, discover, server_tokens
from kafkapilot.subjects import Subject

__all__ = ["LLMRunner"]


@dataclass
class _Unit:
    task: Task
    subjects: list[Subject]
    sections: list[Section]
    key: str
    label: str


@dataclass
class _Plan:
    task: Task
    units: list[_Unit] = field(default_factory=list)
    not_evaluated: list[NotEvaluated] = field(default_factory=list)


_TEMPLATE_TOKENS_PER_MESSAGE: Final = 8  # a chat template's role markers around each message (ChatML: about 5)
_CONTEXT_IN_ERROR: Final = re.compile(
    r"context (?:window|length|size) (?:of|is) (\d+)|maximum context length is (\d+)|n_ctx[=: ]+(\d+)", re.I)


# the prompt's tokens as the server counted them when it refused it (llama-cpp-python: "Requested tokens
# (5000) exceed context window of 4096"; OpenAI, vLLM: "you requested 5191 tokens (4807 in the messages, …")
_REQUESTED_IN_ERROR: Final = re.compile(r"Requested tokens \((\d+)\)|(\d+) in the messages", re.I)


def requested_in_error(reason: str) -> int | None:
    """The prompt's size in tokens a server names when it refuses it as too long, or None."""
    found = _REQUESTED_IN_ERROR.search(reason)
    return int(next(g for g in found.groups() if g)) if found else None


def context_in_error(reason: str) -> int | None:
    """The context size a server names when it refuses a request as too long (llama.cpp: "exceed context window
    of 4096"; OpenAI: "maximum context length is 8192 tokens"), or None."""
    found = _CONTEXT_IN_ERROR.search(reason)
    return int(next(g for g in found.groups() if g)) if found else None


def concurrency_for(config: LLMConfig, server: ServerInfo) -> int:
    """Calls in flight: --concurrency when given; else as many as the server's slots; else one for a
    self-hosted server that does not say (llama-cpp-python serves one at a time: more would only queue
    and time out), eight for a provider's API."""
    if config.concurrency:
        return config.concurrency
    if server.slots:
        return server.slots
    return 1 if config.api_base else 8


class LLMRunner:
    """Callable as the engine's `prompt_runner`: (tasks, facts) → [(finding, task run)]."""

    def __init__(self, config: LLMConfig) -> None:
        if not config.model:
            msg = "LLMRunner needs a model"
            raise ValueError(msg)
        self.config = config
        self.model: str = config.model

    def __call__(self, tasks: list[Task], facts: Facts) -> list[tuple[Finding, TaskRun]]:
        """Run the prompt tasks; results in the order of `tasks`."""
        return asyncio.run(self.run(tasks, facts))

    async def run(self, tasks: list[Task], facts: Facts) -> list[tuple[Finding, TaskRun]]:
        """The same, in a running event loop."""
        anon = anonymiser_for(facts)
        self._cache = AnswerCache(self.config.resolved_cache_dir(), enabled=self.config.cache)
        self._server = await asyncio.to_thread(discover, self.config.api_base, self.model)
        self._context: int | None = None  # resolved on the first call that is not answered from the cache
        self._scale = 1.0  # litellm's token counts times this: what the server counts (learnt from a refusal)
        self._exchange = Exchange(self.config, DebugLog(self.config.debug_file),
                                  concurrency_for(self.config, self._server))
        self._facts, self._anon = facts, anon
        self._deadline = asyncio.get_running_loop().time() + self.config.deadline_s
        plans = [self._plan(task) for task in tasks]
        known_hosts = {h["name"] for h in facts.hosts}
        total = sum(len(p.units) for p in plans)
        with progress_bar(total, f"LLM {self.model}", enabled=self.config.progress) as advance:

            async def run_task(plan: _Plan) -> tuple[Finding, TaskRun]:
                started = time.perf_counter()
                outcomes = await asyncio.gather(*(self._unit(unit, advance) for unit in plan.units))
                duration = time.perf_counter() - started
                return task_result(plan.task, self.model, anon, list(outcomes), plan.not_evaluated,
                                   known_hosts=known_hosts, duration_s=duration)

            return list(await asyncio.gather(*(run_task(plan) for plan in plans)))

    def preview(self, task: Task, facts: Facts) -> tuple[list[tuple[str, list[dict[str, str]]]], list[NotEvaluated]]:
        """What would be sent for `task`, without sending: ([(call label, messages)], subjects not evaluated).
        Before the token budget splits a call that does not fit (that needs the model's tokenizer)."""
        self._facts, self._anon = facts, anonymiser_for(facts)
        plan = self._plan(task)
        return [(unit.label, render_messages(task, unit.sections)) for unit in plan.units], plan.not_evaluated

    def _plan(self, task: Task) -> _Plan:
        subjects, not_evaluated = subjects_of(task, self._facts)
        plan = _Plan(task, not_evaluated=not_evaluated)
        if not subjects:
            return plan
        cluster_wide = effective_scope(task) is Scope.CLUSTER
        groups = [subjects] if cluster_wide else [[s] for s in subjects]
        for group in groups:
            sections = self._sections(task, group, cluster_wide=cluster_wide)
            messages = render_messages(task, sections)
            key = cache_key(model=self.model, temperature=self.config.temperature, budget=self._declared_budget(task),
                            max_log_lines=self.config.max_log_lines, messages=messages)
            label = f"{task.id}@{'cluster' if cluster_wide else self._anon.anonymise(group[0].label)}"
            plan.units.append(_Unit(task, group, sections, key, label))
        return plan

    def _sections(self, task: Task, subjects: list[Subject], *, cluster_wide: bool) -> list[Section]:
        """The data sections of these subjects, anonymised (titles and lines) once."""
        sections = sections_for(task, self._facts, subjects, cluster_wide=cluster_wide,
                                max_log_lines=self.config.max_log_lines)
        for section in sections:
            section.title = self._anon.anonymise(section.title)
            section.lines = self._anon.anonymise("\n".join(section.lines)).split("\n") if section.lines else []
        return sections

    def _declared_budget(self, task: Task) -> int:
        return self.config.max_tokens_per_request or task.max_tokens_per_request or self.config.default_budget_tokens

    async def _unit(self, unit: _Unit, advance: Callable[[], None]) -> UnitOutcome:
        try:
            entry = self._cache.get(unit.key)
            if entry is not None:
                self._exchange.debug.record("cache_hit", label=unit.label, key=unit.key)
                return UnitOutcome.from_json(entry)
            try:
                remaining = max(0.0, self._deadline - asyncio.get_running_loop().time())
                outcome = await asyncio.wait_for(self._ask_unit(unit), timeout=remaining)
            except TimeoutError:
                reason = (f"the LLM phase's deadline ({self.config.deadline_s:g} s, --llm-deadline) passed "
                          "before this call ended")
                self._exchange.debug.record("deadline", label=unit.label, reason=reason)
                names = [self._anon.anonymise(s.label) for s in unit.subjects]
                return UnitOutcome(parts=[Part(names, error=reason)])
            if outcome.complete:
                self._cache.put(unit.key, outcome.to_json())
            return outcome
        finally:
            advance()

    def _context_window(self) -> int | None:
        """The model's context: what the server says, else litellm's model map, else --context-window."""
        if self._context is None:
            from kafkapilot.llm import client  # noqa: PLC0415 - imports litellm: only on a cache miss

            self._context = (self._server.context_window or client.max_input_tokens(self.model)
                             or self.config.context_window or 0)
            self._exchange.max_tokens = output_budget(self.config.max_output_tokens, self._context or None)
        return self._context or None

    async def _ask_unit(self, unit: _Unit, *, relearned: bool = False) -> UnitOutcome:
        from kafkapilot.llm import client  # noqa: PLC0415 - imports litellm: only on a cache miss

        context, scale = self._context_window(), self._scale
        # room in the context for the answer and for a repair retry's short follow-up
        answer_room = self._exchange.max_tokens + REPAIR_TOKENS
        self._exchange.context_known = context is not None
        budget = budget_for(unit.task.max_tokens_per_request, self.config.max_tokens_per_request,
                            self.config.default_budget_tokens, context, answer_room)

        def count(sections: list[Section]) -> int:
            messages = render_messages(unit.task, sections)
            size = sum(len(m["content"].encode("utf-8")) for m in messages)
            # A token covers at least one byte: data no larger than the budget in bytes fits without counting.
            if size <= budget:
                return size
            counted = server_tokens(self._server, "\n".join(m["content"] for m in messages))
            if counted is not None:  # the model's own tokenizer, and the chat template's tokens per message
                return counted + _TEMPLATE_TOKENS_PER_MESSAGE * len(messages)
            return math.ceil(client.count_tokens(self.model, messages) * scale)

        outcome = UnitOutcome()
        pieces = [(unit.subjects, unit.sections)]
        tokens = count(unit.sections)
        if tokens > budget and len(unit.subjects) > 1:
            outcome.remarks.append(
                f"the cluster's data ({tokens:,} tokens) was split per node to fit {budget:,} tokens")
            pieces = [([s], self._sections(unit.task, [s], cluster_wide=True)) for s in unit.subjects]
        prepared = []
        for subjects, sections in pieces:
            names = [self._anon.anonymise(s.label) for s in subjects]
            calls, rest = split_to_fit(sections, budget, count)
            if len(calls) > 1:
                who = ", ".join(s.label for s in subjects)
                outcome.remarks.append(self._anon.anonymise(
                    f"{who}: the data ({count(sections):,} tokens) was divided into {len(calls)} calls "
                    f"of at most {budget:,} tokens"))
            if rest and calls:  # beyond MAX_PARTS calls the rest is left out, and said
                outcome.notes += [self._anon.anonymise(
                    f"{s.host + ': ' if s.host else ''}{len(s.lines):,} lines of {s.kind} ({s.title}) beyond "
                    f"{MAX_PARTS} calls of {budget:,} tokens") for s in rest]
            problem = None if calls else (f"the task's prompt alone does not fit in {budget:,} tokens; give a model "
                                          "with a larger context (--context-window) or --max-tokens-per-request")
            for call_sections in calls or [sections]:
                messages = render_messages(unit.task, call_sections)
                secret = find_secret("\n".join(m["content"] for m in messages[1:]))
                if problem or secret:
                    reason = problem or (f"refused to send: the data contains what looks like a secret ({secret}); "
                                         "redact it in the snapshot")
                    self._exchange.debug.record("refused", label=unit.label, reason=reason)
                    outcome.parts.append(Part(names, error=reason))
                    break
                prepared.append((names, messages))
        severities = Severities(keywords=unit.task.severity_keywords or {}, default=unit.task.severity)
        asked = await asyncio.gather(*(self._exchange.ask(messages, unit.label, unit.task.prompt or "", severities)
                                       for _, messages in prepared))
        for (names, _), result in zip(prepared, asked, strict=True):
            outcome.parts.append(Part(names, answer=result.answer, error=result.error))
            outcome.usage.add(result.usage)
        if not relearned:
            again = await self._ask_again(unit, context, scale, [m for _, m in prepared], asked)
            if again is not None:
                again.usage.add(outcome.usage)
                return again
        return outcome

    async def _ask_again(self, unit: _Unit, context: int | None, scale: float, sent: list[list[dict[str, str]]],
                         asked: list[Asked]) -> UnitOutcome | None:
        """When the server refused calls as too long: learn what it said and divide the data again
        (once). Its context window, when it was unknown or larger than the server's; else how it
        counts tokens (a context we knew overflowed: litellm's tokenizer is not the model's)."""
        from kafkapilot.llm import client  # noqa: PLC0415 - imports litellm: only on a cache miss

        learned = min((n for r in asked if r.error and (n := context_in_error(r.error))), default=None)
        if not learned:
            return None
        if context is None or learned < context:
            self._context = learned
            self._exchange.max_tokens = output_budget(self.config.max_output_tokens, learned)
            self._exchange.debug.record("context_window", label=unit.label, learned=learned)
            again = await self._ask_unit(unit, relearned=True)
            again.remarks.insert(0, f"the server's context window ({learned:,} tokens) was learnt from its refusal")
            return again
        ratios = [n / client.count_tokens(self.model, messages) for messages, r in zip(sent, asked, strict=True)
                  if r.error and (n := requested_in_error(r.error))]
        if not ratios or max(max(ratios) * 1.02, self._scale) <= scale:
            return None  # counted with what the server said already (another unit may have learnt it)
        self._scale = max(self._scale, max(ratios) * 1.02)
        self._exchange.debug.record("token_count_scale", label=unit.label, scale=round(self._scale, 3))
        again = await self._ask_unit(unit, relearned=True)
        again.remarks.insert(0, f"the server counts {self._scale:.2f} times the tokens litellm's tokenizer does "
                                "for this model (learnt from its refusal): the data was divided again")
        return again
