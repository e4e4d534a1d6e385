"""The answer schema: strict for OpenAI, validated here, lenient only where the original tool was."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kafkapilot.findings import Severity
from kafkapilot.llm.schema import Severities, answer_schema, parse_answer, response_format


def _objects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == "object" else []
        return found + [o for v in node.values() for o in _objects(v)]
    if isinstance(node, list):
        return [o for v in node for o in _objects(v)]
    return []


def test_schema_is_strict_mode_compatible() -> None:
    schema = answer_schema()
    objects = _objects(schema)
    assert len(objects) == 3  # answer, finding, quote
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert set(obj["required"]) == set(obj["properties"])
    text = json.dumps(schema)
    assert all(word not in text for word in ('"default"', '"minLength"', '"maxLength"'))
    assert response_format()["json_schema"]["strict"] is True


def test_no_problem_is_an_empty_findings_list() -> None:
    answer, problem = parse_answer('{"summary": "All good.", "findings": []}')
    assert problem is None and answer is not None and answer.findings == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "the answer was empty"),
        ("I think it is fine", "not valid JSON"),
        ('{"findings": [{"title": "x", "severity": "bad", "summary": "s"}]}', "findings.0.severity"),
        ('{"findings": [], "verdict": "ok"}', "verdict: Extra inputs are not permitted"),
        ('{"summary": "no findings key"}', "findings: Field required"),
    ],
)
def test_invalid_answers_give_a_reason(content: str, reason: str) -> None:
    answer, problem = parse_answer(content)
    assert answer is None and problem is not None and reason in problem


def test_severity_words_of_the_original_are_understood() -> None:
    answer, _ = parse_answer('{"findings": [{"title": "t", "severity": "WARNING", "hosts": [], "summary": "s", '
                             '"evidence": [], "remediation": ""}]}')
    assert answer is not None and answer.findings[0].severity is Severity.MEDIUM


def test_the_original_answer_shape_is_translated() -> None:
    original = {"findings": [{"type": "Single listener", "description": "d", "severity": "critical",
                              "brokers_analyzed": ["broker-1", "broker-2"], "recommendation": "Add a listener"}]}
    answer, problem = parse_answer(json.dumps(original))
    assert problem is None and answer is not None
    [item] = answer.findings
    assert (item.title, item.summary, item.hosts, item.remediation) == ("Single listener", "d",
                                                                        ["broker-1", "broker-2"], "Add a listener")


def test_original_shape_severity_comes_from_the_answer_then_the_keywords_then_the_task() -> None:
    severities = Severities(keywords={"exceeds": Severity.MEDIUM, "out of memory": Severity.CRITICAL,
                                      "optimal": Severity.INFO}, default=Severity.LOW)

    def one(item: dict[str, object]) -> tuple[str, ...]:
        answer, problem = parse_answer(json.dumps({"findings": [{"type": "t", **item}]}), severities)
        assert problem is None and answer is not None
        return tuple(f.severity.value for f in answer.findings)

    assert one({"severity": "high", "description": "heap exceeds the limit"}) == ("high",)  # stated wins
    assert one({"severity": "warning", "description": "x"}) == ("medium",)
    assert one({"description": "heap exceeds the limit, out of memory soon"}) == ("critical",)  # most severe
    assert one({"severity": "bogus", "description": "nothing known here"}) == ("low",)  # the task's
    assert one({"description": "all optimal"}) == ()  # info: the original's "all is well", no finding
    answer, _ = parse_answer(json.dumps({"findings": [{"type": "t", "severity": "info", "description": "Fine."}]}))
    assert answer is not None and answer.findings == [] and answer.summary == "Fine."
