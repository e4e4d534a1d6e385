"""The JSON envelope: its schema, its keys and its order are a contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

import kafkapilot
from kafkapilot.findings import Finding, Report, SnapshotInfo, TaskRun
from kafkapilot.report.render_json import REPORT_VERSION, render_json, report_document, report_schema
from tests.unit.report.sample import SCRIPT, finding, make_report, sample_report

SCHEMA_PATH = Path(kafkapilot.__file__).parent / "schemas" / "report.schema.json"

# Pinned here on purpose: changing any of these is a change of report_version.
TOP_LEVEL_KEYS = [
    "report_version",
    "kafkapilot_version",
    "generated_at",
    "snapshot",
    "summary",
    "findings",
    "task_runs",
    "errors",
]
FINDING_KEYS = [
    "task_id",
    "status",
    "severity",
    "title",
    "category",
    "hosts",
    "summary",
    "evidence",
    "impact",
    "remediation",
    "references",
    "source",
    "model",
]
EVIDENCE_KEYS = ["host", "artifact", "source", "item", "actual", "expected", "message"]
SUMMARY_KEYS = ["health_score", "by_status", "failed_by_severity", "tasks_run"]


@pytest.fixture(name="document")
def _document() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render_json(sample_report()))
    return parsed


def _validator() -> jsonschema.Draft202012Validator:
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_the_published_file_and_valid_draft_2020_12() -> None:
    assert report_schema() == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert report_schema()["properties"]["report_version"]["const"] == REPORT_VERSION == "1.0"
    _validator()


@pytest.mark.parametrize(
    "report",
    [sample_report(), make_report([]), make_report([finding("x", source="llm", model="m", references=("r",))])],
    ids=["sample", "empty", "llm"],
)
def test_rendered_reports_validate_against_the_schema(report: Report) -> None:
    _validator().validate(json.loads(render_json(report)))


def test_schema_rejects_unknown_keys_and_bad_values(document: dict[str, Any]) -> None:
    validator = _validator()
    assert not validator.is_valid({**document, "extra": 1})
    bad = {**document, "findings": [{**document["findings"][0], "severity": "urgent"}]}
    assert not validator.is_valid(bad)


def test_keys_are_pinned(document: dict[str, Any]) -> None:
    assert list(document) == TOP_LEVEL_KEYS
    assert document["report_version"] == "1.0"
    summary = document["summary"]
    assert list(summary) == SUMMARY_KEYS
    assert list(summary["by_status"]) == ["fail", "error", "skipped", "pass"]
    assert list(summary["failed_by_severity"]) == ["critical", "high", "medium", "low", "info"]
    assert list(document["snapshot"]) == list(SnapshotInfo.model_fields)
    for item in document["findings"]:
        assert list(item) == FINDING_KEYS
        for evidence in item["evidence"]:
            assert list(evidence) == EVIDENCE_KEYS


def test_round_trip_gives_back_the_findings_snapshot_and_runs(document: dict[str, Any]) -> None:
    report = sample_report()
    findings = [Finding.model_validate(item) for item in document["findings"]]
    assert sorted(findings, key=repr) == sorted(report.findings, key=repr)
    assert SnapshotInfo.model_validate(document["snapshot"]) == report.snapshot
    runs = [TaskRun.model_validate(item) for item in document["task_runs"]]
    assert sorted(runs, key=repr) == sorted(report.task_runs, key=repr)
    assert document["errors"] == list(report.errors)
    assert report_document(report) == document


def test_order_is_severity_then_status_then_task_id(document: dict[str, Any]) -> None:
    order = [(f["status"], f["severity"], f["task_id"]) for f in document["findings"]]
    assert order == [
        ("fail", "critical", "broker.min_isr"),
        ("fail", "high", "llm.log_review"),
        ("fail", "medium", "broker.heap"),
        ("fail", "low", "topic.rf_one"),
        ("error", "low", "os.swappiness"),
        ("skipped", "medium", "llm.config_review"),
        ("skipped", "high", "os.ulimit"),
        ("pass", "info", "broker.version"),
    ]
    runs = [run["task_id"] for run in document["task_runs"]]
    assert runs == sorted(runs)


def test_text_is_utf8_indented_with_a_trailing_newline() -> None:
    text = render_json(sample_report())
    assert text.endswith("}\n")
    assert text.startswith('{\n  "report_version": "1.0",\n')
    assert "Zürich → 東京 ✓" in text
    assert json.dumps(SCRIPT)[1:-1] in text  # JSON keeps text as it is; escaping is for HTML


def test_identical_reports_give_identical_bytes() -> None:
    report = sample_report()
    shuffled = report.model_copy(
        update={"findings": tuple(reversed(report.findings)), "task_runs": tuple(reversed(report.task_runs))}
    )
    assert render_json(report).encode() == render_json(sample_report()).encode() == render_json(shuffled).encode()
