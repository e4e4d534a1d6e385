"""A JVM garbage collection log in unified logging format (``-Xlog:gc…``, Java 9 and later).

Kafka's start scripts log ``-Xlog:gc*:file=kafkaServer-gc.log:time,tags:…``; each line
starts with its decorators in brackets, then the message::

    [2026-11-26T15:08:45.648+0000][gc          ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 31M->13M(528M) 103.436ms
    [0.812s][info][gc] GC(12) Pause Full (System.gc()) 24M->8M(64M) 12.001ms
    [gc,phases] GC(3) Y: Pause Mark Start (Major) 0.011ms          (generational ZGC)

A stop-the-world pause is a ``GC(n) Pause …`` message ending with its duration in ms (G1,
Parallel, Serial, ZGC, Shenandoah); the ``gc,start`` line announcing it has no duration
and is not counted. ``To-space exhausted`` and ``(Evacuation Failure)`` mark G1 evacuation
failures. The legacy format of ``-Xloggc`` (Java 8) is not parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import split_lines
from kafkapilot.parsers.errors import ParseError

__all__ = ["GcLog", "GcPause", "parse_gc_log"]

_DECORATORS: Final = re.compile(r"^((?:\[[^\]]*\])+)\s?(.*)$")
_TIME: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?$")
# One decoration: time/utctime, uptime, (up)timemillis/nanos, pid/tid, level, tags (gc,heap) or hostname.
_DECORATION: Final = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}T[\d:.]+(?:[+-]\d{2}:?\d{2}|Z)?|\d+(?:\.\d+)?(?:s|ms|ns)?|[a-z0-9_]+(?:,[a-z0-9_]+)*|[A-Za-z0-9.-]+)$"
)
_PAUSE: Final = re.compile(
    r"GC\((?P<id>\d+)\)\s+(?:[A-Za-z]+:\s+)?(?P<kind>Pause\b.*?)"
    r"(?:\s+\d+[KMGT]?B?->\d+[KMGT]?B?\(\d+[KMGT]?B?\))?\s+(?P<ms>\d+(?:\.\d+)?)ms\s*$"
)
_EVACUATION_FAILURE: Final = re.compile(r"(?i)to-space exhausted|evacuation failure")
_UNDECORATED: Final = re.compile(r"^(?:GC\(\d+\)|Using (?:G1|Parallel|Serial|The Z Garbage|Shenandoah))")


@dataclass(frozen=True, slots=True)
class GcPause:
    """One stop-the-world pause; ``time`` is the ISO timestamp decorator when the log has one."""

    gc_id: int
    kind: str
    ms: float
    time: str | None
    full: bool


@dataclass(frozen=True, slots=True)
class GcLog:
    """``lines``: non-empty lines read; ``evacuation_failures``: GC ids with an evacuation failure."""

    lines: int
    pauses: tuple[GcPause, ...]
    evacuation_failures: int
    first_time: str | None
    last_time: str | None


def parse_gc_log(text: str) -> GcLog:
    """Pauses in log order. Raises ParseError when there are lines but none of unified logging."""
    pauses: list[GcPause] = []
    failures: set[str] = set()
    times: list[str] = []
    lines = 0
    recognised = False
    first_line: int | None = None
    known: dict[str, bool] = {}  # decorations other than times repeat (tags, levels, pid): checked once
    for number, raw in enumerate(split_lines(text), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        lines += 1
        first_line = first_line or number
        decorated = _DECORATORS.match(line) if line.startswith("[") else None
        time: str | None = None
        if decorated:
            for decoration in decorated.group(1)[1:-1].split("]["):
                decoration = decoration.strip()
                if time is None and decoration[:1].isdigit() and _TIME.match(decoration):
                    time = decoration
                    continue
                valid = known.get(decoration)
                if valid is None:
                    valid = known[decoration] = _DECORATION.match(decoration) is not None
                    if len(known) > 1000:  # uptimes are unique too: keep the memo small
                        known.clear()
                if not valid:  # e.g. Java 8's "[Eden: 24.0M(24.0M)->0.0B(…)]" or "[Times: user=…]"
                    decorated, time = None, None
                    break
        message = line
        if decorated:
            recognised = True
            message = decorated.group(2)
            if time is not None:
                times.append(time)
        elif _UNDECORATED.match(line):
            recognised = True
        pause = _PAUSE.search(message) if "Pause" in message and message.endswith("ms") else None
        if pause:
            kind = pause.group("kind").strip()
            pauses.append(GcPause(int(pause.group("id")), kind, float(pause.group("ms")), time, kind.startswith("Pause Full")))
        lowered = message.lower()
        if ("exhausted" in lowered or "evacuation failure" in lowered) and _EVACUATION_FAILURE.search(message):
            gc_id = re.search(r"GC\((\d+)\)", message)
            failures.add(gc_id.group(1) if gc_id else f"line {number}")
    if lines and not recognised:
        raise ParseError("not a GC log in JVM unified logging format (-Xlog:gc)", line=first_line)
    return GcLog(
        lines=lines,
        pauses=tuple(pauses),
        evacuation_failures=len(failures),
        first_time=min(times) if times else None,
        last_time=max(times) if times else None,
    )
