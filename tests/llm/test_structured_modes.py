"""Structured output negotiated with the server that answers: a refusal of one mode (whatever its
status) moves to the next at once, is never retried as transient, and is remembered."""

from __future__ import annotations

from typing import Any

import pytest

from kafkapilot.facts import Facts
from kafkapilot.findings import Status
from kafkapilot.llm.config import LLMConfig
from kafkapilot.llm.structured import Mode, ModeMemory
from tests.llm.fake_openai import FakeOpenAI, Scripted, chat_body, error_body
from tests.llm.helpers import answer, builtin_task, run


def _llama_cpp_like(status: int) -> Any:
    """As llama-cpp-python's server: json_schema refused (its response_format takes text or json_object)."""
    def respond(request: dict[str, Any]) -> Scripted:
        form = request.get("response_format") or {}
        if form.get("type") == "json_schema":
            return Scripted(status=status, body=error_body(
                "1 validation error: response_format.type: Input should be 'text' or 'json_object'"))
        return Scripted(body=chat_body(answer()))
    return respond


@pytest.mark.parametrize("status", [500, 400])  # a 422 litellm answers itself: drop_params drops the field
def test_a_refused_json_schema_falls_to_json_object_with_the_schema(fake: FakeOpenAI, config: LLMConfig,
                                                                    facts: Facts, status: int) -> None:
    fake.responder = _llama_cpp_like(status)
    [(finding, _)] = run(config, facts, builtin_task("log_root_cause"))
    assert finding.status is Status.PASS
    kinds = [(r.get("response_format") or {}).get("type") for r in fake.requests]
    assert kinds == ["json_schema", "json_object"]  # the refusal is not retried (config.retries is 2)
    assert fake.requests[1]["response_format"]["schema"]["required"] == ["summary", "findings"]
    remembered = ModeMemory(config.resolved_cache_dir()).recall("openai/test", config.api_base)
    assert remembered is not None and remembered[0] is Mode.JSON_OBJECT_SCHEMA


def test_the_next_run_starts_in_the_remembered_mode(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.responder = _llama_cpp_like(500)
    run(config, facts, builtin_task("log_root_cause"))
    fake.requests.clear()
    run(config, facts, builtin_task("recent_log_errors"))
    assert {(r.get("response_format") or {}).get("type") for r in fake.requests} == {"json_object"}


def test_a_server_refusing_every_form_gets_the_schema_in_the_prompt(fake: FakeOpenAI, config: LLMConfig,
                                                                     facts: Facts) -> None:
    def respond(request: dict[str, Any]) -> Scripted:
        if request.get("response_format"):
            return Scripted(status=400, body=error_body("response_format is not supported by this model"))
        return Scripted(body=chat_body(answer()))

    fake.responder = respond
    [(finding, _)] = run(config, facts, builtin_task("log_root_cause"))
    assert finding.status is Status.PASS
    assert [(r.get("response_format") or {}).get("type") for r in fake.requests] == \
        ["json_schema", "json_object", "json_object", None]
    assert "JSON object" in fake.requests[-1]["messages"][0]["content"]  # the form is in the system message


def test_a_transient_server_error_is_still_retried(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.push(Scripted(status=503, body=error_body("overloaded")), Scripted(body=chat_body(answer())))
    [(finding, _)] = run(config, facts, builtin_task("log_root_cause"))
    assert finding.status is Status.PASS
    assert [(r.get("response_format") or {}).get("type") for r in fake.requests] == ["json_schema", "json_schema"]
