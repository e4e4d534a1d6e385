"""A JVM garbage collection log in unified logging format (``-Xlog:gc…``, Java 9 and later).

Kafka's start scripts log ``-Xlog:gc*:file=kafkaServer-gc.log:time,tags:…``; each line
starts with its decorators in brackets, then the message::

    [2026-11-26T15:08:45.648+0000][gc          ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 31M->13M(528M) 3.436ms
    [0.812s][info][gc] GC(12) Pause Full (System.gc()) 24M->8M(64M) 12.001ms
    [gc,phases] GC(3) Y: Pause Mark Start (Major) 0.011ms          (generational ZGC)

A stop-the-world pause is a ``GC(n) Pause …`` message ending with its duration in ms (G1,
Parallel, Serial, ZGC, Shenandoah); the ``gc,start`` line announcing it has no duration
and is not counted. ``To-space exhausted`` and ``(Evacuation Failure)`` mark G1 evacuation
failures. The legacy format of ``-Xloggc`` (Java 8) is not parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Final, NamedTuple

from kafkapilot.parsers._lines import split_lines
from kafkapilot.parsers.errors import ParseError

__all__ = ["GcLog", "GcPause", "parse_gc_log"]

_DECORATORS: Final = re.compile(r"^((?:\[[^\]]*\])+)\s?(.*)$")
_TIME: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?$")
# One decoration: time/utctime, uptime, (up)timemillis/nanos, pid/tid, level, tags (gc,heap) or hostname.
_DECORATION: Final = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}T[\d:.]+(?:[+-]\d{2}:?\d{2}|Z)?|\d+(?:\.\d+)?(?:s|ms|ns)?|[a-z0-9_]+(?:,[a-z0-9_]+)*|[A-Za-z0-9.-]+)$"
)
_EVACUATION_FAILURE: Final = re.compile(r"(?i)to-space exhausted|evacuation failure")
_UNDECORATED: Final = re.compile(r"^(?:GC\(\d+\)|Using (?:G1|Parallel|Serial|The Z Garbage|Shenandoah))")
_GC_ID: Final = re.compile(r"GC\((\d+)\)")
# A pause line's GC id, kind (with the heap sizes) and the duration that ends it. Searched in the
# lines that name a pause and a duration, joined (MULTILINE): nothing in the pattern matches a
# newline, so a match ends where its line ends (`$`) and a line holds at most one.
_PAUSES: Final = re.compile(
    r"GC\((\d+)\)[ \t]+(?:[A-Za-z]+:[ \t]+)?(Pause\b.*[^\s])[ \t]+(\d+(?:\.\d+)?)ms[ \t]*$", re.MULTILINE
)
_HEAP: Final = re.compile(r"\d+[KMGT]?B?->\d+[KMGT]?B?\(\d+[KMGT]?B?\)")
# The time decoration a line starts with (Kafka's `-Xlog:gc*:file=…:time,tags`); a line that starts
# with "[2026-11-26T…]" is unified logging (Java 8's logs start "2026-…: "). The log's first and
# last are its time span: unified logging writes lines in time order.
_TIMED: Final = re.compile(r"\[(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?)\]")


class GcPause(NamedTuple):
    """One stop-the-world pause; ``time`` is the ISO timestamp decorator when the log has one.
    (A tuple: a 1000-broker snapshot holds 120,000 of them.)"""

    gc_id: int
    kind: str
    ms: float
    time: str | None
    full: bool


@dataclass(frozen=True, slots=True)
class GcLog:
    """``lines``: non-empty lines read; ``durations``: every pause's ms in log order, ``full_gcs``
    the `Pause Full` ones, ``longest`` the longest pause; ``evacuation_failures``: GC ids with
    an evacuation failure. ``pauses`` makes the pause of every line (a log holds hundreds; the
    figures above need only their durations) from ``pause_lines``, the lines that may hold one."""

    lines: int
    durations: tuple[float, ...]
    full_gcs: int
    longest: GcPause | None
    evacuation_failures: int
    first_time: str | None
    last_time: str | None
    pause_lines: str = field(default="", repr=False, compare=False)

    @property
    def pauses(self) -> tuple[GcPause, ...]:
        """Every pause, in log order."""
        decorations = _Decorations()
        return tuple(_pause(self.pause_lines, found, decorations) for found in _PAUSES.finditer(self.pause_lines))


@dataclass(slots=True)
class _Decorations:
    """Splits decorated lines; decorations other than times repeat (tags, levels, pid): each is checked once."""

    known: dict[str, bool] = field(default_factory=dict)
    prefixes: dict[str, bool] = field(default_factory=dict)

    def time_of(self, prefix: str) -> str | None:
        """The time decoration of the text before a line's message, or None (no time, or not
        unified logging decorations). What follows the time repeats (`[gc          ] `): checked once."""
        rest, time = prefix, None
        if prefix[1:2].isdigit():
            end = prefix.find("]")
            if end > 0 and _TIME.match(prefix[1:end]):
                rest, time = prefix[end + 1 :], prefix[1:end]
        valid = self.prefixes.get(rest)
        if valid is None:
            valid = self.split(rest.rstrip() + " message")[0] if rest.strip() else True
            if len(self.prefixes) > 1000:  # uptimes are unique too: keep the memo small
                self.prefixes.clear()
            self.prefixes[rest] = valid
        return time if valid and prefix.startswith("[") else None

    def split(self, line: str) -> tuple[bool, str | None, str]:
        """(decorated, time decoration, message) of one line."""
        decorated = _DECORATORS.match(line) if line.startswith("[") else None
        if not decorated:
            return False, None, line
        time: str | None = None
        for raw in decorated.group(1)[1:-1].split("]["):
            decoration = raw.strip()
            if time is None and decoration[:1].isdigit() and _TIME.match(decoration):
                time = decoration
                continue
            valid = self.known.get(decoration)
            if valid is None:
                valid = self.known[decoration] = _DECORATION.match(decoration) is not None
                if len(self.known) > 1000:  # uptimes are unique too: keep the memo small
                    self.known.clear()
            if not valid:  # e.g. Java 8's "[Eden: 24.0M(24.0M)->0.0B(…)]" or "[Times: user=…]"
                return False, None, line
        return True, time, decorated.group(2)


def parse_gc_log(text: str) -> GcLog:
    """Pauses in log order. Raises ParseError when there are lines but none of unified logging.

    Per line, only string tests in C (a 1000-broker snapshot holds a thousand logs of hundreds of
    lines): the lines that name a pause and a duration are joined and one regex reads them; only
    the lines that name an evacuation failure are split into decorations and message in Python.
    """
    lines = split_lines(text)
    if "\r" in text or text.startswith("\ufeff"):
        text = "\n".join(lines)
    decorations = _Decorations()
    nonblank = len(lines) - lines.count("") - sum(map(str.isspace, lines))
    if nonblank and not any(_recognised(line.rstrip(), decorations) for line in lines if line and not line.isspace()):
        first = next(number for number, line in enumerate(lines, start=1) if line and not line.isspace())
        raise ParseError("not a GC log in JVM unified logging format (-Xlog:gc)", line=first)
    pause_lines = "\n".join([line for line in lines if "Pause" in line and "ms" in line])
    pauses = list(_PAUSES.finditer(pause_lines))
    durations = tuple(map(float, map(itemgetter(3), pauses)))
    full = sum(map(str.startswith, map(itemgetter(2), pauses), repeat("Pause Full")))
    longest = max(range(len(durations)), key=durations.__getitem__, default=None)  # the first of the longest
    failures: set[str] = set()
    if "xhausted" in text or "ailure" in text:
        for number, line in enumerate(lines, start=1):
            if (("xhausted" in line or "ailure" in line)
                    and _EVACUATION_FAILURE.search(message := decorations.split(line.rstrip())[2])):
                gc_id = _GC_ID.search(message)
                failures.add(gc_id.group(1) if gc_id else f"line {number}")
    first_time = next((found.group(1) for line in lines if (found := _TIMED.match(line))), None)
    last_time = next((found.group(1) for line in reversed(lines) if (found := _TIMED.match(line))), None)
    return GcLog(
        lines=nonblank,
        durations=durations,
        full_gcs=full,
        longest=_pause(pause_lines, pauses[longest], decorations) if longest is not None else None,
        evacuation_failures=len(failures),
        first_time=first_time,
        last_time=last_time,
        pause_lines=pause_lines,
    )


def _pause(text: str, found: re.Match[str], decorations: _Decorations) -> GcPause:
    """The pause of a `[decorations] GC(n) [Y: ]Pause <kind> [heap before->after(size)] <ms>ms` line
    (`found` in `text` by _PAUSES)."""
    gc_id, kind, duration = found.groups()
    before, _, token = kind.rstrip().rpartition(" ")
    if "->" in token and _HEAP.fullmatch(token):
        kind = before
    kind = kind.strip()
    line_start = text.rfind("\n", 0, found.start()) + 1
    time = decorations.time_of(text[line_start : found.start()]) if found.start() > line_start else None
    return GcPause(int(gc_id), kind, float(duration), time, kind.startswith("Pause Full"))


def _recognised(line: str, decorations: _Decorations) -> bool:
    return decorations.split(line)[0] or _UNDECORATED.match(line) is not None
