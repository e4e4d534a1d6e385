"""One model call as the runner sees it: the result, the error, and our own retry with backoff.

Retrying here (and not in litellm or the OpenAI SDK, which get max_retries=0) keeps the
behaviour deterministic and testable: rate limits (429), server errors (5xx), timeouts and
lost connections are retried with exponential backoff (or the server's Retry-After); other
errors (400, 401, 404 …) are not.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final, TypeVar

__all__ = ["MAX_RETRY_AFTER_S", "CallError", "CallResult", "Usage", "names_response_format", "parse_retry_after",
           "rejects_response_format", "with_retries"]

MAX_RETRY_AFTER_S: Final = 60.0
T = TypeVar("T")


@dataclass(frozen=True)
class CallResult:
    """What one successful call returned."""

    content: str | None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0


@dataclass
class Usage:
    """Tokens, cost and number of answered calls, summed."""

    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    calls: int = 0

    def add(self, other: CallResult | Usage) -> None:
        """Add one call's result, or another sum."""
        self.tokens_in += other.tokens_in
        self.tokens_out += other.tokens_out
        self.cost_usd += other.cost_usd
        self.calls += other.calls if isinstance(other, Usage) else 1


class CallError(Exception):
    """A failed call, with a one-line reason and whether trying again may help."""

    def __init__(self, reason: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


def parse_retry_after(value: object, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (RFC 9110: delay-seconds or an HTTP-date), capped at
    MAX_RETRY_AFTER_S; None when the value says nothing usable (absent, NaN, infinite, negative, garbage), so
    that the backoff applies instead. A date in the past is no wait."""
    if value is None:
        return None
    text = str(value).strip()[:64]
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return min(seconds, MAX_RETRY_AFTER_S)


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    retries: int,
    backoff_s: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    on_retry: Callable[[int, CallError, float], None] | None = None,
) -> T:
    """Run `call`; on a retryable CallError wait backoff·2^n (or Retry-After) and try again, `retries` times."""
    attempt = 0
    while True:
        try:
            return await call()
        except CallError as exc:
            if not exc.retryable or attempt >= retries:
                if attempt:
                    raise CallError(f"{exc.reason} (after {attempt + 1} attempts)", retryable=False) from exc
                raise
            delay = parse_retry_after(exc.retry_after)
            if delay is None:
                delay = backoff_s * 2**attempt
            if on_retry is not None:
                on_retry(attempt + 1, exc, delay)
            await sleep(delay)
            attempt += 1


_FORMAT_WORDS: Final = ("response_format", "json_schema", "json_object", "schema", "grammar")
_FORMAT_STATUSES: Final = ("400", "422", "500")


def names_response_format(status: int | None, message: str) -> bool:
    """True when an error with this HTTP status refuses structured output: llama-cpp-python answers 500,
    vLLM 400, FastAPI-based servers 422, each naming response_format or the schema."""
    return str(status) in _FORMAT_STATUSES and any(w in message.lower() for w in _FORMAT_WORDS)


def rejects_response_format(error: CallError) -> bool:
    """True for an error that refuses structured output (the call is then made in the next mode)."""
    return not error.retryable and names_response_format(_status(error.reason), error.reason)


def _status(reason: str) -> int | None:
    """The HTTP status a CallError's reason starts with ("400 BadRequestError: …", "server error 500: …")."""
    for word in reason.replace(":", " ").split()[:3]:
        if word.isdigit() and len(word) == 3:  # an HTTP status has three digits
            return int(word)
    return None
