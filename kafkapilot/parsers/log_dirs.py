"""``kafka-log-dirs.sh --describe``: two progress lines, then one line of JSON::

    Querying brokers for log directories information
    Received log directory information from brokers 1,2,3
    {"version":1,"brokers":[{"broker":1,"logDirs":[{"logDir":"/var/lib/kafka/data",
     "error":null,"partitions":[{"partition":"orders-0","size":123,"offsetLag":0,"isFuture":false}]}]}]}

``error`` is the class name of the exception the broker reported for the directory
(``org.apache.kafka.common.errors.KafkaStorageException`` for an offline dir) or null.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kafkapilot.parsers._lines import content_lines
from kafkapilot.parsers.errors import ParseError

__all__ = ["BrokerLogDirs", "LogDir", "parse_log_dirs"]


@dataclass(frozen=True, slots=True)
class LogDir:
    """``total_bytes`` is the sum of the partition sizes (future replicas included);
    ``partitions`` are (``topic-partition``, size) pairs."""

    path: str
    error: str | None
    total_bytes: int
    partition_count: int
    partitions: tuple[tuple[str, int], ...]
    future_partitions: tuple[str, ...] = ()
    max_offset_lag: int = 0


@dataclass(frozen=True, slots=True)
class BrokerLogDirs:
    broker: int
    dirs: tuple[LogDir, ...]


def parse_log_dirs(text: str) -> tuple[BrokerLogDirs, ...]:
    """Brokers sorted by id, directories by path, partitions by name.

    Raises ParseError when there is output but no JSON document with ``brokers``.
    """
    lines = list(content_lines(text))
    for number, line in lines:
        if not line.lstrip().startswith("{"):
            continue
        try:
            document = json.loads(line)
        except ValueError as exc:
            raise ParseError(f"malformed log dirs JSON: {exc}", line=number) from exc
        if not isinstance(document, dict) or not isinstance(document.get("brokers"), list):
            raise ParseError("JSON without a 'brokers' list", line=number)
        brokers = [_broker(item, number) for item in document["brokers"]]
        return tuple(sorted(brokers, key=lambda b: b.broker))
    progress = ("Querying brokers", "Received log directory")
    others = [number for number, line in lines if not line.startswith(progress)]
    if others:
        raise ParseError("no log dirs JSON: not kafka-log-dirs output", line=others[0])
    return ()


def _broker(item: Any, number: int) -> BrokerLogDirs:
    if not isinstance(item, dict) or not isinstance(item.get("broker"), int):
        raise ParseError("broker entry without a broker id", line=number)
    dirs = [_log_dir(d, number) for d in item.get("logDirs") or ()]
    return BrokerLogDirs(broker=item["broker"], dirs=tuple(sorted(dirs, key=lambda d: d.path)))


def _log_dir(item: Any, number: int) -> LogDir:
    if not isinstance(item, dict) or not isinstance(item.get("logDir"), str):
        raise ParseError("log dir entry without a path", line=number)
    partitions: list[tuple[str, int]] = []
    future: list[str] = []
    max_lag = 0
    for partition in item.get("partitions") or ():
        if not isinstance(partition, dict):
            continue
        name = str(partition.get("partition", ""))
        partitions.append((name, int(partition.get("size") or 0)))
        max_lag = max(max_lag, int(partition.get("offsetLag") or 0))
        if partition.get("isFuture"):
            future.append(name)
    partitions.sort()
    error = item.get("error")
    return LogDir(
        path=item["logDir"],
        error=str(error) if error is not None else None,
        total_bytes=sum(size for _, size in partitions),
        partition_count=len(partitions),
        partitions=tuple(partitions),
        future_partitions=tuple(sorted(future)),
        max_offset_lag=max_lag,
    )
