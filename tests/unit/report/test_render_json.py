"""The JSON envelope: its schema, its keys and its order are a contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

import kafkapilot
from kafkapilot.errors import KafkaPilotError
from kafkapilot.findings import (
    REPORT_FORMAT_VERSION,
    Evidence,
    Finding,
    NotEvaluated,
    Report,
    Severity,
    SnapshotInfo,
    Status,
    Subject,
    SubjectKind,
    Summary,
    TaskRun,
)
from kafkapilot.report.ordering import sort_findings
from kafkapilot.report.render_json import read_report, render_json, report_document, report_schema
from tests.unit.report.sample import SCRIPT, finding, make_report, sample_findings, sample_report

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
    "notes",
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
    "evidence_omitted",
    "not_evaluated",
    "impact",
    "remediation",
    "references",
    "source",
    "model",
    "waiver",
]
EVIDENCE_KEYS = ["subject", "host", "artifact", "source", "artifacts", "item", "actual", "expected", "quote", "message"]
SUMMARY_KEYS = ["health_score", "category_scores", "by_status", "failed_by_severity", "tasks_run"]


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
    assert report_schema()["properties"]["report_version"]["const"] == REPORT_FORMAT_VERSION == "1.3"
    assert report_schema()["$id"] == f"urn:kafkapilot:report:{REPORT_FORMAT_VERSION}"
    _validator()


@pytest.mark.parametrize(
    ("definition", "model"),
    [("finding", Finding), ("evidence", Evidence), ("not_evaluated", NotEvaluated), ("subject", Subject),
     ("snapshot", SnapshotInfo), ("summary", Summary), ("task_run", TaskRun)],
)
def test_schema_is_pinned_to_the_model(definition: str, model: type[Any]) -> None:
    """Every field of the model is in the schema and nothing else: the schema cannot drift from the model."""
    schema = report_schema()["$defs"][definition]
    assert set(schema["properties"]) == set(model.model_fields)
    if definition != "subject":  # a subject has only the fields that apply; everything else is always there
        assert set(schema["required"]) == set(model.model_fields)


def test_schema_enums_and_envelope_are_the_models() -> None:
    schema = report_schema()
    assert schema["$defs"]["severity"]["enum"] == [s.value for s in Severity]
    assert schema["$defs"]["status"]["enum"] == [s.value for s in Status]
    assert schema["$defs"]["subject_kind"]["enum"] == [k.value for k in SubjectKind]
    assert schema["required"] == TOP_LEVEL_KEYS
    assert set(TOP_LEVEL_KEYS) - {"report_version"} == set(Report.model_fields)
    assert list(Evidence.model_fields) == EVIDENCE_KEYS
    assert set(FINDING_KEYS) == set(Finding.model_fields)


@pytest.mark.parametrize("kind", list(SubjectKind))
def test_schema_and_model_agree_on_what_identifies_a_subject(kind: SubjectKind) -> None:
    validator = jsonschema.Draft202012Validator({"$defs": report_schema()["$defs"], "$ref": "#/$defs/subject"})
    try:
        Subject(kind=kind)
    except ValueError:
        model_accepts_bare = False
    else:
        model_accepts_bare = True
    assert validator.is_valid({"kind": kind.value}) == model_accepts_bare == (kind is SubjectKind.CLUSTER)
    identity = {"host": "kafka-1", "topic": "orders", "partition": 3, "group": "billing", "name": "log.retention.ms"}
    assert validator.is_valid(Subject(kind=kind, **identity).model_dump(mode="json", exclude_none=True))


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
    assert document["report_version"] == REPORT_FORMAT_VERSION
    summary = document["summary"]
    assert list(summary) == SUMMARY_KEYS
    assert list(summary["by_status"]) == ["fail", "error", "waived", "skipped", "pass"]
    assert list(summary["failed_by_severity"]) == ["critical", "high", "medium", "low", "info"]
    assert list(document["snapshot"]) == list(SnapshotInfo.model_fields)
    for item in document["findings"]:
        assert list(item) == FINDING_KEYS
        for evidence in item["evidence"]:
            assert list(evidence) == EVIDENCE_KEYS
            assert evidence["subject"] is None or next(iter(evidence["subject"])) == "kind"


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
    assert text.startswith(f'{{\n  "report_version": "{REPORT_FORMAT_VERSION}",\n')
    assert "Zürich → 東京 ✓" in text
    assert json.dumps(SCRIPT)[1:-1] in text  # JSON keeps text as it is; escaping is for HTML


def test_identical_reports_give_identical_bytes() -> None:
    report = sample_report()
    shuffled = report.model_copy(
        update={"findings": tuple(reversed(report.findings)), "task_runs": tuple(reversed(report.task_runs))}
    )
    assert render_json(report).encode() == render_json(sample_report()).encode() == render_json(shuffled).encode()


def test_subjects_are_data_with_only_the_fields_that_apply(document: dict[str, Any]) -> None:
    (min_isr,) = [f for f in document["findings"] if f["task_id"] == "broker.min_isr"]
    assert [e["subject"] for e in min_isr["evidence"]] == [
        {"kind": "topic", "topic": "orders"},
        {"kind": "group", "group": f"billing {SCRIPT}"},
    ]
    assert min_isr["not_evaluated"] == [
        {"subject": {"kind": "node", "host": "kafka-3", "node_id": 3},
         "reason": f"not collected: server_properties denied: {SCRIPT}"},
    ]
    (heap,) = [f for f in document["findings"] if f["task_id"] == "broker.heap"]
    assert heap["evidence_omitted"] == 3


def test_read_report_gives_back_the_report() -> None:
    report = sample_report()
    document = json.loads(render_json(report))
    again = read_report(document)
    assert again.findings == sort_findings(report.findings)
    assert (again.snapshot, set(again.task_runs), again.errors) == (report.snapshot, set(report.task_runs),
                                                                    report.errors)
    assert render_json(again) == render_json(report)


@pytest.mark.parametrize(
    ("change", "message"),
    [({"report_version": "2.0"}, "report_version 2.0 is not supported"), ({"findings": 3}, "not a KafkaPilot report")],
)
def test_read_report_refuses_other_versions_and_shapes(change: dict[str, Any], message: str) -> None:
    document = {**json.loads(render_json(sample_report())), **change}
    with pytest.raises(KafkaPilotError, match=message) as caught:
        read_report(document, where="old.json")
    assert str(caught.value).startswith("old.json: ")


def test_the_fast_indent_writes_what_json_dumps_indent_2_writes() -> None:
    """render_json re-indents the C encoder's output with msgspec: byte for byte json.dumps(indent=2), also for
    lone surrogates, control characters, non-ASCII text and numbers of every shape."""
    odd = "\ud800 lone, \x00\x1f ctl, \u2028 sep, Zürich → 東京, \"quoted\" \\ back"
    evidence = Evidence(subject=Subject(kind=SubjectKind.TOPIC, topic=odd), message=odd, actual="1e20", expected="-0.0")
    report = make_report([finding("odd", evidence=(evidence,), summary=odd, title=odd), *sample_findings()])
    expected = json.dumps(report_document(report), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
    assert render_json(report) == expected
