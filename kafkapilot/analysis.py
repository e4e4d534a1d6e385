"""One analysis: snapshot in, Report out. No printing; the CLI renders what this returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafkapilot import __version__
from kafkapilot.artifact_paths import with_artifact_paths
from kafkapilot.catalog.load import Catalog
from kafkapilot.catalog.schema import Task
from kafkapilot.engine import EngineOptions, run_tasks
from kafkapilot.errors import KafkaPilotError
from kafkapilot.facts import Facts, build_facts
from kafkapilot.findings import Report, Severity, SnapshotInfo, summarize
from kafkapilot.snapshot.load import MAX_ARCHIVE_BYTES, MAX_ARTIFACT_BYTES, load_snapshot

__all__ = ["Selection", "analyse", "select_tasks", "snapshot_info"]


@dataclass(frozen=True)
class Selection:
    """Which tasks run: by id, by category; disabled ones never.

    ``severity_min`` only keeps prompt tasks below it from being sent to the model: every deterministic task runs,
    so that the health score does not depend on it (:func:`kafkapilot.findings.at_least` hides the findings below
    it from a report afterwards).
    """

    task_ids: Sequence[str] = ()
    categories: Sequence[str] = ()
    severity_min: Severity | None = None
    include_disabled: bool = False
    extra_errors: Sequence[str] = field(default=())


def select_tasks(catalog: Catalog, selection: Selection) -> list[Task]:
    """The tasks to run, in catalog order; an unknown id or category is a one-line error."""
    known_ids = {t.id for t in catalog.tasks}
    unknown = [t for t in selection.task_ids if t not in known_ids]
    if unknown:
        raise KafkaPilotError(f"unknown task id(s): {', '.join(unknown)}", where="--tasks",
                              hint="see `kafkapilot tasks list`")
    known_categories = {t.category for t in catalog.tasks}
    unknown = [c for c in selection.categories if c not in known_categories]
    if unknown:
        raise KafkaPilotError(
            f"no task in category {', '.join(unknown)}",
            where="--category",
            hint=f"categories: {', '.join(sorted(known_categories))}",
        )
    chosen = []
    for task in catalog.tasks:
        if selection.task_ids and task.id not in selection.task_ids:
            continue
        if not selection.task_ids and not task.enabled and not selection.include_disabled:
            continue
        if selection.categories and task.category not in selection.categories:
            continue
        if task.needs_llm and selection.severity_min and not task.severity.at_least(selection.severity_min):
            continue
        chosen.append(task)
    return chosen


def analyse(
    snapshot_path: Path,
    catalog: Catalog,
    selection: Selection,
    options: EngineOptions,
    *,
    now: dt.datetime | None = None,
    max_archive_bytes: int = MAX_ARCHIVE_BYTES,
    max_artifact_bytes: int = MAX_ARTIFACT_BYTES,
    on_facts: Callable[[Facts], None] | None = None,
) -> Report:
    """Load (a .tar.gz unpacked within `max_archive_bytes`), build facts, run the selected tasks, and assemble
    the report. `on_facts` is shown the facts while the snapshot is still loaded (`kafkapilot diff` reads them)."""
    with load_snapshot(snapshot_path, max_archive_bytes=max_archive_bytes,
                       max_artifact_bytes=max_artifact_bytes) as snapshot:
        facts = build_facts(snapshot)
        if on_facts is not None:
            on_facts(facts)
        tasks = select_tasks(catalog, selection)
        findings, runs = run_tasks(tasks, facts, options)
        findings = with_artifact_paths(findings, snapshot)
    generated = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Report(
        kafkapilot_version=__version__,
        generated_at=generated,
        snapshot=snapshot_info(snapshot_path, facts),
        summary=summarize(findings),
        findings=tuple(findings),
        task_runs=tuple(runs),
        errors=tuple(catalog.errors) + tuple(selection.extra_errors)
        + tuple(f"snapshot: {line}" for line in snapshot.refused)
        + tuple(f"snapshot: {path}: cut: {what}" for path, what in sorted(snapshot.cut.items())),
    )


def snapshot_info(path: Path, facts: Facts) -> SnapshotInfo:
    """What the report says about the snapshot."""
    manifest = facts.snapshot.manifest
    cluster: dict[str, Any] = facts.cluster
    return SnapshotInfo(
        path=str(path),
        format_version=manifest.format_version,
        collected_at=manifest.finished_at or manifest.started_at,
        cluster_name=manifest.cluster_name,
        cluster_mode=cluster["mode"],
        kafka_versions=tuple(cluster["kafka_versions"]),
        hosts=tuple(h["name"] for h in facts.hosts),
        unreachable_hosts=tuple(cluster["unreachable_hosts"]),
        broker_count=len(facts.brokers),
        controller_count=len(facts.controllers),
    )
