"""The context window and slots come from the server where it says; max_tokens is always set,
and the data is divided to fit what is left of the context."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kafkapilot.facts import Facts, build_facts
from kafkapilot.findings import Status
from kafkapilot.llm.config import LLMConfig
from kafkapilot.llm.runner import concurrency_for, context_in_error, requested_in_error
from kafkapilot.llm.server_info import ServerInfo, discover
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.llm.conftest import with_changes
from tests.llm.fake_openai import FakeOpenAI, Scripted, chat_body, error_body
from tests.llm.helpers import answer, builtin_task, ok, run, user_texts
from tests.llm.spec import llm_spec


@pytest.fixture
def ollama() -> Iterator[str]:
    """A server answering Ollama's /api/show and vLLM's /v1/models, on 127.0.0.1."""
    class Handler(BaseHTTPRequestHandler):
        def _json(self, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # http.server's name
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self._json({"parameters": "stop <eos>\nnum_ctx 6144", "model_info": {"llama.context_length": 131072}})

        def do_GET(self) -> None:  # http.server's name
            if self.path == "/v1/models":
                self._json({"data": [{"id": "served-model", "max_model_len": 16384}]})
            else:
                self.send_error(404)

        def log_message(self, _format: str, *_args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_llama_cpp_props_give_the_context_and_the_slots(fake: FakeOpenAI) -> None:
    fake.props = {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 2}
    assert discover(fake.url, "openai/smollm2") == ServerInfo(4096, 2, fake.url.removesuffix("/v1") + "/props")


def test_vllm_models_and_ollama_show(ollama: str) -> None:
    assert discover(f"{ollama}/v1", "hosted_vllm/served-model").context_window == 16384
    assert discover(ollama, "ollama_chat/llama3.1").context_window == 6144  # the num_ctx it runs with


def test_no_api_base_or_a_silent_server_says_nothing(fake: FakeOpenAI) -> None:
    assert discover(None, "openai/gpt-4o-mini") == ServerInfo()
    assert discover(fake.url, "openai/test") == ServerInfo()
    assert discover("http://127.0.0.1:9/v1", "openai/test") == ServerInfo()  # nothing listens: no wait


def test_concurrency_follows_the_server_unless_given() -> None:
    assert concurrency_for(LLMConfig(model="m", api_base="http://x/v1"), ServerInfo(slots=4)) == 4
    assert concurrency_for(LLMConfig(model="m", api_base="http://x/v1"), ServerInfo()) == 1
    assert concurrency_for(LLMConfig(model="m"), ServerInfo()) == 8
    assert concurrency_for(LLMConfig(model="m", api_base="http://x/v1", concurrency=3), ServerInfo(slots=4)) == 3


def test_a_small_context_sets_max_tokens_and_divides_the_data(fake: FakeOpenAI, config: LLMConfig,
                                                              tmp_path: Path) -> None:
    fake.props = {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 1}
    facts: Facts = build_facts(load_snapshot(materialize(llm_spec(log_lines=2000), tmp_path / "s")))
    [(finding, task_run)] = run(with_changes(config, cache=False), facts, builtin_task("recent_log_errors"))
    assert finding.status is Status.PASS
    assert {r["max_tokens"] for r in fake.requests} == {1024}  # a quarter of 4096
    broker_2 = [t for t in user_texts(fake.requests) if "### broker-2 log" in t]  # the broker with errors
    assert len(broker_2) > 1 and "kafka-2: the data" in task_run.note
    assert f"divided into {len(broker_2)} calls of at most 2,848 tokens" in task_run.note  # 4096 - 1024 - 160 - 64
    assert fake.max_in_flight == 1  # the server's one slot


def test_context_window_from_the_settings_when_nobody_says(fake: FakeOpenAI, config: LLMConfig,
                                                           facts: Facts) -> None:
    run(with_changes(config, cache=False, context_window=16384, max_output_tokens=300), facts,
        builtin_task("log_root_cause"))
    assert {r["max_tokens"] for r in fake.requests} == {300}


def test_a_context_learnt_from_the_servers_refusal_divides_the_data(fake: FakeOpenAI, config: LLMConfig,
                                                                    tmp_path: Path) -> None:
    def respond(request: dict[str, Any]) -> Scripted:
        if len(user_texts([request])[0]) > 20_000:  # as llama-cpp-python refuses a prompt over its n_ctx
            return Scripted(status=400, body=error_body("Requested tokens (7900) exceed context window of 4096"))
        return Scripted(body=chat_body(answer()))

    fake.responder = respond
    facts = build_facts(load_snapshot(materialize(llm_spec(log_lines=2000), tmp_path / "s")))
    [(finding, task_run)] = run(with_changes(config, cache=False), facts, builtin_task("recent_log_errors"))
    assert finding.status is Status.PASS, finding.summary
    assert "context window (4,096 tokens) was learnt from its refusal" in task_run.note
    assert "divided into" in task_run.note
    assert {r["max_tokens"] for r in fake.requests[-2:]} == {1024}
    assert context_in_error("400 BadRequestError: This model's maximum context length is 8192 tokens") == 8192


def test_tokens_are_counted_by_the_servers_own_tokenizer_so_divided_calls_fit(
    fake: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    """A small vocabulary counts JSON at about 2 bytes a token, a third more than litellm's fallback
    (OpenAI's tokenizer): counted by litellm, calls divided to fit 4096 overflowed it. The server's
    own count divides them so that each one fits."""
    def tokens(text: str) -> int:
        return len(text.encode()) // 2

    def respond(request: dict[str, Any]) -> Scripted:
        sent = sum(tokens(m["content"]) + 8 for m in request["messages"])
        if sent + request["max_tokens"] > 4096:
            return Scripted(status=400, body=error_body(f"Requested tokens ({sent}) exceed context window of 4096"))
        return Scripted(body=chat_body(answer()))

    fake.props = {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 1}
    fake.tokenizer = tokens
    fake.responder = respond
    info = discover(fake.url, "openai/smollm2")
    assert (info.tokenizer, info.tokenizer_body) == (fake.url.removesuffix("/v1") + "/extras/tokenize/count", "input")
    facts = build_facts(load_snapshot(materialize(llm_spec(log_lines=2000), tmp_path / "s")))
    [(finding, task_run)] = run(with_changes(config, cache=False), facts, builtin_task("recent_log_errors"))
    assert finding.status is Status.PASS, finding.summary
    assert fake.tokenized and "divided into" in task_run.note
    assert "learnt from its refusal" not in task_run.note  # no call overflowed


def test_a_server_without_a_tokenizer_endpoint_is_not_asked_to_count(fake: FakeOpenAI) -> None:
    fake.props = {"default_generation_settings": {"n_ctx": 4096}}
    info = discover(fake.url, "openai/smollm2")
    assert info.tokenizer == "" and fake.requests == []  # the probes were not taken for chat requests


def test_without_a_tokenizer_the_count_is_corrected_from_the_servers_refusal(
    fake: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    """Ollama has no tokenize endpoint: a refusal that names the prompt's size in the server's tokens
    corrects litellm's counts, and the data is divided again to fit."""
    def respond(request: dict[str, Any]) -> Scripted:
        sent = sum(len(m["content"].encode()) // 2 + 8 for m in request["messages"])
        if sent + request["max_tokens"] > 4096:
            return Scripted(status=400, body=error_body(f"Requested tokens ({sent}) exceed context window of 4096"))
        return Scripted(body=chat_body(answer()))

    fake.props = {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 1}
    fake.responder = respond
    facts = build_facts(load_snapshot(materialize(llm_spec(log_lines=2000), tmp_path / "s")))
    [(finding, task_run)] = run(with_changes(config, cache=False), facts, builtin_task("recent_log_errors"))
    assert finding.status is Status.PASS, finding.summary
    assert "times the tokens litellm's tokenizer does for this model" in task_run.note
    assert requested_in_error("you requested 5191 tokens (4807 in the messages, 384 in the completion)") == 4807


def test_within_a_known_context_a_repair_retry_is_short(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    """The budget kept room for the answer and a short follow-up: the retry sends neither the rejected
    answer nor the schema back (on a 4096-token server the full repair of a full call overflowed it)."""
    fake.props = {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 1}
    fake.push(ok("not json"), ok(answer()))
    [(finding, _)] = run(with_changes(config, cache=False), facts, builtin_task("log_root_cause"))
    assert finding.status is Status.PASS
    [retry] = [r for r in fake.requests if "not accepted" in r["messages"][-1]["content"]]
    assert [m["role"] for m in retry["messages"]] == ["system", "user", "user"]  # the rejected answer stays out
    assert retry["messages"][:-1] == fake.requests[0]["messages"]
    follow_up = retry["messages"][-1]["content"]
    assert "not valid JSON" in follow_up and "additionalProperties" not in follow_up and len(follow_up) < 600
