"""node.logs: what a node's collected log files say, counted by kafkapilot/parsers/kafka_logs.py."""

from __future__ import annotations

from kafkapilot.facts.model import (
    AuthFailureClient,
    InvalidReceiveSize,
    IsrPartition,
    LogExample,
    LogFileInfo,
    Logs,
    MissingLogFile,
    RebalanceGroup,
)
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers.journal import journal_messages
from kafkapilot.parsers.kafka_logs import (
    EXAMPLE_CHARS,
    EXAMPLES_PER_PATTERN,
    LEVELS,
    LOG_PATTERNS,
    LogFile,
    classify,
    line_level,
    max_in_window,
    summarize_logs,
)
from kafkapilot.snapshot.load import Snapshot, unavailable_reason

__all__ = [
    "EXAMPLES_PER_PATTERN",
    "EXAMPLE_CHARS",
    "LEVELS",
    "LOG_PATTERNS",
    "LogFile",
    "build_log_facts",
    "classify",
    "line_level",
    "log_files",
    "max_in_window",
]


def _files(reader: FactReader, instance: str) -> tuple[list[LogFile], list[MissingLogFile], int]:
    """(log files with content, those without, how many the collection listed). A process with no log file
    (it logs to the console) has its journal as its log, when collected (`journalctl -u UNIT`)."""
    artifacts = reader.artifacts("log_file", instance)
    if all(a.status != "ok" for a in artifacts):  # none, or "no log file found": a console-logging process
        journals = [(a, reader.text(a)) for a in reader.artifacts("journal", instance) if a.status == "ok"]
        found = [LogFile(f"journal:{a.key or a.source}", journal_messages(text), bool(a.truncated))
                 for a, text in journals if text is not None]
        if found:
            return found, [], len(found)
    files: list[LogFile] = []
    missing: list[MissingLogFile] = []
    for artifact in artifacts:
        text = reader.text(artifact)
        path = artifact.key or artifact.source
        if text is None:
            missing.append(MissingLogFile(path=path, reason=unavailable_reason(artifact, "log_file")))
        else:
            files.append(LogFile(path, tuple(text.splitlines()), bool(artifact.truncated)))
    return files, missing, len(artifacts)


def log_files(snapshot: Snapshot, host: str, instance: str) -> list[LogFile]:
    """The collected `log_file` artifacts of one process, in a stable order (by path)."""
    return _files(FactReader(snapshot, host), instance)[0]


def build_log_facts(reader: FactReader, instance: str) -> Logs | None:
    """Levels and known patterns counted over the collected window, or None when no log was collected."""
    files, missing, listed = _files(reader, instance)
    if not listed:
        reader.note("logs", "not collected: log_file is not in the snapshot")
        return None
    if not files:
        reader.note("logs", missing[0].reason if missing else "not collected: no log_file artifact has content")
        return None
    summary = summarize_logs(files)
    return Logs(
        files=[LogFileInfo(**f) for f in summary["files"]],
        missing_files=missing,
        lines=summary["lines"],
        levels=summary["levels"],
        errors=summary["errors"],
        patterns=summary["patterns"],
        pattern_files=summary["pattern_files"],
        examples={name: [LogExample(**e) for e in rows] for name, rows in summary["examples"].items()},
        first_timestamp=summary["first_timestamp"],
        last_timestamp=summary["last_timestamp"],
        window_hours=summary["window_hours"],
        oom_types=summary["oom_types"],
        isr_partitions=[IsrPartition(**p) for p in summary["isr_partitions"]],
        isr_partition_count=summary["isr_partition_count"],
        rebalance_groups=[RebalanceGroup(**g) for g in summary["rebalance_groups"]],
        invalid_receive_sizes=[InvalidReceiveSize(**s) for s in summary["invalid_receive_sizes"]],
        invalid_receive_limit=summary["invalid_receive_limit"],
        auth_failure_clients=[AuthFailureClient(**c) for c in summary["auth_failure_clients"]],
    )
