"""GC pause facts of one JVM: stop-the-world pauses read from its collected GC log (`gc_log`).

The collection copies the tail of the file named by ``-Xlog:gc…:file=`` (bounded by bytes
and by its time window); the figures below cover that tail only, from ``first_time`` to
``last_time``.
"""

from __future__ import annotations

import math

from kafkapilot.facts.model import GcFile, GcLongest, GcPauses
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.gc_log import GcPause, parse_gc_log
from kafkapilot.snapshot.load import unavailable_reason

__all__ = ["build_gc_facts", "percentile"]

FACT = "gc_pauses"


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share 0.99 = p99) of the values; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def build_gc_facts(reader: FactReader, instance: str, *, gc_logging: bool | None) -> GcPauses | None:
    """node.gc_pauses, or None with the reason recorded: no GC log, not collected, or unreadable."""
    artifacts = reader.artifacts("gc_log", instance)
    if not artifacts:
        if gc_logging is False:
            reader.note(FACT, "unknown: the JVM writes no GC log (no -Xlog:gc or -Xloggc on its command line)")
        else:
            reader.note(FACT, "not collected: gc_log is not in the snapshot")
        return None
    durations: list[float] = []
    files: list[GcFile] = []
    full_gcs = failures = lines = 0
    times: list[str] = []
    longest: tuple[str, GcPause] | None = None
    for artifact in sorted(artifacts, key=lambda a: a.key or a.source or ""):
        path = artifact.key or artifact.source or "gc log"
        text = reader.text(artifact, source_key="gc_log")
        if text is None:
            reader.note(FACT, unavailable_reason(artifact, "gc_log"))
            return None
        try:
            log = parse_gc_log(text)
        except ParseError as exc:
            reader.note(FACT, f"could not parse gc_log {path}: {exc}")
            return None
        files.append(GcFile(path=path, lines=log.lines, pauses=len(log.durations), truncated=bool(artifact.truncated)))
        durations += log.durations
        full_gcs += log.full_gcs
        if log.longest is not None and (longest is None or log.longest.ms > longest[1].ms):
            longest = (path, log.longest)
        failures += log.evacuation_failures
        lines += log.lines
        times += [t for t in (log.first_time, log.last_time) if t]
    if lines == 0:
        reader.note(FACT, "unknown: the collected GC log is empty")
        return None
    return GcPauses(
        files=files,
        count=len(durations),
        total_ms=round(sum(durations), 3),
        max_ms=max(durations, default=0.0),
        p99_ms=percentile(durations, 0.99) or 0.0,
        full_gcs=full_gcs,
        evacuation_failures=failures,
        longest=GcLongest(gc_id=longest[1].gc_id, kind=longest[1].kind, ms=longest[1].ms, time=longest[1].time,
                          file=longest[0])
        if longest
        else None,
        first_time=min(times) if times else None,
        last_time=max(times) if times else None,
    )
