"""Waivers: failed findings a team has accepted, for a reason, by an owner, until a date.

A waiver file (``--waivers FILE`` or ``waivers: FILE`` in the config) is YAML::

    waivers:
      - task: broker_heap_size          # the task id (required)
        host: kafka-1                   # optional subject match: host, topic (a glob), group
        reason: heap raised in the January window
        owner: team-streaming
        expires: 2027-01-31             # the last day it applies

A waiver applies to the evidence of the task's failed finding that it matches (all of it when it names no
subject); what it matches becomes a ``waived`` finding with the waiver's reason, owner, expiry and line, which
counts for neither ``--fail-on`` nor the health score. An expired waiver waives nothing and is itself a low
finding naming the file and line; a waiver that matches nothing is a note of the report.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kafkapilot.errors import KafkaPilotError
from kafkapilot.findings import (
    Evidence,
    Finding,
    Report,
    Severity,
    Status,
    SubjectKind,
    WaiverNote,
    summarize,
)

__all__ = ["EXPIRED_TASK_ID", "Waiver", "apply_waivers", "load_waivers"]

EXPIRED_TASK_ID: Final = "waiver_expired"
_HINT: Final = "each waiver needs task, reason, owner and expires (YYYY-MM-DD); optional: host, topic, group"
_HOST_KINDS: Final = frozenset({SubjectKind.HOST, SubjectKind.NODE})


class _Entry(BaseModel):
    """One waiver as written in the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str = Field(min_length=1)
    host: str | None = None
    topic: str | None = Field(default=None, description="a glob: orders-*")
    group: str | None = None
    reason: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    expires: dt.date

    @field_validator("task", "reason", "owner")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            msg = "must not be blank"
            raise ValueError(msg)
        return value.strip()


@dataclass(frozen=True)
class Waiver:
    """A waiver and where it is written (``file``, ``line``)."""

    task: str
    reason: str
    owner: str
    expires: dt.date
    file: str
    line: int
    host: str | None = None
    topic: str | None = None
    group: str | None = None

    @property
    def where(self) -> str:
        """``waivers.yaml:12``."""
        return f"{self.file}:{self.line}"

    @property
    def scope(self) -> str:
        """What it waives, as a person reads it: ``broker_heap_size (host kafka-1)``."""
        match = [f"{name} {value}" for name, value in (("host", self.host), ("topic", self.topic),
                                                       ("group", self.group)) if value]
        return f"{self.task} ({', '.join(match)})" if match else self.task

    @property
    def names_a_subject(self) -> bool:
        """True when it waives only the evidence it matches, not the whole finding."""
        return bool(self.host or self.topic or self.group)

    def note(self) -> WaiverNote:
        """What a waived finding shows of it."""
        return WaiverNote(reason=self.reason, owner=self.owner, expires=self.expires.isoformat(), file=self.file,
                          line=self.line)

    def matches(self, evidence: Evidence) -> bool:
        """True when every subject field the waiver names matches the evidence's."""
        subject = evidence.subject
        if self.host is not None:
            hosts = {evidence.host} | ({subject.host} if subject and subject.kind in _HOST_KINDS else set())
            if self.host not in hosts:
                return False
        if self.topic is not None and not (subject and subject.topic and fnmatch.fnmatchcase(subject.topic,
                                                                                           self.topic)):
            return False
        return self.group is None or bool(subject and subject.group and fnmatch.fnmatchcase(subject.group,
                                                                                          self.group))


def _yaml_error(path: Path, exc: Exception) -> KafkaPilotError:
    mark = getattr(exc, "problem_mark", None)
    where = f"{path}:{mark.line + 1}" if mark else str(path)
    return KafkaPilotError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", where=where,
                           hint="fix the YAML syntax")


def _entries(path: Path, text: str) -> list[tuple[int, Any, Any]]:
    """(line, data, node) of each list item, from ``waivers: [...]`` or a bare list."""
    import yaml  # noqa: PLC0415 - only with a waiver file

    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from None
    if data is None:
        return []
    if isinstance(data, dict) and set(data) == {"waivers"}:
        node = next(value for key, value in node.value if key.value == "waivers")
        data = data["waivers"] or []
        if node.tag.endswith(":null"):
            return []
    if not isinstance(data, list):
        line = node.start_mark.line + 1
        raise KafkaPilotError("expected a list of waivers (or `waivers:` holding one)", where=f"{path}:{line}",
                              hint=_HINT)
    return [(item.start_mark.line + 1, value, item) for item, value in zip(node.value, data, strict=True)]


def _key_line(node: Any, key: object, default: int) -> int:
    for key_node, _ in getattr(node, "value", ()) if isinstance(getattr(node, "value", None), list) else ():
        if getattr(key_node, "value", None) == key:
            return int(key_node.start_mark.line) + 1
    return default


def load_waivers(path: Path) -> tuple[Waiver, ...]:
    """Read and validate a waiver file; any problem is a one-line error naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KafkaPilotError(f"cannot read the waiver file: {exc.strerror}", where=str(path),
                              hint="check the path given to --waivers or the config's waivers:") from None
    except UnicodeDecodeError:
        raise KafkaPilotError("not UTF-8 text", where=str(path), hint="save the waiver file as UTF-8") from None
    waivers = []
    for line, data, node in _entries(path, text):
        if not isinstance(data, dict):
            raise KafkaPilotError("a waiver must be a mapping", where=f"{path}:{line}", hint=_HINT)
        try:
            entry = _Entry.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = first["loc"][0] if first["loc"] else None
            message = f"{field}: {first['msg']}" if field is not None else first["msg"]
            at = _key_line(node, field, line) if first["type"] != "missing" else line
            raise KafkaPilotError(f"invalid waiver: {message}", where=f"{path}:{at}", hint=_HINT) from None
        waivers.append(Waiver(task=entry.task, reason=entry.reason, owner=entry.owner, expires=entry.expires,
                              file=str(path), line=line, host=entry.host, topic=entry.topic, group=entry.group))
    return tuple(waivers)


def _split(finding: Finding, waivers: list[Waiver], used: set[Waiver]) -> list[Finding]:
    """The finding's unwaived part (still failing) and one waived finding per waiver that matched some of it."""
    whole = next((w for w in waivers if not w.names_a_subject), None)
    if whole is None and not finding.evidence:  # a finding without evidence: a host waiver matches all its hosts
        whole = next((w for w in waivers if w.host and not w.topic and not w.group and finding.hosts
                      and set(finding.hosts) == {w.host}), None)
    if whole is not None:
        used.add(whole)
        return [finding.model_copy(update={"status": Status.WAIVED, "waiver": whole.note()})]
    kept: list[Evidence] = []
    waived: dict[Waiver, list[Evidence]] = {}
    for evidence in finding.evidence:
        waiver = next((w for w in waivers if w.matches(evidence)), None)
        if waiver is None:
            kept.append(evidence)
        else:
            waived.setdefault(waiver, []).append(evidence)
    if not waived:
        return [finding]
    used.update(waived)
    parts = [_part(finding, evidence, Status.WAIVED, waiver.note(), omitted=0) for waiver, evidence in waived.items()]
    if kept or finding.evidence_omitted:
        parts.insert(0, _part(finding, kept, Status.FAIL, None, omitted=finding.evidence_omitted))
    return parts


def _part(finding: Finding, evidence: list[Evidence], status: Status, note: WaiverNote | None, *,
          omitted: int) -> Finding:
    hosts = {e.host for e in evidence if e.host} | {
        e.subject.host for e in evidence if e.subject and e.subject.kind in _HOST_KINDS and e.subject.host}
    summary = evidence[0].message if evidence else finding.summary
    if len(evidence) + omitted > 1:
        summary += f" (and {len(evidence) + omitted - 1} more)"
    return finding.model_copy(update={"status": status, "waiver": note, "evidence": tuple(evidence),
                                      "evidence_omitted": omitted, "hosts": tuple(sorted(hosts)),
                                      "summary": summary})


def _expired_finding(waiver: Waiver, today: dt.date) -> Finding:
    message = (f"the waiver of {waiver.scope} at {waiver.where} expired on {waiver.expires.isoformat()} "
               f"(owner {waiver.owner}): it waives nothing now")
    return Finding(
        task_id=EXPIRED_TASK_ID,
        title="A waiver has expired",
        category="waivers",
        status=Status.FAIL,
        severity=Severity.LOW,
        summary=message,
        evidence=(Evidence(item=waiver.scope,
                           actual=f"expires {waiver.expires.isoformat()}", expected=f"after {today.isoformat()}",
                           source=waiver.where, artifacts=(waiver.file,), message=message),),
        impact="The findings it waived count again, and nobody has re-decided whether they are acceptable.",
        remediation=(f"Fix what the waiver accepted, or have {waiver.owner} renew it with a new expires date "
                     f"(and a reason that still holds) in {waiver.file}, line {waiver.line}; or delete it."),
    )


def apply_waivers(report: Report, waivers: tuple[Waiver, ...], *, today: dt.date) -> Report:
    """The report with what active waivers match waived, an expired-waiver finding for each expired waiver, and a
    note for each active waiver that matched nothing; the summary recounted (waived findings do not score)."""
    active = [w for w in waivers if w.expires >= today]
    by_task: dict[str, list[Waiver]] = {}
    for waiver in active:
        by_task.setdefault(waiver.task, []).append(waiver)
    used: set[Waiver] = set()
    findings: list[Finding] = []
    for finding in report.findings:
        if finding.status is Status.FAIL and finding.task_id in by_task:
            findings.extend(_split(finding, by_task[finding.task_id], used))
        else:
            findings.append(finding)
    findings.extend(_expired_finding(w, today) for w in waivers if w.expires < today)
    notes = tuple(f"{w.where}: the waiver of {w.scope} matched no failed finding (remove it, or check its task id "
                  f"and subject)" for w in active if w not in used)
    return report.model_copy(update={"findings": tuple(findings), "summary": summarize(findings),
                                     "notes": report.notes + notes})
