"""The four formats of a diff: the JSON against its schema (findings in the report's own shape), secrets never
shown, text from snapshots made safe for each medium."""

from __future__ import annotations

import json

import jsonschema
import pytest
import referencing

from kafkapilot.diff.build import DIFF_FORMAT_VERSION, Diff, SideInfo
from kafkapilot.diff.changes import compare_states
from kafkapilot.diff.match_findings import FindingsDiff
from kafkapilot.diff.registry import DIFF_FORMATS
from kafkapilot.diff.render_json import diff_document, diff_schema
from kafkapilot.diff.state import ClusterState, NodeState, OffsetState, TopicState
from kafkapilot.report.render_json import FINDING_KEYS, report_schema
from tests.unit.diff.pair import PLANTED_SECRET


def _validator() -> jsonschema.Draft202012Validator:
    registry = referencing.Registry().with_resource(
        "urn:kafkapilot:report", referencing.Resource.from_contents(report_schema()))
    return jsonschema.Draft202012Validator(diff_schema(), registry=registry)


def test_json_validates_and_holds_findings_in_the_report_shape(diff: Diff) -> None:
    document = json.loads(DIFF_FORMATS["json"](diff))
    _validator().validate(document)
    assert document["diff_version"] == DIFF_FORMAT_VERSION == diff_schema()["properties"]["diff_version"]["const"]
    findings = document["findings"]
    new = {f["task_id"]: f for f in findings["new"]}
    assert new["min_insync_replicas_vs_rf"]["severity"] == "high"  # audit: RF 3 → 2 with min.insync.replicas 2
    assert {"topic": "audit", "kind": "topic"} in [e["subject"] for e in new["min_insync_replicas_vs_rf"]["evidence"]]
    assert "broker_not_running" in [f["task_id"] for f in findings["resolved"]]  # kafka-3 runs again
    assert all(tuple(f) == FINDING_KEYS for f in [*findings["new"], *findings["resolved"]])
    assert document["changes"]["between"] == {"old": "2026-11-26T13:30:05Z", "new": "2026-11-26T15:30:05Z",
                                              "hours": 2.0}


def test_schema_rejects_what_it_does_not_describe(diff: Diff) -> None:
    document = diff_document(diff)
    document["changes"]["consumer_groups"]["partitions"][0]["trend"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate(document)


@pytest.mark.parametrize("fmt", list(DIFF_FORMATS))
def test_no_format_shows_a_secret_value(diff: Diff, fmt: str) -> None:
    text = DIFF_FORMATS[fmt](diff)
    assert "listener.name.client.ssl.key.password" in text  # the change is reported …
    assert PLANTED_SECRET not in text  # … its values never


def _hostile_diff() -> Diff:
    """A diff whose topic, group and config value carry terminal escapes, Markdown and HTML."""
    evil = "x\x1b]0;owned\x07<script>|*y*"

    def state(value: str, lag: int, at: str) -> ClusterState:
        node = NodeState("kafka-1", "kafka-1", 1, 812, "4.1.0", "17.0.15", {"log.dirs": value})
        topic = TopicState(evil, 1, 1, {0: ((1,), "1")})
        return ClusterState("1.2", at, {"kafka-1": node}, {}, {evil: topic},
                            {evil: {(evil, 0): OffsetState(5, 5 + lag, lag)}})

    changes = compare_states(state("/data", 0, "2026-11-26T13:00:00Z"), state(evil, 10, "2026-11-26T14:00:00Z"))
    side = SideInfo("old", "snapshot", "1.2", None, None, None, 100)
    return Diff("0", "2026-11-26T15:00:00Z", side, side, FindingsDiff((), (), (), 0, ()), changes)


def test_terminal_strips_escape_sequences_from_snapshot_text() -> None:
    text = DIFF_FORMATS["terminal"](_hostile_diff())
    assert "\x1b" not in text and "\x07" not in text
    assert "x<script>|*y*" in text  # the rest of the value, as it is


def test_markdown_and_html_escape_snapshot_text() -> None:
    diff = _hostile_diff()
    markdown = DIFF_FORMATS["markdown"](diff)
    assert r"x\<script\>\|\*y\*" in markdown and "<script>" not in markdown
    html = DIFF_FORMATS["html"](diff)
    assert "<script>" not in html and "&lt;script&gt;|*y*" in html
    assert "Content-Security-Policy" in html
