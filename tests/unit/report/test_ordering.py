"""One order for findings, shared by every renderer."""

from __future__ import annotations

from kafkapilot.findings import Severity, Status
from kafkapilot.report.ordering import failed_by_severity, ordered_counts, sort_findings, with_status
from tests.unit.report.sample import finding, sample_findings


def test_failures_come_first_most_severe_first_then_error_skipped_pass_by_task_id() -> None:
    ordered = sort_findings(sample_findings())
    assert [(f.status, f.task_id) for f in ordered] == [
        (Status.FAIL, "broker.min_isr"),
        (Status.FAIL, "llm.log_review"),
        (Status.FAIL, "broker.heap"),
        (Status.FAIL, "topic.rf_one"),
        (Status.ERROR, "os.swappiness"),
        (Status.SKIPPED, "llm.config_review"),
        (Status.SKIPPED, "os.ulimit"),
        (Status.PASS, "broker.version"),
    ]


def test_order_does_not_depend_on_input_order() -> None:
    findings = sample_findings()
    assert sort_findings(findings) == sort_findings(reversed(findings))


def test_same_task_on_several_hosts_is_ordered_by_host() -> None:
    b = finding("t", hosts=("b",))
    a = finding("t", hosts=("a",))
    assert sort_findings([b, a]) == (a, b)


def test_failed_by_severity_leaves_out_empty_severities() -> None:
    groups = failed_by_severity([finding("x", severity=Severity.LOW), finding("y", severity=Severity.CRITICAL)])
    assert [(severity, [f.task_id for f in group]) for severity, group in groups] == [
        (Severity.CRITICAL, ["y"]),
        (Severity.LOW, ["x"]),
    ]


def test_with_status_keeps_only_that_status() -> None:
    assert [f.task_id for f in with_status(sample_findings(), Status.SKIPPED)] == ["llm.config_review", "os.ulimit"]


def test_ordered_counts_fills_zeros_in_key_order() -> None:
    assert list(ordered_counts({"low": 2, "critical": 1}, ["critical", "high", "low"]).items()) == [
        ("critical", 1),
        ("high", 0),
        ("low", 2),
    ]
