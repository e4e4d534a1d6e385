"""-r sarif: SARIF 2.1.0 valid against the official schema (kept offline), one rule per task, one result per
failed subject, located at the snapshot artifacts the evidence was read from."""

from __future__ import annotations

import datetime as dt
import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner

from kafkapilot.cli import _example_dir, analyse_main
from kafkapilot.findings import Evidence, Report, Subject, SubjectKind
from kafkapilot.report.render_sarif import render_sarif
from kafkapilot.waivers import apply_waivers, load_waivers
from tests.unit.report.sample import finding, make_report, sample_findings, sample_report


@functools.cache
def _validator() -> jsonschema.Draft4Validator:
    text = resources.files("kafkapilot").joinpath("schemas", "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _valid(text: str) -> dict[str, Any]:
    document = json.loads(text)
    errors = [f"{list(e.path)}: {e.message}" for e in _validator().iter_errors(document)]
    assert errors == []
    return document


def _run(report: Report) -> dict[str, Any]:
    return _valid(render_sarif(report))["runs"][0]


def test_the_official_schema_rejects_what_is_not_sarif() -> None:
    assert list(_validator().iter_errors({"version": "2.1.0", "runs": [{"tool": {}}]}))
    assert list(_validator().iter_errors({"version": "2.0.0", "runs": []}))


def test_one_rule_per_task_with_help_references_and_level() -> None:
    run = _run(sample_report())
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert sorted(rules) == sorted({f.task_id for f in sample_findings()})
    rule = rules["broker.min_isr"]
    assert rule["shortDescription"]["text"] == "min.insync.replicas | acks mismatch"
    assert rule["help"]["text"].startswith("1. Set min.insync.replicas=2 on the topic.\n2. Use acks=all")
    references = "- https://kafka.apache.org/documentation/#topicconfigs_min.insync.replicas\n- KIP-101"
    assert references in rule["help"]["text"]
    assert rule["helpUri"] == "https://kafka.apache.org/documentation/#topicconfigs_min.insync.replicas"
    assert rule["defaultConfiguration"]["level"] == "error" and rules["topic.rf_one"]["defaultConfiguration"] == {
        "level": "note"}
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(rules)
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_one_result_per_failed_subject_located_at_its_artifacts() -> None:
    located = finding("topic.rf_one", title="RF 1", evidence=(
        Evidence(subject=Subject(kind=SubjectKind.TOPIC, topic="orders"), artifact="topics_describe",
                 artifacts=("cluster/topics_describe.txt",), message="orders has RF 1"),
        Evidence(subject=Subject(kind=SubjectKind.TOPIC, topic="orders"), artifact="topics_describe",
                 artifacts=("cluster/topics_describe.txt",), message="orders-0 has one replica"),
        Evidence(subject=Subject(kind=SubjectKind.NODE, host="kafka-2"), host="kafka-2",
                 artifacts=("hosts/kafka-2/files/etc/kafka/server.properties",), message="default RF 1")))
    run = _run(make_report([located, *sample_findings()[1:]]))
    results = [r for r in run["results"] if r["ruleId"] == "topic.rf_one"]
    assert [r["locations"][0]["logicalLocations"][0]["name"] for r in results] == ["orders", "kafka-2"]
    assert results[0]["message"]["text"] == "orders has RF 1\norders-0 has one replica"
    assert [loc["physicalLocation"]["artifactLocation"] for r in results for loc in r["locations"]] == [
        {"uri": "cluster/topics_describe.txt", "uriBaseId": "SNAPSHOT"},
        {"uri": "hosts/kafka-2/files/etc/kafka/server.properties", "uriBaseId": "SNAPSHOT"}]
    assert run["originalUriBaseIds"]["SNAPSHOT"]["uri"] == "file:///var/tmp/kafka-snapshot-20261126T133000Z/"
    assert len([r for r in run["results"] if r["ruleId"] == "broker.min_isr"]) == 2  # two subjects
    assert {r["ruleId"] for r in run["results"]} == {"topic.rf_one", "broker.min_isr", "llm.log_review",
                                                      "broker.heap"}  # failed findings only


def test_waived_results_are_suppressed_and_errors_and_notes_are_notifications(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("- {task: broker.heap, reason: in the January window, owner: ops, expires: 2027-01-31}\n"
                       "- {task: gone, reason: r, owner: o, expires: 2027-01-31}\n", encoding="utf-8")
    report = apply_waivers(sample_report(), load_waivers(waivers), today=dt.date(2026, 12, 2))
    run = _run(report)
    (heap,) = [r for r in run["results"] if r["ruleId"] == "broker.heap"]
    assert heap["suppressions"] == [{
        "kind": "external", "status": "accepted", "justification": "in the January window",
        "location": {"physicalLocation": {"artifactLocation": {"uri": waivers.as_posix()}, "region": {"startLine": 1}}},
        "properties": {"owner": "ops", "expires": "2027-01-31"}}]
    assert all("suppressions" not in r for r in run["results"] if r["ruleId"] != "broker.heap")
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"].split(": ")[0]) for n in notes] == [
        ("error", "os.swappiness"), ("warning", "tasks/bad.yaml"), ("note", f"{waivers}:2")]
    assert notes[2]["message"]["text"].endswith("the waiver of gone matched no failed finding (remove it, or check "
                                                "its task id and subject)")


def test_the_example_in_sarif_points_at_files_of_the_snapshot() -> None:
    result = CliRunner().invoke(analyse_main, ["--example", "-r", "sarif"])
    run = _valid(result.stdout)["runs"][0]
    document = json.loads(CliRunner().invoke(analyse_main, ["--example", "-r", "json"]).stdout)
    failed = [f for f in document["findings"] if f["status"] == "fail"]
    assert {r["ruleId"] for r in run["results"]} == {f["task_id"] for f in failed}
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"] for loc in r["locations"]
            if "physicalLocation" in loc}
    assert "hosts/kafka-2/commands/processes.txt" in uris and len(uris) > 10
    root = _example_dir()
    assert all((root / uri).is_file() for uri in uris)
    (stopped,) = [f for f in failed if f["task_id"] == "broker_not_running"]
    assert stopped["evidence"][0]["artifacts"] == ["hosts/kafka-2/commands/processes.txt"]
    (drift,) = [f for f in failed if f["task_id"] == "config_drift"]  # the odd node's file
    assert {p for e in drift["evidence"] for p in e["artifacts"]} == {"hosts/kafka-3/files/etc/kafka/server.properties"}
    assert run["properties"]["healthScore"] == document["summary"]["health_score"]
