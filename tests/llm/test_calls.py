"""Our own retry: which errors are retried, how long it waits, and what it says at the end."""

from __future__ import annotations

import asyncio

import pytest

from kafkapilot.llm.calls import CallError, rejects_response_format, with_retries


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


def test_gives_up_after_the_retries_and_says_how_often_it_tried() -> None:
    down = CallError("server error 500: boom", retryable=True)
    assert _run([down] * 5, retries=2) == ("server error 500: boom (after 3 attempts)", [0.5, 1.0], 3)


def test_a_client_error_is_not_retried() -> None:
    assert _run([CallError("401 AuthenticationError: bad key", retryable=False)]) \
        == ("401 AuthenticationError: bad key", [], 1)


@pytest.mark.parametrize(
    ("reason", "retryable", "expected"),
    [("400 BadRequestError: response_format is not supported", False, True), ("401 AuthenticationError", False, False),
     ("server error 500: schema", True, False)],
)
def test_response_format_rejections(reason: str, retryable: bool, expected: bool) -> None:
    assert rejects_response_format(CallError(reason, retryable=retryable)) is expected
