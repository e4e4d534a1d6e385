"""The report as JUnit XML, for CI systems: one testcase per task and subject.

A failed task gives one failing testcase per subject of its evidence (the message is the evidence's, the
type the severity); a passed task one passing testcase; a skipped or errored task one testcase that says
why; a subject a task could not look at (not collected, host unreachable) one skipped testcase with the
reason; a waived finding one skipped testcase per subject whose message is the waiver's reason, owner and
expiry; each note of the report (a waiver that matched nothing) a skipped testcase of the suite ``notes``. The
``classname`` is ``kafkapilot.<category>.<task id>``, the ``name`` the subject (``kafka-1``,
``orders-3``, ``cluster``), so that CI shows the same test from one run to the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from kafkapilot.findings import Evidence, Finding, Report, Status
from kafkapilot.report.ordering import sort_findings

__all__ = ["render_junit"]


#: characters XML 1.0 cannot hold, even escaped (control characters a log line may carry)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


@dataclass(frozen=True)
class _Case:
    classname: str
    name: str
    outcome: Status
    message: str = ""
    detail: str = ""
    kind: str = ""


def _subject_name(evidence: Evidence) -> str:
    if evidence.subject is not None:
        return evidence.subject.label
    return evidence.item or evidence.host or "cluster"


def _detail(evidence: tuple[Evidence, ...]) -> str:
    lines = []
    for e in evidence:
        line = e.message
        if e.actual is not None or e.expected is not None:
            line += f" (actual: {e.actual if e.actual is not None else '-'}; expected: {e.expected or '-'})"
        if e.source:
            line += f" [{e.host + ':' if e.host else ''}{e.source}]"
        lines.append(line)
    return "\n".join(lines)


def _cases(finding: Finding) -> Iterator[_Case]:
    classname = f"kafkapilot.{finding.category}.{finding.task_id}"
    if finding.status is Status.FAIL:
        by_subject: dict[str, list[Evidence]] = {}
        for evidence in finding.evidence:
            by_subject.setdefault(_subject_name(evidence), []).append(evidence)
        if not by_subject:  # an LLM finding, or a rule that named no subject
            by_subject = {", ".join(finding.hosts) or "cluster": []}
        for name, evidence in by_subject.items():
            message = evidence[0].message if len(evidence) == 1 else finding.summary or finding.title
            detail = _detail(tuple(evidence))
            if finding.evidence_omitted and len(by_subject) == 1:
                detail += f"\n… and {finding.evidence_omitted} more"
            yield _Case(classname, name, Status.FAIL, message, detail, finding.severity.value)
    elif finding.status is Status.WAIVED and finding.waiver is not None:
        note = finding.waiver
        names = [s.label for s in finding.subjects] or [", ".join(finding.hosts) or "cluster"]
        message = f"waived: {note.reason} (owner {note.owner}, until {note.expires}; {note.file}:{note.line})"
        yield from (_Case(classname, name, Status.SKIPPED, message) for name in names)
    else:
        yield _Case(classname, finding.title, finding.status, finding.summary)
    for missing in finding.not_evaluated:
        yield _Case(classname, missing.subject.label, Status.SKIPPED, missing.reason)


def _element(case: _Case) -> ET.Element:
    element = ET.Element("testcase", classname=case.classname, name=_xml_text(case.name), time="0")
    if case.outcome is Status.FAIL:
        failure = ET.SubElement(element, "failure", message=_xml_text(case.message), type=case.kind)
        failure.text = _xml_text(case.detail)
    elif case.outcome is Status.ERROR:
        ET.SubElement(element, "error", message=_xml_text(case.message), type="error")
    elif case.outcome is Status.SKIPPED:
        ET.SubElement(element, "skipped", message=_xml_text(case.message))
    return element


def render_junit(report: Report, *, color: bool = False, width: int | None = None) -> str:  # noqa: ARG001 - the renderer protocol
    """Return the report as a JUnit XML document (``<testsuites>`` with one ``<testsuite>`` per category)."""
    suites: dict[str, list[_Case]] = {}
    durations = {run.task_id: run.duration_s for run in report.task_runs}
    timed: dict[str, float] = {}
    for finding in sort_findings(report.findings):
        suites.setdefault(finding.category, []).extend(_cases(finding))
        timed[finding.category] = timed.get(finding.category, 0.0) + durations.get(finding.task_id, 0.0)
    if report.notes:  # a waiver that matched nothing …: a skipped testcase, so that CI shows it with its text
        suites["notes"] = [_Case("kafkapilot.notes", note.split(": ", 1)[0], Status.SKIPPED, note)
                           for note in report.notes]
        timed["notes"] = 0.0
    root = ET.Element("testsuites", name=f"kafkapilot {report.snapshot.cluster_name or report.snapshot.path}")
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for category in sorted(suites):
        cases = suites[category]
        counts = {"tests": len(cases),
                  "failures": sum(c.outcome is Status.FAIL for c in cases),
                  "errors": sum(c.outcome is Status.ERROR for c in cases),
                  "skipped": sum(c.outcome is Status.SKIPPED for c in cases)}
        suite = ET.SubElement(root, "testsuite", name=category, timestamp=report.generated_at,
                              time=f"{timed[category]:.3f}", **{k: str(v) for k, v in counts.items()})
        suite.extend(_element(case) for case in cases)
        totals = {k: totals[k] + counts[k] for k in totals}
    root.attrib.update({k: str(v) for k, v in totals.items()})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
