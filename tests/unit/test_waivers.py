"""Waivers: loading (one-line errors naming file and line), applying, and how every format shows them."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

import pytest
from click.testing import CliRunner

from kafkapilot.cli import analyse_main
from kafkapilot.errors import KafkaPilotError
from kafkapilot.exit_codes import EXIT_ERROR, EXIT_FAIL_ON, EXIT_OK
from kafkapilot.findings import Report, Severity, Status, health_score, penalty
from kafkapilot.report.registry import get_renderer
from kafkapilot.waivers import EXPIRED_TASK_ID, apply_waivers, load_waivers
from tests.unit.report.sample import sample_report

TODAY: Final = dt.date(2026, 12, 2)


def _write(tmp_path: Path, text: str, name: str = "waivers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(KafkaPilotError) as caught:
        load_waivers(_write(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message
    return message


def _apply(tmp_path: Path, text: str) -> Report:
    return apply_waivers(sample_report(), load_waivers(_write(tmp_path, text)), today=TODAY)


def _by_status(report: Report, task_id: str) -> dict[Status, list]:
    parts: dict[Status, list] = {}
    for finding in report.findings:
        if finding.task_id == task_id:
            parts.setdefault(finding.status, []).append(finding)
    return parts


WHOLE: Final = """\
waivers:
  # the heap is raised in the January window
  - task: broker.heap
    reason: heap raised in the January window
    owner: team-streaming
    expires: 2027-01-31
"""


def test_a_waiver_file_loads_with_the_line_of_each_waiver(tmp_path: Path) -> None:
    (waiver,) = load_waivers(_write(tmp_path, WHOLE))
    assert (waiver.task, waiver.owner, waiver.expires, waiver.line) == (
        "broker.heap", "team-streaming", dt.date(2027, 1, 31), 3)
    assert waiver.where == f"{tmp_path / 'waivers.yaml'}:3"
    bare = "- {task: a, reason: r, owner: o, expires: 2027-01-01, topic: 'orders-*'}\n"
    assert load_waivers(_write(tmp_path, bare, "bare.yaml"))[0].topic == "orders-*"
    assert load_waivers(_write(tmp_path, "", "empty.yaml")) == ()
    assert load_waivers(_write(tmp_path, "waivers:\n", "none.yaml")) == ()


@pytest.mark.parametrize(("text", "needles"), [
    ("waivers:\n  - task: a\n    owner: o\n    expires: 2027-01-01\n", [":2:", "reason: Field required"]),
    ("waivers:\n  - task: a\n    reason: r\n    owner: o\n    expires: next week\n", [":5:", "expires:"]),
    ("waivers:\n  - task: a\n    reason: r\n    owner: o\n    expires: 2027-01-01\n    hosts: [a]\n",
     [":6:", "hosts: Extra inputs are not permitted"]),
    ("waivers:\n  - task: a\n    reason: '  '\n    owner: o\n    expires: 2027-01-01\n", [":3:", "reason:"]),
    ("waivers: {task: a}\n", [":1:", "expected a list of waivers"]),
    ("waivers:\n  - just a string\n", [":2:", "a waiver must be a mapping"]),
    ("waivers:\n  - task: [unclosed\n", [":3:", "invalid YAML"]),
])
def test_a_bad_waiver_file_is_one_line_naming_file_line_and_what_to_do(
    tmp_path: Path, text: str, needles: list[str],
) -> None:
    message = _error(tmp_path, text)
    assert message.startswith(str(tmp_path / "waivers.yaml") + ":")
    for needle in needles:
        assert needle in message
    assert "(each waiver needs task, reason, owner and expires" in message or "fix the YAML" in message


def test_a_waiver_without_subject_waives_the_whole_finding_and_it_stops_counting(tmp_path: Path) -> None:
    report = _apply(tmp_path, WHOLE)
    (waived,) = _by_status(report, "broker.heap")[Status.WAIVED]
    assert Status.FAIL not in _by_status(report, "broker.heap")
    assert waived.waiver is not None
    assert (waived.waiver.reason, waived.waiver.owner, waived.waiver.expires, waived.waiver.line) == (
        "heap raised in the January window", "team-streaming", "2027-01-31", 3)
    assert waived.evidence == next(f for f in sample_report().findings if f.task_id == "broker.heap").evidence
    unwaived = [f for f in sample_report().findings if f.task_id != "broker.heap"]
    assert report.summary.health_score == health_score(unwaived) > sample_report().summary.health_score
    assert report.summary.by_status["waived"] == 1 and report.summary.failed_by_severity["medium"] == 0
    assert report.notes == ()


def test_a_subject_waiver_waives_only_the_evidence_it_matches(tmp_path: Path) -> None:
    text = "- {task: broker.min_isr, topic: 'ord*', reason: accepted, owner: ops, expires: 2026-12-02}\n"
    parts = _by_status(_apply(tmp_path, text), "broker.min_isr")
    (failing,), (waived,) = parts[Status.FAIL], parts[Status.WAIVED]
    assert [e.subject.topic for e in waived.evidence if e.subject] == ["orders"]
    assert [e.subject.group for e in failing.evidence if e.subject] == ["billing <script>alert('x')</script>"]
    assert failing.severity is waived.severity is Severity.CRITICAL
    assert waived.hosts == ("kafka-1",) and failing.hosts == ()


@pytest.mark.parametrize(("match", "waived_items"), [
    ("host: kafka-1", ["orders | payments"]),
    ("group: 'billing *'", ["Zürich → 東京 ✓"]),
])
def test_host_and_group_match_the_evidence(tmp_path: Path, match: str, waived_items: list[str]) -> None:
    text = f"- {{task: broker.min_isr, {match}, reason: r, owner: o, expires: 2027-01-01}}\n"
    (waived,) = _by_status(_apply(tmp_path, text), "broker.min_isr")[Status.WAIVED]
    assert [e.item for e in waived.evidence] == waived_items


def test_an_expired_waiver_waives_nothing_and_is_a_low_finding_naming_file_and_line(tmp_path: Path) -> None:
    report = _apply(tmp_path, WHOLE.replace("2027-01-31", "2026-12-01"))
    assert Status.WAIVED not in _by_status(report, "broker.heap")
    (expired,) = _by_status(report, EXPIRED_TASK_ID)[Status.FAIL]
    assert expired.severity is Severity.LOW
    assert f"{tmp_path / 'waivers.yaml'}:3" in expired.summary and "expired on 2026-12-01" in expired.summary
    assert expired.evidence[0].artifacts == (str(tmp_path / "waivers.yaml"),)
    assert penalty(report.findings) == penalty(sample_report().findings) + 1  # it counts, as a low failure
    assert report.summary.category_scores["waivers"] == 92


def test_a_waiver_that_matches_nothing_is_a_note(tmp_path: Path) -> None:
    text = "- {task: broker.heap, host: kafka-9, reason: r, owner: o, expires: 2027-01-01}\n"
    report = _apply(tmp_path, text)
    assert report.notes == (f"{tmp_path / 'waivers.yaml'}:1: the waiver of broker.heap (host kafka-9) matched no "
                            "failed finding (remove it, or check its task id and subject)",)
    assert report.findings == sample_report().findings


def test_every_format_shows_waived_findings_with_reason_owner_expiry_and_the_notes(tmp_path: Path) -> None:
    text = WHOLE + "  - {task: no.such.task, reason: r, owner: o, expires: 2027-01-01}\n"
    report = _apply(tmp_path, text)
    render = {name: get_renderer(name)(report, width=200) for name in
              ("terminal", "markdown", "html", "json", "junit", "prometheus")}
    for name in ("terminal", "markdown", "html"):
        assert "heap raised in the January window (team-streaming, until 2027-01-31; " in render[name], name
        assert "the waiver of no.such.task matched no failed finding" in render[name], name
    document = json.loads(render["json"])
    (waived,) = [f for f in document["findings"] if f["status"] == "waived"]
    assert waived["waiver"] == {"reason": "heap raised in the January window", "owner": "team-streaming",
                                "expires": "2027-01-31", "file": str(tmp_path / "waivers.yaml"), "line": 3}
    assert len(document["notes"]) == 1
    cases = ET.fromstring(render["junit"]).iter("testcase")  # noqa: S314 - our own output
    (case,) = [c for c in cases if c.get("classname") == "kafkapilot.broker.broker.heap"]
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message", "").startswith(
        "waived: heap raised in the January window (owner team-streaming, until 2027-01-31;")
    (note,) = [c for c in ET.fromstring(render["junit"]).iter("testcase")  # noqa: S314 - our own output
               if c.get("classname") == "kafkapilot.notes"]
    assert note.get("name") == f"{tmp_path / 'waivers.yaml'}:7"
    assert "the waiver of no.such.task matched no failed finding" in (note.find("skipped").get("message") or "")  # type: ignore[union-attr]
    assert 'kafkapilot_findings_waived{cluster="prod-east",severity="medium",category="broker"} 1' in render[
        "prometheus"]
    assert 'kafkapilot_findings_failed{cluster="prod-east",severity="medium",category="broker"} 0' in render[
        "prometheus"]
    assert 'kafkapilot_report_notes{cluster="prod-east"} 1' in render["prometheus"]


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(analyse_main, ["--example", "--tasks", "broker_not_running", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_command_line_takes_waivers_from_the_option_or_the_config(tmp_path: Path) -> None:
    waiver = "- {task: broker_not_running, reason: kafka-2 is being rebuilt, owner: ops, expires: 2999-01-01}\n"
    path = _write(tmp_path, waiver)
    assert _cli("--fail-on", "critical")[0] == EXIT_FAIL_ON
    code, out, _ = _cli("--fail-on", "critical", "--waivers", str(path), "-r", "json")
    assert code == EXIT_OK
    assert json.loads(out)["summary"]["health_score"] == 100
    config = _write(tmp_path, "waivers: waivers.yaml\n", "kafkapilot.yaml")
    assert _cli("--fail-on", "critical", "--config", str(config))[0] == EXIT_OK


def test_the_command_line_reports_a_bad_waiver_file_in_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "- {task: broker_not_running, owner: ops, expires: 2999-01-01}\n")
    code, out, err = _cli("--waivers", str(path))
    assert code == EXIT_ERROR and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"kafkapilot: error: {path}:1: invalid waiver: reason: Field required")
    code, _, err = _cli("--waivers", str(tmp_path / "missing.yaml"))
    assert code == EXIT_ERROR and "missing.yaml: cannot read the waiver file" in err
