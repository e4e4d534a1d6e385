"""The report as Prometheus text exposition, for node_exporter's textfile collector.

Write it with ``-r prometheus -o DIR`` into the collector's directory (``--collector.textfile.directory``;
write to a temporary name and rename, as node_exporter asks, when a job rewrites it). Every sample carries
the ``cluster`` label (the snapshot's cluster name, else its path) so that several clusters can share a
collector. Timestamps are not written: the textfile collector refuses them.

Series:
``kafkapilot_health_score`` the report's health score (0-100);
``kafkapilot_category_health_score{category}`` the score of each category;
``kafkapilot_findings_failed{severity, category}`` failed findings, every severity and category present;
``kafkapilot_findings_waived{severity, category}`` waived findings (not counted as failed nor in the score);
``kafkapilot_report_notes`` notes of the report (a waiver that matched nothing);
``kafkapilot_task_status{task, category, severity, status}`` 1 for each task's status (alert on
``status="fail"``);
``kafkapilot_tasks{status}`` tasks by status;
``kafkapilot_snapshot_collected_timestamp_seconds`` when the snapshot was collected;
``kafkapilot_snapshot_age_seconds`` its age when the report was made (not when it is scraped: compare the
collected timestamp with ``time()`` for that);
``kafkapilot_report_info{version, report_version, cluster_mode}`` 1.
"""

from __future__ import annotations

from datetime import datetime

from kafkapilot.findings import REPORT_FORMAT_VERSION, Report, Status
from kafkapilot.report.ordering import STATUS_ORDER, sort_findings
from kafkapilot.severity import SEVERITIES

__all__ = ["render_prometheus"]


def _label(value: str) -> str:
    """A label value as the exposition format quotes it: backslash, double quote and newline escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(**labels: str) -> str:
    return "{" + ",".join(f'{name}="{_label(value)}"' for name, value in labels.items()) + "}"


def _number(value: float) -> str:
    """A sample value in full precision (timestamps need all their digits), integers without a fraction."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _timestamp(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def render_prometheus(report: Report, *, color: bool = False, width: int | None = None) -> str:  # noqa: ARG001 - the renderer protocol
    """Return the report's figures as Prometheus text exposition format 0.0.4."""
    cluster = report.snapshot.cluster_name or report.snapshot.path
    findings = sort_findings(report.findings)
    lines: list[str] = []

    def family(name: str, help_text: str, samples: list[tuple[dict[str, str], float]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} gauge")
        lines.extend(f"{name}{_labels(cluster=cluster, **labels)} {_number(value)}" for labels, value in samples)

    family("kafkapilot_health_score", "Health score of the cluster's last analysis (0-100, higher is healthier).",
           [({}, report.summary.health_score)])
    family("kafkapilot_category_health_score", "Health score of each category in the last analysis (0-100).",
           [({"category": c}, s) for c, s in sorted(report.summary.category_scores.items())])
    categories = sorted({f.category for f in findings})
    failed = [f for f in findings if f.status is Status.FAIL]
    family("kafkapilot_findings_failed", "Failed findings of the last analysis, by severity and category.",
           [({"severity": s.value, "category": c}, sum(f.severity is s and f.category == c for f in failed))
            for s in SEVERITIES for c in categories])
    waived = [f for f in findings if f.status is Status.WAIVED]
    family("kafkapilot_findings_waived", "Waived findings of the last analysis (not in the score), by severity and "
           "category.", [({"severity": s.value, "category": c}, sum(f.severity is s and f.category == c
                                                                     for f in waived))
                         for s in SEVERITIES for c in categories])
    family("kafkapilot_report_notes", "Notes of the last analysis, such as waivers that matched nothing.",
           [({}, len(report.notes))])
    family("kafkapilot_task_status", "1 for the status each task ended with in the last analysis.",
           [({"task": f.task_id, "category": f.category, "severity": f.severity.value, "status": f.status.value}, 1)
            for f in sorted(findings, key=lambda f: f.task_id)])
    family("kafkapilot_tasks", "Tasks of the last analysis by status.",
           [({"status": s.value}, sum(f.status is s for f in findings)) for s in STATUS_ORDER])
    collected, generated = _timestamp(report.snapshot.collected_at), _timestamp(report.generated_at)
    if collected is not None:
        family("kafkapilot_snapshot_collected_timestamp_seconds", "When the analysed snapshot was collected.",
               [({}, collected)])
        if generated is not None:
            family("kafkapilot_snapshot_age_seconds", "Age of the snapshot when the report was made.",
                   [({}, max(0.0, generated - collected))])
    family("kafkapilot_report_info", "The kafkapilot version and report format that wrote these series.",
           [({"version": report.kafkapilot_version, "report_version": REPORT_FORMAT_VERSION,
              "cluster_mode": report.snapshot.cluster_mode}, 1)])
    return "\n".join(lines) + "\n"
