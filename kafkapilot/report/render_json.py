"""The report as JSON: a versioned envelope for machines, described by ``kafkapilot/schemas/report.schema.json``."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final

import msgspec

from kafkapilot.errors import KafkaPilotError
from kafkapilot.findings import REPORT_FORMAT_VERSION, Evidence, Finding, Report
from kafkapilot.report.ordering import severity_counts, sort_findings, status_counts

__all__ = [
    "FINDING_KEYS",
    "read_report",
    "render_json",
    "report_document",
    "report_schema",
]

FINDING_KEYS: Final[tuple[str, ...]] = (
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
)

SCHEMA_FILE: Final = "report.schema.json"


def _evidence(evidence: Evidence) -> dict[str, Any]:
    document = evidence.model_dump(mode="json")
    if evidence.subject is not None:
        document["subject"] = evidence.subject.model_dump(mode="json", exclude_none=True)
    return document


def _finding(finding: Finding) -> dict[str, Any]:
    document = finding.model_dump(mode="json")
    document["evidence"] = [_evidence(e) for e in finding.evidence]
    document["not_evaluated"] = [
        {"subject": n.subject.model_dump(mode="json", exclude_none=True), "reason": n.reason}
        for n in finding.not_evaluated
    ]
    return {key: document[key] for key in FINDING_KEYS}


def report_document(report: Report) -> dict[str, Any]:
    """Return the JSON envelope as plain data: findings in report order, task runs by task id."""
    summary = report.summary
    return {
        "report_version": REPORT_FORMAT_VERSION,
        "kafkapilot_version": report.kafkapilot_version,
        "generated_at": report.generated_at,
        "snapshot": report.snapshot.model_dump(mode="json"),
        "summary": {
            "health_score": summary.health_score,
            "category_scores": dict(sorted(summary.category_scores.items())),
            "by_status": status_counts(summary),
            "failed_by_severity": severity_counts(summary),
            "tasks_run": summary.tasks_run,
        },
        "findings": [_finding(finding) for finding in sort_findings(report.findings)],
        "task_runs": [run.model_dump(mode="json") for run in sorted(report.task_runs, key=lambda run: run.task_id)],
        "errors": list(report.errors),
        "notes": list(report.notes),
    }


def render_json(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Render the report as indented UTF-8 JSON with a trailing newline (``color`` and ``width`` are unused)."""
    del color, width
    # json's C encoder, then msgspec re-indents the bytes: the same text as json.dumps(indent=2), whose pure-Python
    # encoder took half a second on a 1000-broker report (an indent turns the C encoder off)
    compact = json.dumps(report_document(report), ensure_ascii=False).encode("utf-8", "surrogatepass")
    return msgspec.json.format(compact, indent=2).decode("utf-8", "surrogatepass") + "\n"


def report_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) that every :func:`render_json` output validates against."""
    text = resources.files("kafkapilot").joinpath("schemas", SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def read_report(document: dict[str, Any], *, where: str = "report") -> Report:
    """Return the Report a :func:`report_document` (of this major version) holds: the way back from JSON.

    A document of another major version, or one that does not fit the model, is a one-line error naming ``where``.
    """
    version = str(document.get("report_version", ""))
    if version.split(".", maxsplit=1)[0] != REPORT_FORMAT_VERSION.split(".")[0]:
        raise KafkaPilotError(
            f"report_version {version or '(none)'} is not supported (this is {REPORT_FORMAT_VERSION})", where=where,
        )
    fields = {key: value for key, value in document.items() if key != "report_version"}
    try:
        return Report.model_validate(fields)
    except ValueError as exc:
        raise KafkaPilotError(f"not a KafkaPilot report: {str(exc).splitlines()[0]}", where=where) from None
