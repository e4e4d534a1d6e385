"""The diff as JSON: a versioned envelope described by ``kafkapilot/schemas/diff.schema.json``; every finding in
it is in the report's own JSON shape (kafkapilot.report.render_json serialises it)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from kafkapilot.diff.build import DIFF_FORMAT_VERSION, Diff, SideInfo
from kafkapilot.diff.changes import Changes, ConfigChange, NodeEvent, ReplicaChange, ValueChange
from kafkapilot.diff.lag import GroupLag, LagChange
from kafkapilot.diff.match_findings import ChangedFinding, FindingsDiff
from kafkapilot.diff.state import OffsetState
from kafkapilot.findings import Subject
from kafkapilot.report.render_json import _finding as finding_document  # the report's one serialisation of a finding

__all__ = ["diff_document", "diff_schema", "render_json"]


def _subject(subject: Subject) -> dict[str, Any]:
    return subject.model_dump(mode="json", exclude_none=True)


def _changed(change: ChangedFinding) -> dict[str, Any]:
    return {
        "task_id": change.new.task_id,
        "old_severity": change.old.severity.value,
        "new_severity": change.new.severity.value,
        "subjects_added": [_subject(s) for s in change.subjects_added],
        "subjects_removed": [_subject(s) for s in change.subjects_removed],
        "old": finding_document(change.old),
        "new": finding_document(change.new),
    }


def _findings(findings: FindingsDiff) -> dict[str, Any]:
    return {
        "new": [finding_document(f) for f in findings.new],
        "resolved": [finding_document(f) for f in findings.resolved],
        "changed": [_changed(c) for c in findings.changed],
        "unchanged": findings.unchanged,
        "unverified": [{"status": u.status, "reason": u.reason, "finding": finding_document(u.finding)}
                       for u in findings.unverified],
    }


def _config(change: ConfigChange) -> dict[str, Any]:
    return {"node": change.node, "key": change.key, "old": change.old, "new": change.new, "hidden": change.hidden}


def _event(event: NodeEvent) -> dict[str, Any]:
    return {"node": event.node, "node_id": event.node_id, "detail": event.detail}


def _value(change: ValueChange, name: str) -> dict[str, Any]:
    return {name: change.name, "old": change.old, "new": change.new}


def _replicas(change: ReplicaChange) -> dict[str, Any]:
    return {"topic": change.topic, "partition": change.partition,
            "old_replicas": list(change.old_replicas), "new_replicas": list(change.new_replicas),
            "old_isr": list(change.old_isr), "new_isr": list(change.new_isr)}


def _offsets(state: OffsetState) -> dict[str, Any]:
    return {"committed_offset": state.current, "log_end_offset": state.end, "lag": state.lag}


def _lag(change: LagChange) -> dict[str, Any]:
    return {"group": change.group, "topic": change.topic, "partition": change.partition,
            "old": _offsets(change.old), "new": _offsets(change.new),
            "rate_per_hour": change.rate_per_hour, "trend": change.trend}


def _groups(groups: GroupLag | None) -> dict[str, Any] | None:
    if groups is None:
        return None
    return {"added": list(groups.added), "removed": list(groups.removed),
            "partitions": [_lag(c) for c in groups.partitions]}


def _listed(items: tuple[Any, ...] | None, convert: Any) -> list[Any] | None:
    return None if items is None else [convert(item) for item in items]


def _changes(changes: Changes) -> dict[str, Any]:
    brokers = None
    if changes.brokers_added is not None:
        brokers = {"added": _listed(changes.brokers_added, _event), "removed": _listed(changes.brokers_removed, _event),
                   "restarted": _listed(changes.brokers_restarted, _event)}
    versions = None
    if changes.kafka_versions is not None:
        versions = {"kafka": _listed(changes.kafka_versions, lambda c: _value(c, "node")),
                    "java": _listed(changes.java_versions, lambda c: _value(c, "node"))}
    topics = None
    if changes.topics_added is not None:
        topics = {"added": list(changes.topics_added), "removed": list(changes.topics_removed or ()),
                  "partitions": _listed(changes.partitions, lambda c: _value(c, "topic")),
                  "replication_factor": _listed(changes.replication_factor, lambda c: _value(c, "topic"))}
    return {
        "between": {"old": changes.old_collected_at, "new": changes.new_collected_at, "hours": changes.hours},
        "config": _listed(changes.config, _config),
        "brokers": brokers,
        "versions": versions,
        "topics": topics,
        "replicas": _listed(changes.replicas, _replicas),
        "consumer_groups": _groups(changes.consumer_groups),
        "missing": [{"section": m.section, "reason": m.reason} for m in changes.missing],
    }


def _side(side: SideInfo) -> dict[str, Any]:
    return {"path": side.path, "kind": side.kind, "format_version": side.format_version,
            "report_version": side.report_version, "collected_at": side.collected_at,
            "cluster_name": side.cluster_name, "health_score": side.health_score}


def diff_document(diff: Diff) -> dict[str, Any]:
    """The JSON envelope as plain data."""
    return {
        "diff_version": DIFF_FORMAT_VERSION,
        "kafkapilot_version": diff.kafkapilot_version,
        "generated_at": diff.generated_at,
        "old": _side(diff.old),
        "new": _side(diff.new),
        "findings": _findings(diff.findings),
        "changes": _changes(diff.changes),
    }


def render_json(diff: Diff, *, color: bool = False, width: int | None = None) -> str:
    """The diff as indented UTF-8 JSON with a trailing newline (``color`` and ``width`` are unused)."""
    del color, width
    return json.dumps(diff_document(diff), ensure_ascii=False, indent=2) + "\n"


def diff_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every :func:`render_json` output validates against."""
    text = resources.files("kafkapilot").joinpath("schemas", "diff.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
