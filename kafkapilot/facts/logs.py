"""Log facts: counts of known error patterns in a node's collected log files.

Reads the `log_file` artifacts of one process (log4j text, tail bounded by the collection's
time window) and counts, per node, the log levels and the known patterns of
../shared/research/kafka-checks-catalog.md, section B.10. Deterministic: log content is data,
never instructions, and nothing here depends on what a line asks for.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from kafkapilot.facts.reading import FactReader
from kafkapilot.snapshot.load import Snapshot

__all__ = ["LEVELS", "LOG_PATTERNS", "LogFile", "build_log_facts", "classify", "line_level", "log_files"]

LEVELS: Final = ("FATAL", "ERROR", "WARN")

# name → regex, from the catalogue's Logs section (B.10). One line may match one pattern.
LOG_PATTERNS: Final[dict[str, str]] = {
    "oom": r"java\.lang\.OutOfMemoryError",
    "too_many_open_files": r"Too many open files",
    "storage_failure": (
        r"No space left on device|KafkaStorageException|Stopping serving (?:replicas|logs) in dir"
        r"|Shutdown broker because all log dirs in .* have failed"
    ),
    "corruption": r"(?i:corrupt(?:ed)? (?:index|record))|CorruptRecordException",
    "unclean_election": r"(?i:unclean)",
    "zk_session_expired": r"(?i:session (?:0x[0-9a-f]+ )?(?:has )?expired)|(?i:zookeeper state changed \(Expired\))",
    "controller_failover": r"successfully elected as the controller|Becoming the active controller at epoch",
    "isr_shrink": r"Shrinking ISR from",
    "isr_expand": r"Expanding ISR from",
    "leadership_churn": r"NotLeaderOrFollowerException|NOT_LEADER_OR_FOLLOWER|NotLeaderForPartitionException",
    "invalid_receive": r"InvalidReceiveException",
    "auth_failure": r"Failed authentication with|SslAuthenticationException|SaslAuthenticationException|is Denied Operation",
    "rebalance": r"Preparing to rebalance group",
}

# Lower-case words without which no pattern can match: a cheap gate before the regex (most lines pass no gate).
_GATE: Final = (
    "outofmemoryerror", "too many open files", "no space left", "kafkastorageexception", "stopping serving",
    "have failed", "corrupt", "unclean", "expired", "elected as the controller", "active controller", "isr from",
    "notleader", "not_leader", "invalidreceive", "authentication", "denied operation", "preparing to rebalance",
)
_COMBINED: Final = re.compile("|".join(f"(?P<{name}>{regex})" for name, regex in LOG_PATTERNS.items()))
# log4j's default Kafka layout: "[2026-11-26 13:01:02,345] ERROR message (logger)"; also "2026-… ERROR".
_HEAD: Final = re.compile(r"^\[?(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d+)?)\]?\s+(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b")


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


def log_files(snapshot: Snapshot, host: str, instance: str) -> Iterator[LogFile]:
    """The collected `log_file` artifacts of one process, in a stable order (by path)."""
    for artifact in snapshot.host_artifacts(host, "log_file", instance=instance):
        text = snapshot.text(artifact)
        if text is not None:
            yield LogFile(artifact.key or artifact.source, tuple(text.splitlines()), bool(artifact.truncated))


def build_log_facts(snapshot: Snapshot, reader: FactReader, instance: str) -> dict[str, Any] | None:
    """Levels and known patterns counted over the collected window, or None when no log was collected."""
    host = reader.host or ""
    if not snapshot.host_artifacts(host, "log_file", instance=instance):
        reader.note("logs", "not collected: log_file is not in the snapshot")
        return None
    files = list(log_files(snapshot, host, instance))
    if not files:
        reader.note("logs", "not collected: no log_file artifact has content")
        return None
    levels: Counter[str] = Counter()
    patterns: Counter[str] = Counter()
    stamps: list[str] = []
    for log in files:
        for line in log.lines:
            stamp, level = line_level(line)
            if stamp:
                stamps.append(stamp)
            if level in LEVELS:
                levels[level] += 1
            pattern = classify(line)
            if pattern:
                patterns[pattern] += 1
    return {
        "files": [{"path": f.path, "lines": len(f.lines), "truncated": f.truncated} for f in files],
        "lines": sum(len(f.lines) for f in files),
        "levels": {level: levels.get(level, 0) for level in LEVELS},
        "patterns": {name: patterns.get(name, 0) for name in LOG_PATTERNS},
        "first_timestamp": min(stamps) if stamps else None,
        "last_timestamp": max(stamps) if stamps else None,
    }
