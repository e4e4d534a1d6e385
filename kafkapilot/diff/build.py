"""A whole diff: both sides read, their findings paired, their changes compared. No printing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kafkapilot import __version__
from kafkapilot.catalog.load import Catalog
from kafkapilot.diff.changes import Changes, compare_states, not_compared
from kafkapilot.diff.load_side import Side, load_side, read_side
from kafkapilot.diff.match_findings import FindingsDiff, match_findings
from kafkapilot.snapshot.load import MAX_ARCHIVE_BYTES

__all__ = ["DIFF_FORMAT_VERSION", "Diff", "SideInfo", "build_diff"]

DIFF_FORMAT_VERSION: Final = "1.0"
"""Version of the diff's JSON shape (`diff_version`, the schema's const): minor up when keys are added, major
when any is changed or removed."""


@dataclass(frozen=True)
class SideInfo:
    """What the diff says about one side."""

    path: str
    kind: str  # snapshot or report
    format_version: str  # of the snapshot (for a report: of the snapshot it analysed)
    report_version: str | None  # of a report given as input
    collected_at: str | None
    cluster_name: str | None
    health_score: int


@dataclass(frozen=True)
class Diff:
    """Everything one diff found. Renderers take this and nothing else."""

    kafkapilot_version: str
    generated_at: str
    old: SideInfo
    new: SideInfo
    findings: FindingsDiff
    changes: Changes


def _info(side: Side) -> SideInfo:
    snapshot = side.report.snapshot
    return SideInfo(path=str(side.path), kind=side.kind, format_version=snapshot.format_version,
                    report_version=side.report_version, collected_at=snapshot.collected_at,
                    cluster_name=snapshot.cluster_name, health_score=side.report.summary.health_score)


def build_diff(old_path: Path, new_path: Path, catalog: Catalog, *, max_archive_bytes: int = MAX_ARCHIVE_BYTES,
               now: dt.datetime | None = None) -> Diff:
    """Read OLD and NEW (snapshots or JSON reports) and compare them."""
    old, new = read_side(old_path), read_side(new_path)  # bad input on either side fails before any analysis
    old = old or load_side(old_path, catalog, max_archive_bytes=max_archive_bytes)
    new = new or load_side(new_path, catalog, max_archive_bytes=max_archive_bytes)
    if old.state is not None and new.state is not None:
        changes = compare_states(old.state, new.state)
    else:
        changes = not_compared(old.kind, new.kind, old.report.snapshot.collected_at, new.report.snapshot.collected_at)
    generated = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Diff(kafkapilot_version=__version__, generated_at=generated, old=_info(old), new=_info(new),
                findings=match_findings(old.report.findings, new.report.findings), changes=changes)
