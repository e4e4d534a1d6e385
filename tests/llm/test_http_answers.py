"""Answers and faults, through litellm's real network path to the fake OpenAI server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from typing import Any

from kafkapilot.facts import Facts
from kafkapilot.findings import Severity, Status
from kafkapilot.llm import client
from kafkapilot.llm.anonymise import anonymiser_for
from kafkapilot.llm.config import LLMConfig
from kafkapilot.llm.schema import SCHEMA_NAME
from tests.llm.conftest import with_changes
from tests.llm.fake_openai import FakeOpenAI, Scripted, chat_body, error_body
from tests.llm.helpers import answer, builtin_task, data_line, finding_json, names_subject, ok, run, user_texts

ROOT_CAUSE = "log_root_cause"  # one call (cluster-wide): scripted answers apply in order


def test_failed_answer_becomes_an_llm_finding_with_real_names(fake: FakeOpenAI, config: LLMConfig,
                                                              facts: Facts) -> None:
    topic = anonymiser_for(facts).token("orders")
    quote = '"Java heap space":1'  # a fragment of broker-2's facts, as sent
    fake.push(ok(answer(finding_json(f"ISR shrinks on {topic}", "critical", ("broker-2",), quote))))
    [(finding, task_run)] = run(config, facts, builtin_task(ROOT_CAUSE))
    assert finding.status is Status.FAIL
    assert finding.severity is Severity.HIGH  # the answer said critical: never above the task's declared high
    assert (finding.source, finding.model) == ("llm", "openai/test")
    assert finding.hosts == ("kafka-2",)
    assert finding.summary.startswith("ISR shrinks on orders: ISR shrinks on orders on kafka-2.")
    assert [e.message for e in finding.evidence][1] == quote
    assert finding.remediation == "Look at the broker."
    assert (task_run.tokens_in, task_run.tokens_out, task_run.cached) == (120, 30, False)


def test_structured_output_is_requested_with_the_answer_schema(fake: FakeOpenAI, config: LLMConfig,
                                                               facts: Facts) -> None:
    [(finding, _)] = run(config, facts, builtin_task(ROOT_CAUSE))
    assert finding.status is Status.PASS
    assert finding.severity is Severity.HIGH  # a pass keeps the task's severity
    request = fake.requests[0]
    assert request["temperature"] == 0
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["name"] == SCHEMA_NAME
    assert request["response_format"]["json_schema"]["strict"] is True


def test_invalid_json_is_sent_back_once_with_the_reason(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.push(ok("Sure! Here is my analysis: everything looks fine."), ok(answer()))
    [(finding, task_run)] = run(config, facts, builtin_task(ROOT_CAUSE))
    assert finding.status is Status.PASS
    retry = fake.requests[1]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "Sure! Here is my analysis: everything looks fine."}
    assert "not valid JSON" in retry[-1]["content"] and '"additionalProperties":false' in retry[-1]["content"]
    assert task_run.tokens_in == 240


def test_schema_violation_twice_is_an_error_with_the_reason(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    bad = '{"findings": [{"title": "disk", "severity": "catastrophic"}]}'
    fake.push(ok(bad), ok(bad), ok(answer()))
    [(finding, _)] = run(config, facts, builtin_task(ROOT_CAUSE))
    assert finding.status is Status.ERROR
    assert "invalid answer after one retry" in finding.summary
    assert "findings.0.severity" in finding.summary
    assert finding.severity is Severity.HIGH
    assert len(fake.requests) == 2


def test_fenced_json_is_accepted(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.responder = lambda request: ok("```json\n" + answer(finding_json("Disk almost full", "medium", ("broker-2",),
                                                                          data_line(request))) + "\n```")
    [(finding, _)] = run(config, facts, builtin_task(ROOT_CAUSE))
    assert (finding.status, finding.severity) == (Status.FAIL, Severity.MEDIUM)


def test_rate_limit_then_success(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.push(Scripted(status=429, body=error_body("Rate limit reached", "rate_limit_exceeded")), ok(answer()))
    [(finding, task_run)] = run(config, facts, builtin_task(ROOT_CAUSE))
    assert finding.status is Status.PASS
    assert len(fake.requests) == 2
    assert task_run.note.startswith("1 call")  # the 429 did not count as an answered call


def test_server_error_retries_then_records_the_error(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.push(*[Scripted(status=500, body=error_body("upstream exploded"))] * 3)
    [(finding, _)] = run(config, facts, builtin_task(ROOT_CAUSE))
    assert finding.status is Status.ERROR
    assert "server error 500" in finding.summary
    assert "after 3 attempts" in finding.summary
    assert len(fake.requests) == 3  # retries=2


def test_a_failing_broker_never_stops_the_others(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    def responder(request: dict[str, Any]) -> Scripted:
        text = user_texts([request])[0]
        # broker-2's own call, not the cluster's
        if names_subject(text, "broker-2") and not names_subject(text, "broker-1"):
            return Scripted(status=503, body=error_body("overloaded"))
        return Scripted(body=chat_body(answer()))

    fake.responder = responder
    results = run(config, facts, builtin_task("recent_log_errors"), builtin_task(ROOT_CAUSE))
    logs, root = (f for f, _ in results)
    assert logs.status is Status.ERROR
    assert "kafka-2: server error 503" in logs.summary
    assert "kafka-1" not in logs.summary
    assert root.status is Status.PASS


def test_slow_answers_past_the_timeout(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.push(Scripted(delay=60, body=chat_body(answer())), Scripted(delay=60, body=chat_body(answer())))
    client.litellm()  # the import takes seconds: not part of what is timed
    started = time.perf_counter()
    [(finding, _)] = run(with_changes(config, timeout_s=0.5, retries=1), facts, builtin_task(ROOT_CAUSE))
    # two calls cut at 0.5 s, not an answer after 60 s (the margin holds on a machine under load)
    assert time.perf_counter() - started < 30
    assert finding.status is Status.ERROR
    assert "timed out after 0.5 s (after 2 attempts)" in finding.summary


def test_one_deadline_for_the_whole_llm_phase_ends_what_is_still_running(fake: FakeOpenAI, config: LLMConfig,
                                                                         facts: Facts) -> None:
    """Per-call timeouts and retries could add up to minutes; the phase's deadline ends it, and only what
    was still running becomes an error (the per-broker triage, answered at once, passes)."""
    def answers(request: dict[str, Any]) -> Scripted:
        slow = "the parsed facts of one Kafka cluster" in str(request["messages"])
        return Scripted(delay=60 if slow else 0, body=chat_body(answer()))

    client.litellm()  # the import takes seconds: not part of what is timed
    fake.responder = answers
    started = time.perf_counter()
    results = run(with_changes(config, cache=False, timeout_s=50, retries=3, deadline_s=3), facts,
                  builtin_task("recent_log_errors"), builtin_task(ROOT_CAUSE))
    assert time.perf_counter() - started < 30  # not 4 x 50 s (the margin holds on a machine under load)
    (triage, _), (root, _) = results
    assert triage.status is Status.PASS, triage.summary
    assert root.status is Status.ERROR
    assert "the LLM phase's deadline (3 s, --llm-deadline) passed before this call ended" in root.summary


def test_calls_run_concurrently_within_the_limit(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    tasks = (builtin_task("recent_log_errors"), builtin_task(ROOT_CAUSE))
    run(config, facts, *tasks)  # warm up: litellm's first call is slow
    pair = threading.Barrier(2, timeout=20)  # no timing: a call is answered only once another is in flight with it

    def together(_request: dict[str, Any]) -> Scripted:
        pair.wait()
        return Scripted(body=chat_body(answer()))

    fake.responder = together
    fake.max_in_flight, before = 0, len(fake.requests)
    results = run(with_changes(config, cache=False, concurrency=2, timeout_s=60), facts, *tasks)
    assert all(f.status is Status.PASS for f, _ in results), [f.summary for f, _ in results]
    assert len(fake.requests) - before == 4  # 4 calls, answered two by two
    assert fake.max_in_flight == 2  # two calls were in flight together, never more


def test_a_rejected_response_format_moves_to_the_next_mode(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.push(Scripted(status=400,
                       body=error_body("response_format json_schema is not supported", "invalid_request_error")))
    fake.push(ok(answer()))
    [(finding, _)] = run(config, facts, builtin_task(ROOT_CAUSE))
    assert finding.status is Status.PASS
    assert fake.requests[0]["response_format"]["type"] == "json_schema"
    assert fake.requests[1]["response_format"]["type"] == "json_object"  # llama.cpp's form, with the schema
