"""The litellm adapter: configured for a CLI, errors classified, progress only on a terminal."""

from __future__ import annotations

import os
import sys

import pytest

from kafkapilot.llm import client
from kafkapilot.llm.calls import CallError
from kafkapilot.llm.progress import progress_bar


def test_litellm_is_configured_for_a_cli() -> None:
    module = client.litellm()
    assert os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] == "True" and os.environ["LITELLM_LOG"] == "ERROR"
    assert module.suppress_debug_info is True
    assert client.litellm() is module  # imported and configured once


def test_model_facts_from_the_local_cost_map() -> None:
    assert client.max_input_tokens("openai/gpt-4o-mini") == 128000
    assert client.max_input_tokens("openai/some-local-model") is None
    assert client.structured_output_support("openai/gpt-4o-mini") == (True, True)
    assert client.structured_output_support("hosted_vllm/meta-llama/Llama-3.1-8B-Instruct")[0] is False
    assert client.count_tokens("openai/x", [{"role": "user", "content": "hello world"}]) > 0


class _ProviderError(Exception):
    def __init__(self, name: str, status: int | None, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{name}: OpenAIException - it went wrong\nmore detail")
        self.status_code = status
        self.response = type("R", (), {"headers": headers or {}})()


@pytest.mark.parametrize(
    ("name", "status", "retryable", "reason"),
    [
        ("RateLimitError", 429, True, "rate limited (429): it went wrong"),
        ("Timeout", 408, True, "timed out after 30 s"),
        ("InternalServerError", 502, True, "server error 502: it went wrong"),
        ("APIConnectionError", None, True, "connection failed: it went wrong"),
        ("AuthenticationError", 401, False, "401 AuthenticationError: it went wrong"),
        ("BadRequestError", 400, False, "400 BadRequestError: it went wrong"),
    ],
)
def test_errors_are_classified(name: str, status: int | None, retryable: bool, reason: str) -> None:
    error = type(name, (_ProviderError,), {})(name, status, {"retry-after": "7"})
    classified: CallError = client._call_error(error, 30)  # noqa: SLF001
    assert (classified.retryable, classified.reason) == (retryable, reason)
    assert classified.retry_after == (7.0 if status in (429, 502) else None)


def test_progress_draws_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    with progress_bar(3, "LLM", enabled=True) as advance:  # pytest's stderr is no terminal: a no-op
        advance()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with progress_bar(3, "LLM", enabled=True) as advance:
        for _ in range(3):
            advance()
