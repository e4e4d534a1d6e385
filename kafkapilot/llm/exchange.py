"""Ask the model once, properly: bounded concurrency, retries, structured output, validation.

Every answer is validated against the schema and grounded in the data sent; an invalid one is
sent back once with the reason, and a second invalid answer is an error with that reason. The
structured-output mode is negotiated on the first calls (kafkapilot.llm.structured): a server that
refuses one mode is asked again in the next, at once, and the mode it accepted is remembered.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from kafkapilot.llm.calls import CallError, CallResult, Usage, rejects_response_format, with_retries
from kafkapilot.llm.config import LLMConfig
from kafkapilot.llm.debug import DebugLog
from kafkapilot.llm.grounding import grounding_problem
from kafkapilot.llm.prompt import invalid_answer_message
from kafkapilot.llm.schema import SCHEMA_NAME, Answer, Severities, answer_schema, parse_answer
from kafkapilot.llm.structured import Mode, ModeMemory, next_mode, response_format_for

__all__ = ["Asked", "Exchange"]


@dataclass
class Asked:
    """The outcome of asking: a valid answer or an error, and what it cost."""

    answer: Answer | None = None
    error: str | None = None
    usage: Usage = field(default_factory=Usage)


class Exchange:
    """The calls of one analysis: one semaphore, one debug log, one structured-output decision."""

    def __init__(self, config: LLMConfig, debug: DebugLog, concurrency: int = 8) -> None:
        self.config = config
        self.debug = debug
        self.semaphore = asyncio.Semaphore(concurrency)
        self.max_tokens: int = config.max_output_tokens  # set by the runner once the context window is known
        # a repair retry sends back the rejected answer and the JSON Schema, unless the context is known: the
        # runner then kept room for a short follow-up only (the reason, without the answer or the schema)
        self.context_known = False
        self._memory = ModeMemory(config.resolved_cache_dir(), enabled=config.cache)
        self._mode: Mode | None = None
        self.mode_reason = ""

    def mode(self) -> Mode:
        """The structured-output mode to ask in: remembered, else json_schema when the provider takes
        response_format at all (litellm's parameter list), else none."""
        if self._mode is None:
            remembered = self._memory.recall(self.config.model or "", self.config.api_base)
            if remembered is not None:
                self._mode, self.mode_reason = remembered[0], f"remembered: {remembered[1]}"
            else:
                from kafkapilot.llm.client import structured_output_support  # noqa: PLC0415 - imports litellm

                accepted = structured_output_support(self.config.model or "")[1]
                self._mode = Mode.JSON_SCHEMA if accepted else Mode.NONE
                self.mode_reason = ("first asked" if accepted
                                    else "the provider takes no response_format (litellm's parameter list)")
        return self._mode

    def _refused(self, mode: Mode, error: CallError, label: str) -> None:
        """`mode` was refused: the next one, for this call and the following ones."""
        if self._mode is mode:
            self._mode = next_mode(mode)
            self.mode_reason = f"{mode.value} refused ({error.reason})"
            self._memory.remember(self.config.model or "", self.config.api_base, self._mode, self.mode_reason)
        self.debug.record("structured_output", label=label, refused=mode.value, now=self._mode.value,
                          reason=error.reason)

    async def ask(self, messages: list[dict[str, str]], label: str, task_prompt: str = "",
                  severities: Severities | None = None) -> Asked:
        """A valid answer to `messages`, grounded in their data, or the reason there is none
        (`task_prompt`: the task's instructions, which an answer must not copy; `severities`: parse_answer's)."""
        asked = Asked()

        def judged(content: str | None) -> tuple[Answer | None, str | None]:
            answer, problem = parse_answer(content, severities)
            if answer is not None:
                problem = grounding_problem(answer, messages[-1]["content"], task_prompt)
            return (None, problem) if problem else (answer, None)

        try:
            content = await self._call(messages, label, asked)
            answer, problem = judged(content)
            if problem:
                self.debug.record("invalid_answer", label=label, reason=problem)
                if self.context_known:
                    retry = [*messages, invalid_answer_message(problem, with_schema=False)]
                else:
                    rejected = {"role": "assistant", "content": content or ""}
                    retry = [*messages, rejected, invalid_answer_message(problem)]
                answer, problem = judged(await self._call(retry, label, asked))
            if problem:
                asked.error = f"invalid answer after one retry: {problem}"
            asked.answer = answer
        except CallError as exc:
            asked.error = exc.reason
        return asked

    async def _call(self, messages: list[dict[str, str]], label: str, asked: Asked) -> str | None:
        while True:
            mode = self.mode()
            try:
                return await self._with_retries(messages, label, asked, mode)
            except CallError as exc:
                if mode is Mode.NONE or not rejects_response_format(exc):
                    raise
                self._refused(mode, exc, label)

    async def _with_retries(self, messages: list[dict[str, str]], label: str, asked: Asked, mode: Mode) -> str | None:
        def on_retry(attempt: int, error: CallError, delay: float) -> None:
            self.debug.record("retry", label=label, attempt=attempt, reason=error.reason, delay_s=delay)

        async def once() -> str | None:
            result = await self._once(messages, label, mode)
            asked.usage.add(result)
            return result.content

        return await with_retries(once, retries=self.config.retries, backoff_s=self.config.backoff_s, on_retry=on_retry)

    async def _once(self, messages: list[dict[str, str]], label: str, mode: Mode) -> CallResult:
        from kafkapilot.llm.client import complete  # noqa: PLC0415 - imports litellm

        request: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "temperature": self.config.temperature,
            "timeout_s": self.config.timeout_s,
            "api_base": self.config.api_base,
            "max_tokens": self.max_tokens,
        }
        form = response_format_for(mode, SCHEMA_NAME, answer_schema())
        if form is not None:
            request["response_format"] = form
        async with self.semaphore:
            self.debug.record("request", label=label, request=request)
            try:
                result = await complete(**request, api_key=self.config.api_key())
            except CallError as exc:
                self.debug.record("error", label=label, reason=exc.reason, retryable=exc.retryable)
                raise
            self.debug.record("response", label=label, content=result.content, tokens_in=result.tokens_in,
                              tokens_out=result.tokens_out, cost_usd=result.cost_usd, latency_s=result.latency_s)
            return result

