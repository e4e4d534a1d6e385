"""The report as JSON: a versioned envelope for machines, described by ``kafkapilot/schemas/report.schema.json``."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final

from kafkapilot.findings import Finding, Report
from kafkapilot.report.ordering import severity_counts, sort_findings, status_counts

__all__ = [
    "FINDING_KEYS",
    "REPORT_VERSION",
    "render_json",
    "report_document",
    "report_schema",
]

REPORT_VERSION: Final = "1.0"
"""Version of the JSON envelope: the minor goes up when keys are added, the major when any is changed or removed."""

FINDING_KEYS: Final[tuple[str, ...]] = (
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
)

SCHEMA_FILE: Final = "report.schema.json"


def _finding(finding: Finding) -> dict[str, Any]:
    document = finding.model_dump(mode="json")
    return {key: document[key] for key in FINDING_KEYS}


def report_document(report: Report) -> dict[str, Any]:
    """Return the JSON envelope as plain data: findings in report order, task runs by task id."""
    summary = report.summary
    return {
        "report_version": REPORT_VERSION,
        "kafkapilot_version": report.kafkapilot_version,
        "generated_at": report.generated_at,
        "snapshot": report.snapshot.model_dump(mode="json"),
        "summary": {
            "health_score": summary.health_score,
            "by_status": status_counts(summary),
            "failed_by_severity": severity_counts(summary),
            "tasks_run": summary.tasks_run,
        },
        "findings": [_finding(finding) for finding in sort_findings(report.findings)],
        "task_runs": [run.model_dump(mode="json") for run in sorted(report.task_runs, key=lambda run: run.task_id)],
        "errors": list(report.errors),
    }


def render_json(report: Report, *, color: bool = False) -> str:
    """Render the report as indented UTF-8 JSON with a trailing newline (``color`` is ignored)."""
    del color
    return json.dumps(report_document(report), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def report_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) that every :func:`render_json` output validates against."""
    text = resources.files("kafkapilot").joinpath("schemas", SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
