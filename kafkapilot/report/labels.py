"""Words, marks and colours that every renderer shows the same way."""

from __future__ import annotations

import re
from typing import Final

from kafkapilot.findings import Evidence, Finding, NotEvaluated, Severity, SnapshotInfo, Status

__all__ = [
    "ARROW",
    "EVIDENCE_COLUMNS",
    "HEALTH_BANDS",
    "MISSING",
    "NEWLINE_MARK",
    "SEPARATOR",
    "SEVERITY_COLOURS",
    "SEVERITY_ICONS",
    "STATUS_ICONS",
    "STATUS_LABELS",
    "cell_text",
    "evidence_detail",
    "evidence_location",
    "evidence_row",
    "flatten",
    "health_band",
    "hosts_text",
    "is_web_address",
    "not_evaluated_line",
    "omitted_line",
    "one_line",
    "origin_label",
    "paragraphs",
    "plural",
    "reflow",
    "skip_reason",
    "snapshot_facts",
    "title_with_origin",
    "waiver_text",
]

SEPARATOR: Final = " · "
NEWLINE_MARK: Final = " ↵ "
"""Stands for a line break in text that must stay on one line (an evidence line, a table cell)."""
ARROW: Final = " → "
MISSING: Final = "—"

SEVERITY_ICONS: Final[dict[Severity, str]] = {
    Severity.CRITICAL: "✖",
    Severity.HIGH: "✖",
    Severity.MEDIUM: "▲",
    Severity.LOW: "▼",
    Severity.INFO: "•",
}

SEVERITY_COLOURS: Final[dict[Severity, str]] = {
    Severity.CRITICAL: "#b91c1c",
    Severity.HIGH: "#c2410c",
    Severity.MEDIUM: "#a16207",
    Severity.LOW: "#1d4ed8",
    Severity.INFO: "#475569",
}
"""One colour per severity, dark enough for text on white; the terminal and the HTML page share it."""

STATUS_ICONS: Final[dict[Status, str]] = {
    Status.FAIL: "✖",
    Status.PASS: "✔",
    Status.ERROR: "!",
    Status.SKIPPED: "–",
    Status.WAIVED: "~",
}

STATUS_LABELS: Final[dict[Status, str]] = {
    Status.FAIL: "Failed",
    Status.PASS: "Passed",
    Status.ERROR: "Errors",
    Status.SKIPPED: "Skipped",
    Status.WAIVED: "Waived",
}

HEALTH_BANDS: Final[tuple[tuple[int, str], ...]] = ((90, "good"), (60, "fair"), (0, "poor"))
"""(lowest score, band name), best band first."""

_NO_REASON: Final = "no reason given"
_BLANK_LINES: Final = re.compile(r"\n\s*\n")
_WEB_ADDRESS: Final = re.compile(r"https?://[^\s<>\"'`|\\]+")

EVIDENCE_COLUMNS: Final = ("Host", "Item", "Actual", "Expected", "Source", "Message")
"""The columns of an evidence table, as :func:`evidence_row` fills them."""


def health_band(score: int) -> str:
    """Name the band a health score falls in: ``good``, ``fair`` or ``poor``."""
    return next(band for floor, band in HEALTH_BANDS if score >= floor)


def one_line(text: str) -> str:
    """Collapse all runs of white space, newlines included, into single spaces."""
    return " ".join(text.split())


def flatten(text: str) -> str:
    """Put multi-line text on one line, marking each line break with :data:`NEWLINE_MARK`."""
    return NEWLINE_MARK.join(line.strip() for line in text.strip().splitlines() if line.strip())


def reflow(text: str) -> str:
    r"""Strip each line, joining an indented line onto the line before it (how a task's YAML continues a step).

    ``"1. Raise the limit\n   (systemctl edit kafka).\n2. Restart."`` becomes
    ``"1. Raise the limit (systemctl edit kafka).\n2. Restart."``; blank lines stay, as paragraph breaks.
    """
    lines: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if raw[:1].isspace() and line and lines and lines[-1]:
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return "\n".join(lines)


def paragraphs(text: str) -> list[list[str]]:
    """Split multi-line text into paragraphs (at blank lines) of lines, after :func:`reflow`."""
    blocks = _BLANK_LINES.split(reflow(text.replace("\r\n", "\n")))
    return [block.splitlines() for block in blocks if block.strip()]


def is_web_address(text: str) -> bool:
    """True for an http(s) address that every format may show as a link (never ``javascript:`` or ``data:``)."""
    return bool(_WEB_ADDRESS.fullmatch(text))


def cell_text(text: str | None) -> str:
    """Text for a table cell: one line (breaks shown as ``↵``), ``—`` when there is none."""
    return flatten(text) if text is not None and text.strip() else MISSING


def plural(count: int, word: str) -> str:
    """Return ``"1 broker"`` or ``"3 brokers"``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def origin_label(finding: Finding) -> str:
    """Return ``"LLM <model>"`` for a finding a model wrote, ``""`` for a rule's."""
    if finding.source != "llm":
        return ""
    return f"LLM {finding.model}" if finding.model else "LLM"


def title_with_origin(finding: Finding) -> str:
    """The finding's title on one line, with ``(LLM <model>)`` after it when a model wrote it."""
    origin = origin_label(finding)
    return f"{one_line(finding.title)} ({origin})" if origin else one_line(finding.title)


def hosts_text(finding: Finding) -> str:
    """The hosts a finding names, or ``cluster-wide``."""
    return ", ".join(finding.hosts) or "cluster-wide"


def not_evaluated_line(not_evaluated: NotEvaluated) -> str:
    """``"kafka-3: not collected: server_properties denied"``: a subject not looked at, and why, on one line."""
    return one_line(f"{not_evaluated.subject.label}: {not_evaluated.reason}")


def omitted_line(count: int) -> str:
    """Say how many failing items a finding's evidence leaves out."""
    return f"… {count} more not shown"


def evidence_row(evidence: Evidence) -> tuple[str | None, ...]:
    """The cells of one evidence row, in :data:`EVIDENCE_COLUMNS` order (``None`` where there is nothing)."""
    source = evidence.source or evidence.artifact
    return (evidence.host or "cluster", evidence.item, evidence.actual, evidence.expected, source, evidence.message)


def waiver_text(finding: Finding) -> str:
    """``"kafka-1: heap raised in January (team-a, until 2027-01-31; waivers.yaml:3)"``: why a finding is waived."""
    note = finding.waiver
    if note is None:
        return ""
    hosts = f"{', '.join(finding.hosts)}: " if finding.hosts else ""
    return one_line(f"{hosts}{note.reason} ({note.owner}, until {note.expires}; {note.file}:{note.line})")


def skip_reason(finding: Finding) -> str:
    """Why a task was skipped or errored, as its summary says, on one line."""
    return one_line(finding.summary) or _NO_REASON


def evidence_location(evidence: Evidence) -> str:
    """Where a fact was seen: ``"host · item"`` (``"cluster"`` for cluster-wide facts)."""
    parts = [evidence.host or "cluster"]
    if evidence.item:
        parts.append(evidence.item)
    return SEPARATOR.join(parts)


def evidence_detail(evidence: Evidence) -> str:
    """Say what was seen: ``"actual → expected"`` where known, else the evidence's message."""
    if evidence.actual is not None and evidence.expected is not None:
        return f"{evidence.actual}{ARROW}{evidence.expected}"
    if evidence.actual is not None:
        return evidence.actual
    if evidence.expected is not None:
        return f"expected {evidence.expected}"
    return evidence.message


def snapshot_facts(snapshot: SnapshotInfo) -> tuple[tuple[str, str], ...]:
    """Return the snapshot as (label, value) pairs, in the order a report header shows them."""
    unreachable = snapshot.unreachable_hosts
    hosts = f"{len(snapshot.hosts)}, " + (
        f"{len(unreachable)} unreachable: {', '.join(unreachable)}" if unreachable else "all reachable"
    )
    return (
        ("Snapshot", snapshot.path),
        ("Cluster", snapshot.cluster_name or "unnamed"),
        ("Mode", snapshot.cluster_mode),
        ("Kafka", ", ".join(snapshot.kafka_versions) or "unknown"),
        ("Nodes", f"{plural(snapshot.broker_count, 'broker')}, {plural(snapshot.controller_count, 'controller')}"),
        ("Hosts", hosts),
        ("Collected", snapshot.collected_at or "unknown"),
        ("Format", snapshot.format_version),
    )
