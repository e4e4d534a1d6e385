"""Words and marks shared by the renderers."""

from __future__ import annotations

import pytest

from kafkapilot.findings import Evidence, SnapshotInfo
from kafkapilot.report.labels import (
    evidence_detail,
    evidence_location,
    flatten,
    health_band,
    origin_label,
    reflow,
    snapshot_facts,
)
from tests.unit.report.sample import finding


def test_reflow_joins_indented_continuations_and_keeps_paragraphs() -> None:
    text = "1. Raise the limit\n   (systemctl edit kafka).\n2. Restart.\n\n  Then check.\n"
    assert reflow(text) == "1. Raise the limit (systemctl edit kafka).\n2. Restart.\n\nThen check."


def test_flatten_marks_line_breaks() -> None:
    assert flatten(" a\n\n b \n") == "a ↵ b"


@pytest.mark.parametrize(
    ("actual", "expected", "detail"),
    [("1", "3", "1 → 3"), ("1", None, "1"), (None, "3", "expected 3"), (None, None, "the message")],
)
def test_evidence_detail(actual: str | None, expected: str | None, detail: str) -> None:
    assert evidence_detail(Evidence(actual=actual, expected=expected, message="the message")) == detail


def test_evidence_location() -> None:
    assert evidence_location(Evidence(host="kafka-1", item="orders-0", message="m")) == "kafka-1 · orders-0"
    assert evidence_location(Evidence(message="m")) == "cluster"


@pytest.mark.parametrize(
    ("score", "band"), [(100, "good"), (90, "good"), (89, "fair"), (60, "fair"), (59, "poor"), (0, "poor")]
)
def test_health_band(score: int, band: str) -> None:
    assert health_band(score) == band


def test_origin_label() -> None:
    assert origin_label(finding("a")) == ""
    assert origin_label(finding("a", source="llm")) == "LLM"
    assert origin_label(finding("a", source="llm", model="openai/gpt-4o-mini")) == "LLM openai/gpt-4o-mini"


def test_snapshot_facts_for_a_bare_snapshot() -> None:
    facts = dict(snapshot_facts(SnapshotInfo(path="/s", format_version="1.0", hosts=("a",), broker_count=1)))
    assert facts["Cluster"] == "unnamed"
    assert facts["Kafka"] == "unknown"
    assert facts["Nodes"] == "1 broker, 0 controllers"
    assert facts["Hosts"] == "1, all reachable"
