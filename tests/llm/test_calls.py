"""Our own retry: which errors are retried, how long it waits, and what it says at the end."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from kafkapilot.llm.calls import CallError, parse_retry_after, rejects_response_format, with_retries


def _run(errors: list[CallError], retries: int = 3) -> tuple[str | None, list[float], int]:
    waits: list[float] = []
    calls = 0

    async def call() -> str:
        nonlocal calls
        calls += 1
        if errors:
            raise errors.pop(0)
        return "ok"

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    try:
        result = asyncio.run(with_retries(call, retries=retries, backoff_s=0.5, sleep=sleep))
    except CallError as exc:
        return exc.reason, waits, calls
    return result, waits, calls


def test_exponential_backoff_then_success() -> None:
    busy = CallError("rate limited (429)", retryable=True)
    assert _run([busy, busy, busy]) == ("ok", [0.5, 1.0, 2.0], 4)


def test_retry_after_is_honoured_and_capped() -> None:
    errors = [CallError("429", retryable=True, retry_after=3), CallError("429", retryable=True, retry_after=900)]
    waits = _run(errors)[1]
    assert waits == [3, 60.0]


NOW = datetime(2026, 12, 2, 3, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7.0), (" 2.5 ", 2.5), ("0", 0.0), ("900", 60.0), ("1e9", 60.0),
     ("Wed, 02 Dec 2026 03:00:30 GMT", 30.0),  # an HTTP-date 30 s ahead
     ("Wed, 02 Dec 2026 02:59:00 GMT", 0.0),  # a date in the past: no wait
     ("Sun, 06 Nov 2095 08:49:37 GMT", 60.0),  # far ahead: capped
     ("nan", None), ("NaN", None), ("inf", None), ("-inf", None), ("-5", None), ("soon", None), ("", None),
     ("Wed, 32 Dec 2026 99:00:00 GMT", None), ("9" * 400, 60.0), (None, None), (b"\xff", None)],
)
def test_retry_after_values(value: object, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def test_an_unusable_retry_after_falls_back_to_the_backoff() -> None:
    errors = [CallError("429", retryable=True, retry_after=v) for v in (float("nan"), float("inf"), -3.0, "garbage")]
    assert _run(errors, retries=4)[1] == [0.5, 1.0, 2.0, 4.0]


def test_gives_up_after_the_retries_and_says_how_often_it_tried() -> None:
    down = CallError("server error 500: boom", retryable=True)
    assert _run([down] * 5, retries=2) == ("server error 500: boom (after 3 attempts)", [0.5, 1.0], 3)


def test_a_client_error_is_not_retried() -> None:
    assert _run([CallError("401 AuthenticationError: bad key", retryable=False)]) \
        == ("401 AuthenticationError: bad key", [], 1)


@pytest.mark.parametrize(
    ("reason", "retryable", "expected"),
    [("400 BadRequestError: response_format is not supported", False, True), ("401 AuthenticationError", False, False),
     ("server error 500: schema", True, False),  # a transient 5xx is retried, not taken for a refusal
     ("500 InternalServerError: response_format: Input should be 'text' or 'json_object'", False, True),
     ("422 UnprocessableEntityError: body.response_format.type: unexpected value", False, True),
     ("404 NotFoundError: model not found", False, False)],
)
def test_response_format_rejections(reason: str, retryable: bool, expected: bool) -> None:
    assert rejects_response_format(CallError(reason, retryable=retryable)) is expected
