"""One side of a diff: a snapshot (directory or .tar.gz), analysed here without an LLM, or a JSON report
of this tool, told apart by content. Bad input is a one-line KafkaPilotError naming the file."""

from __future__ import annotations

import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import Catalog
from kafkapilot.diff.state import ClusterState, cluster_state
from kafkapilot.engine import EngineOptions
from kafkapilot.errors import KafkaPilotError
from kafkapilot.facts import Facts
from kafkapilot.findings import Report
from kafkapilot.report.render_json import read_report
from kafkapilot.snapshot.load import MANIFEST_NAME, MAX_ARCHIVE_BYTES

__all__ = ["Side", "load_side", "read_side"]

_REPORT_HINT: Final = "give a snapshot directory or .tar.gz, or a report written by `kafkapilot analyse -r json`"


@dataclass(frozen=True)
class Side:
    """What one side holds: the report always; the cluster state only when it is a snapshot."""

    path: Path
    kind: str  # "snapshot" or "report"
    report: Report
    report_version: str | None  # of a JSON report given as input
    state: ClusterState | None


def read_side(path: Path) -> Side | None:
    """A JSON report read back into the report model; None for a snapshot (analysed by :func:`load_side`).
    Cheap: both sides are read so before either is analysed, and bad input fails at once."""
    if not path.exists():
        raise KafkaPilotError("no such file or directory", where=str(path), hint=_REPORT_HINT)
    if path.is_dir() or tarfile.is_tarfile(path):
        return None
    report, version = _json_report(path)
    return Side(path=path, kind="report", report=report, report_version=version, state=None)


def load_side(path: Path, catalog: Catalog, *, max_archive_bytes: int = MAX_ARCHIVE_BYTES) -> Side:
    """Read `path`: a snapshot is analysed with every enabled task (prompt tasks skipped: no model), a JSON
    report is read back into the report model."""
    return read_side(path) or _snapshot(path, catalog, max_archive_bytes)


def _snapshot(path: Path, catalog: Catalog, max_archive_bytes: int) -> Side:
    states: list[ClusterState] = []

    def keep(facts: Facts) -> None:
        states.append(cluster_state(facts))

    report = analyse(path, catalog, Selection(), EngineOptions(), max_archive_bytes=max_archive_bytes, on_facts=keep)
    return Side(path=path, kind="snapshot", report=report, report_version=None, state=states[0])


def _json_report(path: Path) -> tuple[Report, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KafkaPilotError("not a snapshot or a JSON report (binary content)", where=str(path),
                              hint=_REPORT_HINT) from None
    except OSError as exc:
        raise KafkaPilotError(f"cannot read it: {exc.strerror}", where=str(path)) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        what = "invalid JSON" if text.lstrip().startswith(("{", "[")) else "not a snapshot or a JSON report"
        raise KafkaPilotError(f"{what}: {exc.msg} at line {exc.lineno} column {exc.colno}", where=str(path),
                              hint=_REPORT_HINT) from None
    if not isinstance(document, dict):
        raise KafkaPilotError("not a KafkaPilot report (the JSON is not an object)", where=str(path),
                              hint=_REPORT_HINT)
    if document.get("kind") == "kafkapilot-snapshot":
        raise KafkaPilotError(f"this is a snapshot's {MANIFEST_NAME}", where=str(path),
                              hint=f"give its directory: {path.parent}")
    if "diff_version" in document:
        raise KafkaPilotError("this is a diff, not a report", where=str(path), hint=_REPORT_HINT)
    if "report_version" not in document:
        raise KafkaPilotError("not a KafkaPilot report (no report_version)", where=str(path), hint=_REPORT_HINT)
    return read_report(document, where=str(path)), str(document["report_version"])
