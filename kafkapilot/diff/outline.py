"""The diff laid out as titled tables, the one structure the terminal, Markdown and HTML renderers draw.

Every string from the snapshots (topic, group and config text, finding titles) has its escape sequences and
control characters removed here (kafkapilot.report.terminal_safe), for every medium: a Markdown or HTML file is
read with `cat` too. Each renderer then escapes for its own medium (Markdown escaping, HTML escaping).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Final

from kafkapilot.diff.build import Diff, SideInfo
from kafkapilot.diff.changes import Changes
from kafkapilot.diff.lag import TRENDS, LagChange
from kafkapilot.diff.match_findings import FindingsDiff
from kafkapilot.diff.state import OffsetState
from kafkapilot.findings import Finding
from kafkapilot.report.labels import one_line, plural
from kafkapilot.report.terminal_safe import terminal_safe

__all__ = ["Block", "Outline", "outline"]

_ARROW: Final = " → "
_UNSET: Final = "(unset)"
_HIDDEN: Final = "(hidden)"


@dataclass(frozen=True)
class Block:
    """A titled table; `note` is a line shown under it (or instead of it when it has no row)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Outline:
    """Title, one line per side, the one-line summary, and the tables."""

    title: str
    sides: tuple[str, ...]
    summary: str
    blocks: tuple[Block, ...]


def _side(name: str, side: SideInfo) -> str:
    what = f"{side.kind}, format {side.format_version}"
    if side.report_version:
        what += f", report {side.report_version}"
    return f"{name}: {side.path} ({what}; collected {side.collected_at or 'at an unknown time'}; " \
           f"health score {side.health_score})"


_MAX_SUBJECTS: Final = 5


def _names(labels: list[str]) -> str:
    shown = ", ".join(labels[:_MAX_SUBJECTS])
    return shown + (f" and {len(labels) - _MAX_SUBJECTS} more" if len(labels) > _MAX_SUBJECTS else "")


def _subjects(finding: Finding) -> str:
    return _names([s.label for s in finding.subjects] or list(finding.hosts)) or "cluster"


def _finding_rows(findings: FindingsDiff) -> tuple[tuple[str, ...], ...]:
    rows = [("new", f.severity.value, f.task_id, _subjects(f), one_line(f.title)) for f in findings.new]
    for change in findings.changed:
        severity = change.new.severity.value
        if change.new.severity is not change.old.severity:
            severity = f"{change.old.severity.value}{_ARROW}{severity}"
        moved = [f"+{s.label}" for s in change.subjects_added] + [f"-{s.label}" for s in change.subjects_removed]
        rows.append(("changed", severity, change.new.task_id, _names(moved) or _subjects(change.new),
                     one_line(change.new.title)))
    rows += [("resolved", f.severity.value, f.task_id, _subjects(f), one_line(f.title))
             for f in findings.resolved]
    rows += [(f"unverified ({u.status})", u.finding.severity.value, u.finding.task_id, _subjects(u.finding),
              one_line(u.reason)) for u in findings.unverified]
    return tuple(rows)


def _value(value: object) -> str:
    return _UNSET if value is None else str(value)


def _offsets(old: OffsetState, new: OffsetState, attribute: str) -> str:
    was, now = getattr(old, attribute), getattr(new, attribute)
    return f"{'-' if was is None else was}{_ARROW}{'-' if now is None else now}"


def _lag_row(change: LagChange) -> tuple[str, ...]:
    rate = "" if change.rate_per_hour is None else f"{change.rate_per_hour:+,.1f}/h"
    return (change.group, f"{change.topic}-{change.partition}", _offsets(change.old, change.new, "current"),
            _offsets(change.old, change.new, "lag"), rate, change.trend.replace("_", " "))


def _lag_block(changes: Changes) -> Block | None:
    groups = changes.consumer_groups
    if groups is None:
        return None
    listed = tuple(_lag_row(c) for c in groups.partitions if c.trend != "steady")
    trends = Counter(c.trend for c in groups.partitions)
    notes = [", ".join(f"{plural(trends[t], 'partition')} {t.replace('_', ' ')}" for t in TRENDS if trends[t])]
    notes += [f"groups added: {', '.join(groups.added)}"] if groups.added else []
    notes += [f"groups removed: {', '.join(groups.removed)}"] if groups.removed else []
    if trends["steady"]:
        notes.append("steady partitions not listed")
    return Block("Consumer lag", ("group", "partition", "committed offset", "lag", "rate", "trend"), listed,
                 "; ".join(n for n in notes if n) or "no group on both sides")


def _change_blocks(changes: Changes) -> list[Block]:
    blocks = []
    if changes.config is not None:
        rows = tuple((c.node, c.key, _HIDDEN if c.hidden else _value(c.old), _HIDDEN if c.hidden else _value(c.new))
                     for c in changes.config)
        blocks.append(Block("Broker config", ("node", "key", "old", "new"), rows, "" if rows else "no change"))
    if changes.brokers_added is not None:
        events = [("added", changes.brokers_added), ("removed", changes.brokers_removed),
                  ("restarted", changes.brokers_restarted)]
        rows = tuple((what, e.node, _value(e.node_id), e.detail) for what, found in events for e in found or ())
        blocks.append(Block("Brokers", ("change", "node", "node id", "detail"), rows, "" if rows else "no change"))
    if changes.kafka_versions is not None:
        rows = tuple((c.name, component, _value(c.old), _value(c.new))
                     for component, found in (("Kafka", changes.kafka_versions), ("Java", changes.java_versions))
                     for c in found or ())
        blocks.append(Block("Versions", ("node", "of", "old", "new"), rows, "" if rows else "no change"))
    if changes.topics_added is not None:
        rows = tuple(("added", t, "", "") for t in changes.topics_added)
        rows += tuple(("removed", t, "", "") for t in changes.topics_removed or ())
        rows += tuple(("partitions", c.name, _value(c.old), _value(c.new)) for c in changes.partitions or ())
        rows += tuple(("replication factor", c.name, _value(c.old), _value(c.new))
                      for c in changes.replication_factor or ())
        blocks.append(Block("Topics", ("change", "topic", "old", "new"), rows, "" if rows else "no change"))
    if changes.replicas is not None:
        rows = tuple((f"{c.topic}-{c.partition}", _ids(c.old_replicas, c.new_replicas), _ids(c.old_isr, c.new_isr))
                     for c in changes.replicas)
        blocks.append(Block("Replicas and ISR", ("partition", "replicas", "ISR"), rows, "" if rows else "no change"))
    lag = _lag_block(changes)
    if lag is not None:
        blocks.append(lag)
    if changes.missing:
        blocks.append(Block("Not compared", ("section", "why"), tuple((m.section, m.reason) for m in changes.missing)))
    return blocks


def _ids(old: tuple[int, ...], new: tuple[int, ...]) -> str:
    was, now = ",".join(map(str, old)), ",".join(map(str, new))
    return was if was == now else f"{was}{_ARROW}{now}"


def outline(diff: Diff) -> Outline:
    """Lay out `diff`."""
    findings = diff.findings
    counts = [plural(len(findings.new), "new finding"), f"{len(findings.resolved)} resolved",
              f"{len(findings.changed)} changed", f"{findings.unchanged} unchanged"]
    if findings.unverified:
        counts.append(f"{len(findings.unverified)} unverified")
    changes = diff.changes
    between = f" in {changes.hours:,.1f} h" if changes.hours else ""
    summary = f"{', '.join(counts)}; {plural(changes.count, 'change')} in the cluster{between}"
    rows = _finding_rows(findings)
    blocks = [Block("Findings", ("change", "severity", "task", "subjects", "title or reason"), rows,
                    "" if rows else "no new, changed or resolved finding")]
    blocks += _change_blocks(changes)
    return Outline(title="KafkaPilot diff", sides=tuple(terminal_safe(s) for s in (_side("OLD", diff.old),
                                                                                   _side("NEW", diff.new))),
                   summary=summary, blocks=tuple(_safe(b) for b in blocks))


def _safe(block: Block) -> Block:
    return Block(block.title, block.headers, tuple(tuple(terminal_safe(c) for c in row) for row in block.rows),
                 terminal_safe(block.note))
