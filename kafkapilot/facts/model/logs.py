"""What a node's GC log and application logs say (`node.gc_pauses`, `node.logs`)."""

from __future__ import annotations

from dataclasses import dataclass

from kafkapilot.facts.model.base import Record, fact

__all__ = [
    "AuthFailureClient",
    "GcFile",
    "GcLongest",
    "GcPauses",
    "InvalidReceiveSize",
    "IsrPartition",
    "LogExample",
    "LogFileInfo",
    "Logs",
    "MissingLogFile",
    "RebalanceGroup",
]


@dataclass(slots=True, kw_only=True)
class GcFile(Record):
    """One collected GC log file."""

    path: str = fact("its path on the host")
    lines: int = fact("non-empty lines read", default=0)
    pauses: int = fact("pauses found", default=0)
    truncated: bool = fact("the collection kept only its tail", default=False)


@dataclass(slots=True, kw_only=True)
class GcLongest(Record):
    """The longest pause."""

    gc_id: int = fact("the `GC(n)` number")
    kind: str = fact("`Pause Full (G1 Compaction Pause)` …")
    ms: float = fact("duration", unit="ms")
    time: str | None = fact("its ISO timestamp decorator")
    file: str = fact("the GC log file")


@dataclass(slots=True, kw_only=True)
class GcPauses(Record):
    """Stop-the-world pauses in the collected GC log (`kafkapilot/facts/gc.py`, parser
    `kafkapilot/parsers/gc_log.py`): a pause is a `GC(n) Pause …` message that ends with its
    duration (`… 31M->13M(528M) 103.436ms`; G1, Parallel, Serial, ZGC and Shenandoah log them
    so), not the `gc,start` line that announces it."""

    files: list[GcFile] = fact("one per collected GC log file", factory=list)
    count: int = fact("pauses found", default=0)
    total_ms: float = fact("sum of the pauses; 0.0 without pauses", unit="ms", default=0.0)
    max_ms: float = fact("longest pause; 0.0 without pauses", unit="ms", default=0.0)
    p99_ms: float = fact(
        "99th percentile (nearest rank; the longest when there are fewer than 100); 0.0 without pauses",
        unit="ms",
        default=0.0,
    )
    full_gcs: int = fact("`Pause Full` pauses", default=0)
    evacuation_failures: int = fact("GCs with `To-space exhausted` or `(Evacuation Failure)` (G1)", default=0)
    longest: GcLongest | None = fact("the longest pause")
    first_time: str | None = fact("first ISO timestamp decorator in the log (`None` without the `time` decorator)")
    last_time: str | None = fact("last ISO timestamp decorator in the log")


@dataclass(slots=True, kw_only=True)
class LogFileInfo(Record):
    """One collected log file."""

    path: str = fact("its path on the host")
    lines: int = fact("lines read", default=0)
    truncated: bool = fact("the collection kept only its tail", default=False)


@dataclass(slots=True, kw_only=True)
class MissingLogFile(Record):
    """A log file the collection listed without content."""

    path: str = fact("its path on the host")
    reason: str = fact("why it has no content (denied, failed …)")


@dataclass(slots=True, kw_only=True)
class LogExample(Record):
    """One line that matched a pattern."""

    file: str = fact("the file it is in")
    timestamp: str | None = fact("the log4j timestamp of its event")
    line: str = fact("the line, cut to 300 characters")
    head: str | None = fact(
        "the timestamped line of the event when the match is a continuation line (the "
        "`java.lang.OutOfMemoryError: …` line of a stack trace), else `None`"
    )


@dataclass(slots=True, kw_only=True)
class IsrPartition(Record):
    """A partition this node led whose ISR shrank or grew, from the leader's `[Partition orders-0
    broker=1] Shrinking ISR from 1,2,3 to 1,2. …`, `… ISR updated to 1,2,3  and version updated
    to 7` (an expansion when the ISR grew), `Expanding ISR from …` and the older `Partition
    [orders,0] on broker 1: …`, applied in time order across the files (the ISR a partition
    starts with comes from the state-change log's `Leader orders-0 … ISR [1,2,3]`)."""

    partition: str = fact("`orders-0`")
    topic: str = fact("`orders`")
    index: int | None = fact("0")
    shrinks: int = fact("ISR shrinks logged", default=0)
    expands: int = fact("ISR expansions logged", default=0)
    cycles: int = fact("shrinks followed by an expansion", default=0)
    max_cycles_per_hour: int = fact("the most cycles within any 60 minutes", default=0)
    min_isr_size: int | None = fact("the smallest ISR seen")
    under_min_isr: bool = fact("an `ISR updated to … (under-min-isr)` line was seen", default=False)
    dropped_brokers: list[int] = fact("brokers removed by the shrinks", factory=list)
    file: str | None = fact("the file of the first change")
    first: str | None = fact("timestamp of the first change")
    last: str | None = fact("timestamp of the last change")


@dataclass(slots=True, kw_only=True)
class RebalanceGroup(Record):
    """A consumer group this node coordinated (`Preparing to rebalance group G`)."""

    group: str = fact("group id")
    count: int = fact("rebalances logged", default=0)
    max_per_hour: int = fact("the largest number within any 60 minutes", default=0)
    first: str | None = fact("timestamp of the first")
    last: str | None = fact("timestamp of the last")


@dataclass(slots=True, kw_only=True)
class InvalidReceiveSize(Record):
    """A size of `InvalidReceiveException: Invalid receive (size = N …)`."""

    size: int = fact("the size the broker read", unit="bytes")
    count: int = fact("lines with that size", default=0)
    looks_like: str | None = fact(
        "`an HTTP request (GET)` when the size is the text of an HTTP method, `a TLS handshake (…)` when it "
        "starts with 0x1603, else `None`"
    )


@dataclass(slots=True, kw_only=True)
class AuthFailureClient(Record):
    """A client of `Failed authentication with /ADDRESS`."""

    client: str = fact("its address")
    count: int = fact("lines naming it", default=0)


@dataclass(slots=True, kw_only=True)
class Logs(Record):
    """`kafkapilot/facts/logs.py` reads every `log_file` artifact of the process (server.log,
    controller.log, state-change.log, kafka-authorizer.log, kafkaServer.out, rotated files; each
    the tail the collection kept within its time window) and counts what it finds. Log text is
    data: nothing in a line changes how it is read. An event (a timestamped line and the lines
    that continue it) already read in another file of the same process is counted once
    (kafkaServer.out repeats server.log)."""

    files: list[LogFileInfo] = fact("one per collected log file, by path", factory=list)
    missing_files: list[MissingLogFile] = fact("log files the collection listed without content", factory=list)
    lines: int = fact("lines read", default=0)
    levels: dict[str, int] = fact("`{FATAL, ERROR, WARN}` → lines of that level", factory=dict)
    errors: int = fact("ERROR + FATAL lines", default=0)
    patterns: dict[str, int] = fact(
        "lines per known pattern (below); every name is present, 0 when not seen", factory=dict
    )
    pattern_files: dict[str, dict[str, int]] = fact(
        "per pattern, `{path: lines}` of the files it was seen in (`{}` when not seen)", factory=dict
    )
    examples: dict[str, list[LogExample]] = fact(
        "per pattern, the first 3 matching lines. Not given to a model in `{facts}`", factory=dict
    )
    first_timestamp: str | None = fact("first log4j timestamp read (`2026-11-26 13:01:02,345`)")
    last_timestamp: str | None = fact("last log4j timestamp read")
    window_hours: float | None = fact("hours between them", unit="hours")
    oom_types: dict[str, int] = fact(
        "what ran out, from the text after `OutOfMemoryError:` (`Java heap space`, `Direct buffer memory`, "
        "`Map failed`, `unable to create native thread`, `Metaspace` …; `unspecified` without text)",
        factory=dict,
    )
    isr_partitions: list[IsrPartition] = fact(
        "partitions this node led whose ISR shrank or grew, the most flapping first (at most 50)", factory=list
    )
    isr_partition_count: int = fact("all such partitions", default=0)
    rebalance_groups: list[RebalanceGroup] = fact(
        "per consumer group this node coordinated, the busiest first (at most 50)", factory=list
    )
    invalid_receive_sizes: list[InvalidReceiveSize] = fact(
        "sizes of invalid requests, the most frequent first (at most 10)", factory=list
    )
    invalid_receive_limit: int | None = fact("the limit those lines name (`socket.request.max.bytes`)", unit="bytes")
    auth_failure_clients: list[AuthFailureClient] = fact(
        "clients that failed to authenticate, the most frequent first (at most 10)", factory=list
    )
