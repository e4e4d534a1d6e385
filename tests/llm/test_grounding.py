"""Answers are believed only where the data sent says so: quotes must occur in it, schema
placeholders and copied instructions are not answers, and severity never exceeds the task's."""

from __future__ import annotations

import json

from kafkapilot.facts import Facts
from kafkapilot.findings import Severity, Status
from kafkapilot.llm.config import LLMConfig
from kafkapilot.llm.grounding import grounding_problem
from kafkapilot.llm.schema import parse_answer
from tests.llm.fake_openai import FakeOpenAI
from tests.llm.helpers import answer, builtin_task, data_line, finding_json, ok, run

DATA = '<data kind="logs">\n### broker-1 log_file\n[2026-11-20] ERROR Disk full on /var/lib/kafka\n</data>'


def _problem(content: str, prompt: str = "Check the logs.") -> str | None:
    parsed, problem = parse_answer(content)
    assert parsed is not None, problem
    return grounding_problem(parsed, "Check the logs.\n" + DATA, prompt)


def test_a_quote_from_the_data_is_grounded_and_whitespace_runs_do_not_matter() -> None:
    assert _problem(answer(finding_json("Disk full", quote="ERROR  Disk full on\t/var/lib/kafka"))) is None


def test_a_quote_that_is_not_in_the_data_is_refused() -> None:
    problem = _problem(answer(finding_json("Disk full", quote="ERROR Disk full on /data")))
    assert problem is not None and "does not occur in the data sent" in problem


def test_a_quote_from_the_instructions_only_is_refused() -> None:
    assert _problem(answer(finding_json("x", quote="Check the logs."))) is not None


def test_an_echo_of_the_schema_is_refused() -> None:
    echo = json.dumps({"summary": "one sentence", "findings": [{
        "title": "...", "severity": "critical", "hosts": ["broker-1"], "summary": "One sentence",
        "evidence": [{"host": "broker-1", "quote": "exact line"}], "remediation": "..."}]})
    problem = _problem(echo)
    assert problem is not None and "placeholder" in problem


def test_a_finding_without_a_quote_is_refused() -> None:
    problem = _problem(answer(finding_json("Disk full")))
    assert problem is not None and "no evidence" in problem


def test_an_original_shape_description_copied_from_the_prompt_is_refused() -> None:
    prompt = ('If heap is too large return {"findings": [{"type": "heap", "description": "WARNING: heap is set to '
              'XGB which exceeds the recommended maximum", "severity": "medium"}]}')
    description = "WARNING: heap is set to XGB which exceeds the recommended maximum"
    copied = json.dumps({"findings": [{"type": "heap", "severity": "medium", "description": description}]})
    problem = _problem(copied, prompt)
    assert problem is not None and "copied from the task's instructions" in problem
    own = json.dumps({"findings": [{"type": "heap", "severity": "medium",
                                    "description": "Heap is 24 GB on broker-1."}]})
    assert _problem(own, prompt) is None


def test_an_ungrounded_answer_gets_one_repair_then_is_the_tasks_error(fake: FakeOpenAI, config: LLMConfig,
                                                                       facts: Facts) -> None:
    made_up = ok(answer(finding_json("Disk full", "high", ("broker-2",), "ERROR disk full on /nowhere")))
    fake.push(made_up, made_up)
    [(finding, _)] = run(config, facts, builtin_task("log_root_cause"))
    assert finding.status is Status.ERROR
    assert "does not occur in the data sent" in finding.summary
    assert len(fake.requests) == 2  # the answer and one repair
    assert "does not occur in the data sent" in fake.requests[1]["messages"][-1]["content"]


def test_a_repaired_answer_is_accepted_and_capped_at_the_tasks_severity(fake: FakeOpenAI, config: LLMConfig,
                                                                        facts: Facts) -> None:
    task = builtin_task("recent_log_errors")  # declared medium; the model says critical
    calls = []

    def respond(request: dict[str, object]) -> object:
        calls.append(request)
        if len(calls) == 1:
            return ok(answer(finding_json("OOM", "critical", ("broker-2",), "OutOfMemoryError: heap")))
        if "broker-2" in json.dumps(request) and "OutOfMemoryError" in json.dumps(request):
            return ok(answer(finding_json("OOM", "critical", ("broker-2",), data_line(request, "OutOfMemoryError"))))
        return ok(answer())

    fake.responder = respond
    [(finding, _)] = run(config, facts, task)
    assert (finding.status, finding.severity) == (Status.FAIL, Severity.MEDIUM)
    assert task.severity is Severity.MEDIUM


def test_the_json_report_carries_each_quote(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.responder = lambda request: ok(answer(finding_json("OOM", "medium", ("broker-2",),
                                                            data_line(request, "OutOfMemoryError"))))
    [(finding, _)] = run(config, facts, builtin_task("recent_log_errors"))
    quotes = [e.quote for e in finding.evidence if e.quote]
    assert quotes == ["java.lang.OutOfMemoryError: Java heap space"]
    assert all(e.quote is None for e in finding.evidence if e.message != quotes[0])  # summaries are not quotes
