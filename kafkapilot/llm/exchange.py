"""Ask the model once, properly: bounded concurrency, retries, structured output, validation.

Every answer is validated against the schema; an invalid one is sent back once with the
reason, and a second invalid answer is an error with that reason. A provider that rejects
`response_format` is asked again without it (the schema is in the system message anyway).
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
from kafkapilot.llm.schema import Answer, Severities, parse_answer, response_format

__all__ = ["Asked", "Exchange"]


@dataclass
class Asked:
    """The outcome of asking: a valid answer or an error, and what it cost."""

    answer: Answer | None = None
    error: str | None = None
    usage: Usage = field(default_factory=Usage)


class Exchange:
    """The calls of one analysis: one semaphore, one debug log, one structured-output decision."""

    def __init__(self, config: LLMConfig, debug: DebugLog) -> None:
        self.config = config
        self.debug = debug
        self.semaphore = asyncio.Semaphore(config.concurrency)
        self._structured: bool | None = None

    def _use_structured(self) -> bool:
        if self._structured is None:
            from kafkapilot.llm.client import structured_output_support  # noqa: PLC0415 - imports litellm

            self._structured = structured_output_support(self.config.model or "")[1]
        return self._structured

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
                retry = [*messages, {"role": "assistant", "content": content or ""}, invalid_answer_message(problem)]
                answer, problem = judged(await self._call(retry, label, asked))
            if problem:
                asked.error = f"invalid answer after one retry: {problem}"
            asked.answer = answer
        except CallError as exc:
            asked.error = exc.reason
        return asked

    async def _call(self, messages: list[dict[str, str]], label: str, asked: Asked) -> str | None:
        try:
            return await self._with_retries(messages, label, asked)
        except CallError as exc:
            if not self._structured or not rejects_response_format(exc):
                raise
            self._structured = False
            self.debug.record("structured_output_off", label=label, reason=exc.reason)
            return await self._with_retries(messages, label, asked)

    async def _with_retries(self, messages: list[dict[str, str]], label: str, asked: Asked) -> str | None:
        def on_retry(attempt: int, error: CallError, delay: float) -> None:
            self.debug.record("retry", label=label, attempt=attempt, reason=error.reason, delay_s=delay)

        async def once() -> str | None:
            result = await self._once(messages, label)
            asked.usage.add(result)
            return result.content

        return await with_retries(once, retries=self.config.retries, backoff_s=self.config.backoff_s, on_retry=on_retry)

    async def _once(self, messages: list[dict[str, str]], label: str) -> CallResult:
        from kafkapilot.llm.client import complete  # noqa: PLC0415 - imports litellm

        request: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "temperature": self.config.temperature,
            "timeout_s": self.config.timeout_s,
            "api_base": self.config.api_base,
        }
        if self._use_structured():
            request["response_format"] = response_format()
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

