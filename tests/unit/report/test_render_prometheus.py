"""-r prometheus: text exposition for node_exporter's textfile collector, read back with prometheus_client's parser."""

from __future__ import annotations

from datetime import datetime

from prometheus_client.parser import text_string_to_metric_families

from kafkapilot.findings import Severity, Status
from kafkapilot.report.render_prometheus import render_prometheus
from tests.unit.report.sample import finding, make_report, sample_report


def _samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        assert family.type == "gauge" and family.documentation
        for sample in family.samples:
            assert sample.timestamp is None  # the textfile collector refuses timestamps
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def test_health_score_tasks_and_failed_findings_by_severity_and_category() -> None:
    report = sample_report()
    samples = _samples(render_prometheus(report))
    assert samples["kafkapilot_health_score"] == [({"cluster": "prod-east"}, report.summary.health_score)]
    failed = {(labels["severity"], labels["category"]): value
              for labels, value in samples["kafkapilot_findings_failed"]}
    assert failed[("critical", "durability")] == 1 and failed[("high", "logs")] == 1
    assert failed[("medium", "broker")] == 1 and failed[("low", "broker")] == 1
    assert sum(failed.values()) == 4 and len(failed) == 5 * 3  # every severity for every category, zeros too
    statuses = {labels["task"]: labels["status"] for labels, value in samples["kafkapilot_task_status"] if value == 1}
    assert statuses["broker.min_isr"] == "fail" and statuses["os.swappiness"] == "error"
    assert statuses["os.ulimit"] == "skipped" and statuses["broker.version"] == "pass"
    tasks = {labels["status"]: value for labels, value in samples["kafkapilot_tasks"]}
    assert tasks == {"fail": 4, "error": 1, "waived": 0, "skipped": 2, "pass": 1}


def test_snapshot_age_is_the_reports_view_and_the_collection_time_is_exact() -> None:
    samples = _samples(render_prometheus(sample_report()))
    collected = datetime.fromisoformat("2026-11-26T13:30:00+00:00").timestamp()
    assert samples["kafkapilot_snapshot_collected_timestamp_seconds"] == [({"cluster": "prod-east"}, collected)]
    assert samples["kafkapilot_snapshot_age_seconds"] == [({"cluster": "prod-east"}, 900.0)]
    (labels, value), = samples["kafkapilot_report_info"]
    assert value == 1 and labels["cluster_mode"] == "kraft" and labels["report_version"]


def test_label_values_with_quotes_backslashes_and_newlines_read_back_unchanged() -> None:
    awkward = 'bad "task" \\ with\nnewline'
    text = render_prometheus(make_report([finding(awkward, category='c"at', severity=Severity.HIGH)]))
    samples = _samples(text)
    (labels, _), = samples["kafkapilot_task_status"]
    assert labels["task"] == awkward and labels["category"] == 'c"at' and labels["status"] == Status.FAIL.value


def test_without_collection_time_there_is_no_age_series() -> None:
    report = make_report([finding("a.b")])
    report = report.model_copy(update={"snapshot": report.snapshot.model_copy(update={"collected_at": None})})
    samples = _samples(render_prometheus(report))
    assert "kafkapilot_snapshot_age_seconds" not in samples and "kafkapilot_health_score" in samples
