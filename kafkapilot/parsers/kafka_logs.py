"""Kafka's application logs (log4j text): levels and known error patterns, counted per node.

Reads the collected log files of one process (each the tail the collection kept within its
time window) and counts the log levels and the known patterns of
../shared/research/kafka-checks-catalog.md, section B.10, with the first few lines of each
pattern and what some lines name (the partition whose ISR changes, the consumer group that
rebalances, the size of an invalid request, the client that failed to authenticate).
Deterministic: log content is data, never instructions, and nothing here depends on what a
line asks for.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

__all__ = [
    "EXAMPLE_CHARS",
    "EXAMPLES_PER_PATTERN",
    "LEVELS",
    "LOG_PATTERNS",
    "LogFile",
    "classify",
    "line_level",
    "max_in_window",
    "parse_time",
    "summarize_logs",
]

LEVELS: Final = ("FATAL", "ERROR", "WARN")
EXAMPLES_PER_PATTERN: Final = 3  # first lines kept per pattern
EXAMPLE_CHARS: Final = 300  # a kept line is cut to this many characters
TOP_ITEMS: Final = 50  # partitions, groups kept (the worst first)
TOP_VALUES: Final = 10  # request sizes, clients kept (the most frequent first)

# name → regex, from the catalogue's Logs section (B.10). One line may match one pattern.
# Each regex is checked against the lines Kafka 3.x/4.x (and older ZooKeeper-mode brokers) really print;
# a word alone is never enough (every broker prints its configuration, "unclean.leader.election.enable = false"
# included, when it starts).
LOG_PATTERNS: Final[dict[str, str]] = {
    "oom": r"java\.lang\.OutOfMemoryError",
    "too_many_open_files": r"Too many open files",
    "storage_failure": (
        r"No space left on device|KafkaStorageException|Stopping serving (?:replicas|logs) in dir"
        r"|Shutdown broker because all log dirs in .* have failed"
    ),
    "corruption": (
        r"(?i:corrupt(?:ed)? (?:time |offset |transaction )?(?:index|record))|CorruptRecordException"
        r"|(?i:record is corrupt)"
    ),
    # KRaft (PartitionChangeBuilder); ZooKeeper-mode brokers before 2.0 (OfflinePartitionLeaderSelector).
    # ZooKeeper-mode controllers of 2.x and 3.x count unclean elections in a metric and log no such line.
    "unclean_election": r"using an unclean election|No broker in ISR is alive for .*potential data loss",
    "zk_session_expired": r"(?i:session (?:0x[0-9a-f]+ )?(?:has )?expired)|(?i:zookeeper state changed \(Expired\))",
    "controller_failover": r"successfully elected as the controller|Becoming the active controller at epoch",
    "isr_shrink": r"Shrinking ISR (?:for partition \S+ )?from",
    "isr_expand": r"Expanding ISR from",
    "leadership_churn": r"NotLeaderOrFollowerException|NOT_LEADER_OR_FOLLOWER|NotLeaderForPartitionException",
    "invalid_receive": r"InvalidReceiveException",
    "auth_failure": r"Failed authentication with|SslAuthenticationException|SaslAuthenticationException",
    # AclAuthorizer (ZooKeeper mode): "is Denied Operation"; StandardAuthorizer (KRaft): "is Denied operation".
    "authorization_denied": r"is Denied [Oo]peration",
    "rebalance": r"Preparing to rebalance group",
    # One line per start: KafkaRaftServer (KRaft) or KafkaServer (ZooKeeper mode).
    "server_started": r"Kafka Server started \(kafka\.server\.KafkaRaftServer\)"
                      r"|\] started \(kafka\.server\.KafkaServer\)",
}

# Lower-case words without which no pattern can match: a cheap gate before the regex (most lines pass no gate).
_GATE: Final = (
    "outofmemoryerror", "too many open files", "no space left", "kafkastorageexception", "stopping serving",
    "have failed", "corrupt", "unclean election", "potential data loss", "expired", "elected as the controller",
    "active controller", "isr from", "isr for partition", "notleader", "not_leader", "invalidreceive",
    "authentication", "denied operation", "preparing to rebalance", "server started", "] started",
)
_COMBINED: Final = re.compile("|".join(f"(?P<{name}>{regex})" for name, regex in LOG_PATTERNS.items()))
# log4j's default Kafka layout: "[2026-11-26 13:01:02,345] ERROR message (logger)"; also "2026-… ERROR".
_HEAD: Final = re.compile(r"^\[?(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d+)?)\]?"
                          r"\s+(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b")

# ISR changes of one partition, logged by its leader (kafka.cluster.Partition, server.log):
#   [Partition orders-0 broker=1] Shrinking ISR from 1,2,3 to 1,2. Leader: (highWatermark: …). Out of sync replicas: …
#   [Partition orders-0 broker=1] ISR updated to 1,2,3  and version updated to 7    (expansions since Kafka 2.7)
#   [Partition orders-0 broker=1] Expanding ISR from 1,2 to 1,2,3                   (before Kafka 2.7)
#   Partition [orders,0] on broker 1: Shrinking ISR from 1,2,3 to 1,2               (before Kafka 2.0)
# and the ISR a partition starts with when this broker becomes its leader (state.change.logger):
#   [Broker id=1] Leader orders-0 with topic id Some(…) starts at leader epoch 3 from offset 0 … ISR [1,2,3], …
_PARTITION: Final = (r"(?:\[Partition (?P<tp>\S+) broker=\d+\]"
                     r"|Partition \[(?P<topic>[^,\]]+),(?P<part>\d+)\] on broker \d+:)")
_ISR_CHANGE: Final = re.compile(
    _PARTITION + r" (?:(?P<kind>Shrinking|Expanding) ISR (?:for partition \S+ )?"
    r"from \[?(?P<old>[\d,]*)\]? to \[?(?P<new>[\d,]*)"
    r"|ISR updated to \[?(?P<isr>[\d,]*)\]?(?P<under> \(under-min-isr\))?)"
)
_LEADER_ISR: Final = re.compile(r"\] Leader (?P<tp>\S+) with topic id .*? ISR \[(?P<isr>[\d,]*)\]")
_REBALANCE: Final = re.compile(r"Preparing to rebalance group (?P<group>\S+) in state")
_INVALID_RECEIVE: Final = re.compile(r"Invalid receive \(size = (?P<size>-?\d+) larger than (?P<limit>-?\d+)\)")
_AUTH_CLIENT: Final = re.compile(r"Failed authentication with /?(?P<client>[^\s(]+)")
_OOM_TYPE: Final = re.compile(r"java\.lang\.OutOfMemoryError(?::\s*(?P<type>[^:(]+))?")
# First four bytes of a request read as its size: "GET " is 1195725856; a TLS handshake record starts with 0x16 0x03.
_HTTP_SIZES: Final = {int.from_bytes(m.encode(), "big"): m.strip()
                      for m in ("GET ", "POST", "PUT ", "HEAD", "DELE", "OPTI", "PATC")}


@dataclass(frozen=True)
class LogFile:
    """One collected log file of a process: its path on the host and its lines."""

    path: str
    lines: tuple[str, ...]
    truncated: bool = False


def line_level(line: str) -> tuple[str | None, str | None]:
    """(timestamp, level) of a log4j line, or (None, None) for a continuation line."""
    match = _HEAD.match(line)
    if not match:
        return None, None
    level = match.group(2)
    return match.group(1), "WARN" if level == "WARNING" else level


def classify(line: str) -> str | None:
    """The name of the known pattern a line shows, or None."""
    lowered = line.lower()
    if not any(word in lowered for word in _GATE):
        return None
    match = _COMBINED.search(line)
    return match.lastgroup if match else None


def parse_time(stamp: str | None) -> datetime | None:
    """A log4j timestamp ('2026-11-26 13:01:02,345' or '2026-11-26T13:01:02.345') to the second."""
    if not stamp:
        return None
    try:
        return datetime.strptime(stamp[:19].replace("T", " "), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def max_in_window(times: list[datetime], window: timedelta = timedelta(hours=1)) -> int:
    """The largest number of `times` that fall within one `window` (any start)."""
    ordered = sorted(times)
    best = start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().isdigit()]


def _split_partition(name: str) -> tuple[str, int | None]:
    topic, _, index = name.rpartition("-")
    return (topic, int(index)) if topic and index.isdigit() else (name, None)


@dataclass
class _Partition:
    """ISR history of one partition, as this node logged it."""

    name: str
    file: str | None = None
    size: int | None = None
    shrinks: int = 0
    expands: int = 0
    pending: int = 0  # shrinks not yet followed by an expansion
    cycles: int = 0
    cycle_times: list[datetime] = field(default_factory=list)
    min_size: int | None = None
    under_min_isr: bool = False
    dropped: set[int] = field(default_factory=set)
    first: str | None = None
    last: str | None = None

    def _changed(self, stamp: str | None, path: str, size: int) -> None:
        self.file = self.file or path
        self.first = self.first or stamp
        self.last = stamp or self.last
        self.min_size = size if self.min_size is None else min(self.min_size, size)
        self.size = size

    def shrink(self, stamp: str | None, path: str, size: int, dropped: set[int]) -> None:
        self.shrinks += 1
        self.pending += 1
        self.dropped |= dropped
        self._changed(stamp, path, size)

    def expand(self, stamp: str | None, path: str, size: int) -> None:
        self.expands += 1
        if self.pending:
            self.pending -= 1
            self.cycles += 1
            moment = parse_time(stamp)
            if moment is not None:
                self.cycle_times.append(moment)
        self._changed(stamp, path, size)

    def fact(self) -> dict[str, Any]:
        topic, index = _split_partition(self.name)
        return {
            "partition": self.name,
            "topic": topic,
            "index": index,
            "shrinks": self.shrinks,
            "expands": self.expands,
            "cycles": self.cycles,
            # cycles without a readable timestamp count as if they were all in one hour
            "max_cycles_per_hour": max_in_window(self.cycle_times) + self.cycles - len(self.cycle_times),
            "min_isr_size": self.min_size,
            "under_min_isr": self.under_min_isr,
            "dropped_brokers": sorted(self.dropped),
            "file": self.file,
            "first": self.first,
            "last": self.last,
        }


@dataclass
class _IsrTracker:
    """ISR events of one node, applied in time order once every file is read (they span files)."""

    events: list[tuple[str, int, str, re.Match[str]]] = field(default_factory=list)
    expansions: list[tuple[str, str | None, str]] = field(default_factory=list)  # (file, timestamp, line) per expansion

    def feed(self, line: str, stamp: str | None, path: str) -> None:
        match = _ISR_CHANGE.search(line) or _LEADER_ISR.search(line)
        if match:
            self.events.append((stamp or "", len(self.events), path, match))

    def partitions(self) -> list[dict[str, Any]]:
        """Partitions with at least one ISR shrink or expansion, the most flapping first."""
        known: dict[str, _Partition] = {}
        for stamp, _, path, match in sorted(self.events, key=lambda e: (e[0], e[1])):
            groups = match.groupdict()
            name = groups.get("tp") or f"{groups.get('topic')}-{groups.get('part')}"
            partition = known.setdefault(name, _Partition(name))
            size = len(_ids(groups.get("new") or groups.get("isr") or ""))
            when = stamp or None
            if match.re is _LEADER_ISR:  # the ISR a new leader starts with: no change
                partition.size = size
            elif groups.get("kind") == "Shrinking":
                partition.shrink(when, path, size, set(_ids(groups["old"])) - set(_ids(groups["new"])))
            elif groups.get("kind") == "Expanding":
                partition.expand(when, path, size)
            else:  # ISR updated to …: after a shrink this node logged, or an expansion
                partition.under_min_isr |= bool(groups.get("under"))
                if partition.size is not None and size > partition.size:
                    partition.expand(when, path, size)
                    self.expansions.append((path, when, match.string))
                elif partition.size is not None and size < partition.size:
                    partition.shrink(when, path, size, set())
                partition.size = size
        rows = [p.fact() for p in known.values() if p.shrinks or p.expands]
        rows.sort(key=lambda r: (-r["max_cycles_per_hour"], -r["cycles"], -r["shrinks"], r["partition"]))
        return rows


@dataclass
class _Groups:
    """Rebalances per consumer group."""

    times: dict[str, list[datetime]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    first: dict[str, str] = field(default_factory=dict)
    last: dict[str, str] = field(default_factory=dict)

    def add(self, group: str, stamp: str | None) -> None:
        self.counts[group] += 1
        moment = parse_time(stamp)
        if moment is not None:
            self.times.setdefault(group, []).append(moment)
        if stamp:
            self.first.setdefault(group, stamp)
            self.last[group] = stamp

    def facts(self) -> list[dict[str, Any]]:
        rows = [
            {
                "group": group,
                "count": count,
                "max_per_hour": max_in_window(self.times[group]) if self.times.get(group) else count,
                "first": self.first.get(group),
                "last": self.last.get(group),
            }
            for group, count in self.counts.items()
        ]
        rows.sort(key=lambda r: (-r["max_per_hour"], -r["count"], r["group"]))
        return rows[:TOP_ITEMS]


def _looks_like(size: int) -> str | None:
    if size in _HTTP_SIZES:
        return f"an HTTP request ({_HTTP_SIZES[size]})"
    if size >> 24 == 0x16 and (size >> 16) & 0xFF == 0x03:
        return "a TLS handshake (a TLS client on a plaintext listener)"
    return None


@dataclass
class _Reading:
    """Everything counted over one node's files."""

    levels: Counter[str] = field(default_factory=Counter)
    patterns: Counter[str] = field(default_factory=Counter)
    pattern_files: dict[str, Counter[str]] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    first: str | None = None
    last: str | None = None
    isr: _IsrTracker = field(default_factory=_IsrTracker)
    groups: _Groups = field(default_factory=_Groups)
    oom_types: Counter[str] = field(default_factory=Counter)
    receive_sizes: Counter[int] = field(default_factory=Counter)
    receive_limit: int | None = None
    auth_clients: Counter[str] = field(default_factory=Counter)

    def stamp(self, stamp: str) -> None:
        if self.first is None or stamp < self.first:
            self.first = stamp
        if self.last is None or stamp > self.last:
            self.last = stamp

    def match(self, pattern: str, line: str, path: str, stamp: str | None, head: str | None = None) -> None:
        """Count a line of `pattern`; `head` is the timestamped line of its event when `line` continues it."""
        self.patterns[pattern] += 1
        self.pattern_files.setdefault(pattern, Counter())[path] += 1
        kept = self.examples.setdefault(pattern, [])
        if len(kept) < EXAMPLES_PER_PATTERN:
            continued = head is not None and head is not line
            kept.append({
                "file": path,
                "timestamp": stamp,
                "line": line.strip()[:EXAMPLE_CHARS],
                "head": head.strip()[:EXAMPLE_CHARS] if continued and head else None,
            })
        if pattern == "oom":
            found = _OOM_TYPE.search(line)
            kind = (found.group("type") or "").strip() if found else ""
            self.oom_types[kind or "unspecified"] += 1
        elif pattern == "rebalance":
            found = _REBALANCE.search(line)
            if found:
                self.groups.add(found.group("group"), stamp)
        elif pattern == "invalid_receive":
            found = _INVALID_RECEIVE.search(line)
            if found:
                self.receive_sizes[int(found.group("size"))] += 1
                self.receive_limit = int(found.group("limit"))
        elif pattern == "auth_failure":
            found = _AUTH_CLIENT.search(line)
            if found:
                self.auth_clients[found.group("client")] += 1

    def read(self, files: list[LogFile]) -> None:
        """Count every file; an event already read in another file (kafkaServer.out repeats server.log) counts once."""
        seen: set[int] = set()
        for log in files:
            heads: set[int] = set()
            skip = False
            stamp: str | None = None
            event: str | None = None  # the timestamped line the current line belongs to
            for line in log.lines:
                head, level = line_level(line)
                if head:
                    key = hash(line)
                    skip = key in seen
                    heads.add(key)
                    stamp, event = head, line
                    if not skip:
                        self.stamp(head)
                if skip:
                    continue
                if level in LEVELS:
                    self.levels[level] += 1
                pattern = classify(line)
                if pattern:
                    self.match(pattern, line, log.path, stamp, event)
                if "ISR" in line:
                    self.isr.feed(line, stamp, log.path)
            seen |= heads


def _window_hours(first: str | None, last: str | None) -> float | None:
    start, end = parse_time(first), parse_time(last)
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 3600, 2)


def summarize_logs(files: list[LogFile]) -> dict[str, Any]:
    """Levels and known patterns counted over the files of one process (`node.logs` without
    `missing_files`): plain values, rows as dicts."""
    reading = _Reading()
    reading.read(files)
    partitions = reading.isr.partitions()
    # An expansion is also an "ISR updated to" line that grows the ISR (Kafka 2.7 and later print no "Expanding").
    reading.patterns["isr_shrink"] = max(reading.patterns["isr_shrink"], sum(p["shrinks"] for p in partitions))
    if not reading.patterns["isr_expand"]:
        for path, stamp, line in reading.isr.expansions:
            reading.match("isr_expand", line, path, stamp)
    sizes = [
        {"size": size, "count": count, "looks_like": _looks_like(size)}
        for size, count in reading.receive_sizes.most_common(TOP_VALUES)
    ]
    return {
        "files": [{"path": f.path, "lines": len(f.lines), "truncated": f.truncated} for f in files],
        "lines": sum(len(f.lines) for f in files),
        "levels": {level: reading.levels.get(level, 0) for level in LEVELS},
        "errors": reading.levels.get("ERROR", 0) + reading.levels.get("FATAL", 0),
        "patterns": {name: reading.patterns.get(name, 0) for name in LOG_PATTERNS},
        "pattern_files": {name: dict(sorted(reading.pattern_files.get(name, {}).items())) for name in LOG_PATTERNS},
        "examples": {name: reading.examples.get(name, []) for name in LOG_PATTERNS},
        "first_timestamp": reading.first,
        "last_timestamp": reading.last,
        "window_hours": _window_hours(reading.first, reading.last),
        "oom_types": dict(reading.oom_types.most_common()),
        "isr_partitions": partitions[:TOP_ITEMS],
        "isr_partition_count": len(partitions),
        "rebalance_groups": reading.groups.facts(),
        "invalid_receive_sizes": sizes,
        "invalid_receive_limit": reading.receive_limit,
        "auth_failure_clients": [{"client": c, "count": n} for c, n in reading.auth_clients.most_common(TOP_VALUES)],
    }
