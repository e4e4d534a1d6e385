"""The report as SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning, GitLab, Azure DevOps, DefectDojo).

One run; one rule per task that ran (its title, impact as the full description, remediation and references as the
help, the severity as the default level); one result per failed subject of a failed or waived finding, located at
the snapshot artifacts its evidence was read from (``uriBaseId`` ``SNAPSHOT``: the snapshot's directory) and
named logically by its subject. A waived result carries an accepted external suppression (the waiver's reason,
owner and expiry, located at the waiver file's line). Errors and report notes become tool execution
notifications. Validated against the official schema in ``kafkapilot/schemas/sarif-schema-2.1.0.json``.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any, Final

from kafkapilot.findings import Evidence, Finding, Report, Severity, Status
from kafkapilot.report.labels import is_web_address, one_line, reflow
from kafkapilot.report.ordering import sort_findings

__all__ = ["SARIF_SCHEMA_URI", "SARIF_VERSION", "render_sarif", "sarif_document"]

SARIF_VERSION: Final = "2.1.0"
SARIF_SCHEMA_URI: Final = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SNAPSHOT_BASE: Final = "SNAPSHOT"
_LEVELS: Final[dict[Severity, str]] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_SECURITY_SEVERITY: Final[dict[Severity, str]] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
"""GitHub code scanning ranks results by ``security-severity`` (a CVSS-like number): critical ≥ 9, high ≥ 7 …"""


def _text(value: str) -> str:
    return one_line(value) or "(none)"


def _help(finding: Finding) -> dict[str, str]:
    parts, markdown = [], []
    if finding.remediation.strip():
        parts.append(reflow(finding.remediation))
        markdown.append(reflow(finding.remediation))
    if finding.references:
        parts.append("References:\n" + "\n".join(f"- {r}" for r in finding.references))
        markdown.append("References:\n\n" + "\n".join(
            f"- <{r}>" if is_web_address(r) else f"- {one_line(r)}" for r in finding.references))
    return {"text": "\n\n".join(parts) or _text(finding.title), "markdown": "\n\n".join(markdown) or _text(
        finding.title)}


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.task_id,
        "name": finding.task_id,
        "shortDescription": {"text": _text(finding.title)},
        "fullDescription": {"text": one_line(finding.impact) or _text(finding.title)},
        "help": _help(finding),
        "defaultConfiguration": {"level": _LEVELS[finding.severity]},
        "properties": {"category": finding.category, "severity": finding.severity.value,
                       "tags": ["kafka", finding.category],
                       "security-severity": _SECURITY_SEVERITY[finding.severity]},
    }
    urls = [r for r in finding.references if is_web_address(r)]
    if urls:
        rule["helpUri"] = urls[0]
    return rule


def _rules(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    """One rule per task, from its most telling finding (failed before waived before the rest)."""
    chosen: dict[str, Finding] = {}
    for finding in findings:  # report order: failed first, so a task's failed finding describes its rule
        chosen.setdefault(finding.task_id, finding)
    return [_rule(chosen[task_id]) for task_id in sorted(chosen)]


def _by_subject(finding: Finding) -> list[tuple[str, list[Evidence]]]:
    groups: dict[str, list[Evidence]] = {}
    for evidence in finding.evidence:
        label = evidence.subject.label if evidence.subject else (evidence.item or evidence.host or "cluster")
        groups.setdefault(label, []).append(evidence)
    return list(groups.items()) or [(", ".join(finding.hosts) or "cluster", [])]


def _artifact_uri(path: str) -> str:
    return str(PurePosixPath(path))


def _locations(finding: Finding, evidence: list[Evidence], subject: str) -> list[dict[str, Any]]:
    paths = dict.fromkeys(path for e in evidence for path in e.artifacts)
    logical = [{"name": subject, "kind": "resource",
                "fullyQualifiedName": f"{finding.category}/{finding.task_id}/{subject}"}]
    if not paths:
        return [{"logicalLocations": logical}]
    return [{"physicalLocation": {"artifactLocation": {"uri": _artifact_uri(path), "uriBaseId": SNAPSHOT_BASE}},
             "logicalLocations": logical} for path in paths]


def _message(finding: Finding, evidence: list[Evidence]) -> str:
    if not evidence:
        return _text(finding.summary or finding.title)
    lines = []
    for e in evidence:
        line = one_line(e.message)
        if e.actual is not None or e.expected is not None:
            line += f" (actual: {one_line(e.actual or '-')}; expected: {one_line(e.expected or '-')})"
        lines.append(line)
    return "\n".join(lines)


def _suppression(finding: Finding) -> dict[str, Any]:
    note = finding.waiver
    assert note is not None  # noqa: S101 - only waived findings come here
    return {
        "kind": "external",
        "status": "accepted",
        "justification": note.reason,
        "location": {"physicalLocation": {"artifactLocation": {"uri": PurePosixPath(note.file).as_posix()},
                                          "region": {"startLine": note.line}}},
        "properties": {"owner": note.owner, "expires": note.expires},
    }


def _results(finding: Finding, rule_index: int) -> list[dict[str, Any]]:
    results = []
    for subject, evidence in _by_subject(finding):
        result: dict[str, Any] = {
            "ruleId": finding.task_id,
            "ruleIndex": rule_index,
            "level": _LEVELS[finding.severity],
            "message": {"text": _message(finding, evidence)},
            "locations": _locations(finding, evidence, subject),
            "partialFingerprints": {"kafkapilotSubject/v1": f"{finding.task_id}:{subject}"},
            "properties": {"severity": finding.severity.value, "category": finding.category,
                           "hosts": list(finding.hosts)},
        }
        if finding.status is Status.WAIVED and finding.waiver is not None:
            result["suppressions"] = [_suppression(finding)]
        results.append(result)
    return results


def _notifications(report: Report, findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    notes = [{"level": "error", "message": {"text": f"{f.task_id}: {_text(f.summary)}"},
              "associatedRule": {"id": f.task_id}} for f in findings if f.status is Status.ERROR]
    notes += [{"level": "warning", "message": {"text": _text(error)}} for error in report.errors]
    notes += [{"level": "note", "message": {"text": _text(note)}} for note in report.notes]
    return notes


def _base(report: Report) -> dict[str, Any]:
    path = PurePosixPath(report.snapshot.path)
    base: dict[str, Any] = {"description": {"text": f"the snapshot {report.snapshot.path}"}}
    if path.is_absolute() and not path.name.endswith((".tar.gz", ".tgz")):
        base["uri"] = path.as_uri().rstrip("/") + "/"
    return base


def sarif_document(report: Report) -> dict[str, Any]:
    """Return the SARIF log as plain data (one run)."""
    findings = sort_findings(report.findings)
    rules = _rules(findings)
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    results = [r for f in findings if f.status in {Status.FAIL, Status.WAIVED} for r in _results(f, index[f.task_id])]
    invocation: dict[str, Any] = {"executionSuccessful": True, "endTimeUtc": report.generated_at}
    notifications = _notifications(report, findings)
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": "KafkaPilot", "version": report.kafkapilot_version,
                                "semanticVersion": report.kafkapilot_version, "rules": rules}},
            "automationDetails": {"id": f"kafkapilot/{report.snapshot.cluster_name or 'cluster'}/"},
            "originalUriBaseIds": {SNAPSHOT_BASE: _base(report)},
            "invocations": [invocation],
            "results": results,
            "properties": {"healthScore": report.summary.health_score,
                           "categoryScores": dict(sorted(report.summary.category_scores.items())),
                           "cluster": report.snapshot.cluster_name, "collectedAt": report.snapshot.collected_at},
        }],
    }


def render_sarif(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Render the report as an indented SARIF 2.1.0 JSON log (``color`` and ``width`` are unused)."""
    del color, width
    return json.dumps(sarif_document(report), ensure_ascii=False, indent=2) + "\n"
