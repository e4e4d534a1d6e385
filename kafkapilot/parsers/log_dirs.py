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
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any, Final

import msgspec

from kafkapilot.parsers._lines import content_lines
from kafkapilot.parsers.errors import ParseError

__all__ = ["BrokerLogDirs", "LargestReplicas", "LogDir", "LogDirs", "ReplicaSizes", "parse_log_dirs"]

_BROKERS: Final = '"brokers":['
_DECODER: Final = json.JSONDecoder()
_JSON_LINE: Final = re.compile(r"^[ \t]*\{", re.MULTILINE)
_NAME: Final = itemgetter("partition")
_SIZE: Final = itemgetter("size")
_LAG: Final = itemgetter("offsetLag")
_FUTURE: Final = itemgetter("isFuture")


@dataclass(frozen=True, slots=True)
class LogDir:
    """One log dir of one broker. ``total_bytes`` is the sum of its partition sizes (future
    replicas included)."""

    path: str
    error: str | None
    total_bytes: int
    partition_count: int
    future_partitions: tuple[str, ...] = ()
    max_offset_lag: int = 0


@dataclass(frozen=True, slots=True)
class BrokerLogDirs:
    broker: int
    dirs: tuple[LogDir, ...]


@dataclass(slots=True)
class LargestReplicas:
    """Per partition (``topic-partition``), its largest replica: size, broker, log dir (index into
    ``dirs``) and how many replicas reported a size; one array per field, in order of first
    appearance. Built while reading, a log dir at a time with dict and Counter operations (600,000
    replica entries for 1000 brokers: a Python loop over them would cost a second)."""

    names: list[str] = field(default_factory=list)
    sizes: array[int] = field(default_factory=lambda: array("q"))
    broker: array[int] = field(default_factory=lambda: array("i"))
    dir_index: array[int] = field(default_factory=lambda: array("i"))
    replicas: array[int] = field(default_factory=lambda: array("i"))
    dirs: list[str] = field(default_factory=list)
    _best: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _where: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)
    _counts: Counter[str] = field(default_factory=Counter, repr=False, compare=False)

    def add(self, names: list[str], sizes: list[int], broker: int, path: str) -> None:
        """The replica sizes of one log dir."""
        if path not in self.dirs:
            self.dirs.append(path)
        where = (broker, self.dirs.index(path))
        reported = dict(zip(names, sizes, strict=True))
        known = self._best.get
        larger = {name: size for name, size in reported.items() if size > known(name, -1)}
        self._best.update(larger)
        self._where.update(dict.fromkeys(larger, where))
        self._counts.update(names)

    def finish(self) -> LargestReplicas:
        """Turn what was added into the columns."""
        self.names = list(self._best)
        self.sizes = array("q", self._best.values())
        self.broker = array("i", (w[0] for w in self._where.values()))
        self.dir_index = array("i", (w[1] for w in self._where.values()))
        self.replicas = array("i", map(self._counts.__getitem__, self.names))
        return self

    def size_of(self, name: str) -> int | None:
        """The largest replica size of one partition, or None when no broker reported it."""
        return self._best.get(name)


@dataclass(frozen=True, slots=True)
class ReplicaSizes:
    """Every replica's size as kafka-log-dirs reports it: per log dir, (broker, path, partition
    names, sizes). Kept as reported: merging 600,000 entries into one row per partition costs
    more than the usual question, which partitions hold more than N bytes, needs."""

    dirs: tuple[tuple[int, str, list[str], array[int]], ...] = ()

    def largest(self) -> LargestReplicas:
        """One row per partition: its largest replica (every partition)."""
        merged = LargestReplicas()
        for broker, path, names, sizes in self.dirs:
            merged.add(names, list(sizes), broker, path)
        return merged.finish()

    def larger_than(self, limit: float) -> LargestReplicas:
        """One row per partition whose largest replica holds more than `limit` bytes, with the
        number of its replicas that reported a size; only the large entries are merged."""
        merged = LargestReplicas()
        for broker, path, names, sizes in self.dirs:
            if not sizes or not max(sizes) > limit:  # most dirs hold no large replica: one pass in C
                continue
            large = [i for i, size in enumerate(sizes) if size > limit]
            if large:
                merged.add([names[i] for i in large], [sizes[i] for i in large], broker, path)
        chosen = set(merged._best)  # noqa: SLF001 - our own accumulator
        merged._counts.clear()  # noqa: SLF001 - count every replica of the chosen partitions, not only the large ones
        if chosen:
            for _, _, names, _ in self.dirs:
                merged._counts.update(name for name in names if name in chosen)  # noqa: SLF001
        return merged.finish()


@dataclass(frozen=True, slots=True)
class LogDirs:
    """Brokers sorted by id (dirs by path), and every replica's size."""

    brokers: tuple[BrokerLogDirs, ...] = ()
    replicas: ReplicaSizes = field(default_factory=ReplicaSizes)

    @property
    def largest(self) -> LargestReplicas:
        """The largest replica of every partition."""
        return self.replicas.largest()


def parse_log_dirs(text: str) -> LogDirs:
    """Raises ParseError when there is output but no JSON document with ``brokers``."""
    found = _JSON_LINE.search(text)
    if found is None:
        progress = ("Querying brokers", "Received log directory")
        others = [number for number, line in content_lines(text) if not line.startswith(progress)]
        if others:
            raise ParseError("no log dirs JSON: not kafka-log-dirs output", line=others[0])
        return LogDirs()
    start = found.end() - 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    typed = _typed(text[start:end])
    if typed is not None:
        return typed
    number = text.count("\n", 0, start) + 1
    replicas: list[tuple[int, str, list[str], array[int]]] = []
    brokers = [_broker(item, number, replicas) for item in _broker_items(text, start, end, number)]
    return LogDirs(tuple(sorted(brokers, key=lambda b: b.broker)), ReplicaSizes(tuple(replicas)))


class _Replica(msgspec.Struct, gc=False):
    partition: str
    size: int
    offsetLag: int  # noqa: N815 - the tool's key (required: the general path reads a missing one its own way)
    isFuture: bool = False  # noqa: N815


class _Dir(msgspec.Struct, gc=False):
    logDir: str  # noqa: N815
    error: str | None = None
    partitions: msgspec.Raw = msgspec.Raw(b"null")  # decoded a log dir at a time: fewer objects at once


class _Broker(msgspec.Struct):
    broker: int
    logDirs: list[_Dir] | None = None  # noqa: N815


class _Document(msgspec.Struct):
    brokers: list[_Broker]


_TYPED: Final = msgspec.json.Decoder(_Document)
_TYPED_REPLICAS: Final = msgspec.json.Decoder(list[_Replica] | None)
_REPLICA_NAME: Final = attrgetter("partition")
_REPLICA_SIZE: Final = attrgetter("size")
_REPLICA_LAG: Final = attrgetter("offsetLag")
_REPLICA_FUTURE: Final = attrgetter("isFuture")


def _typed(document: str) -> LogDirs | None:
    """The document as the tool writes it, decoded straight into typed structs (msgspec: a third
    of the json module's time on the 50 MB of a 1000-broker cluster, and no dict per replica);
    None when it is not exactly that shape (the general path below then reads it, or says why not)."""
    try:
        decoded = _TYPED.decode(document)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    replicas: list[tuple[int, str, list[str], array[int]]] = []
    brokers = []
    for broker in decoded.brokers:
        dirs = []
        for entry in broker.logDirs or ():
            try:
                entries = _TYPED_REPLICAS.decode(entry.partitions) or ()
            except (msgspec.DecodeError, msgspec.ValidationError):
                return None
            names = list(map(_REPLICA_NAME, entries))
            try:
                sizes = array("q", map(_REPLICA_SIZE, entries))
            except OverflowError:
                return None
            replicas.append((broker.broker, entry.logDir, names, sizes))
            dirs.append(LogDir(
                path=entry.logDir,
                error=entry.error,
                total_bytes=sum(sizes),
                partition_count=len(names),
                future_partitions=tuple(sorted(r.partition for r in entries if r.isFuture))
                if any(map(_REPLICA_FUTURE, entries)) else (),
                max_offset_lag=max(map(_REPLICA_LAG, entries), default=0),
            ))
        brokers.append(BrokerLogDirs(broker=broker.broker, dirs=tuple(sorted(dirs, key=lambda d: d.path))))
    return LogDirs(tuple(sorted(brokers, key=lambda b: b.broker)), ReplicaSizes(tuple(replicas)))


def _broker_items(text: str, start: int, end: int, number: int) -> Any:
    """The objects of the ``brokers`` array, decoded one at a time from the text itself (a
    1000-broker document is 50 MB: neither it nor all its objects are copied at once)."""
    index = text.find(_BROKERS, start, end)
    if index < 0 or text[start:end].rstrip()[-1:] != "}":
        yield from _whole(text[start:end], number)
        return
    index += len(_BROKERS)
    try:
        while text[index] != "]":
            item, index = _DECODER.raw_decode(text, index)
            yield item
            if text[index] == ",":
                index += 1
    except (ValueError, IndexError):
        yield from _whole(text[start:end], number)


def _whole(document: str, number: int) -> list[Any]:
    try:
        parsed = json.loads(document)
    except ValueError as exc:
        raise ParseError(f"malformed log dirs JSON: {exc}", line=number) from exc
    if not isinstance(parsed, dict) or not isinstance(parsed.get("brokers"), list):
        raise ParseError("JSON without a 'brokers' list", line=number)
    return parsed["brokers"]


def _broker(item: Any, number: int, replicas: list[tuple[int, str, list[str], array[int]]]) -> BrokerLogDirs:
    if not isinstance(item, dict) or not isinstance(item.get("broker"), int):
        raise ParseError("broker entry without a broker id", line=number)
    dirs = [_log_dir(d, number, item["broker"], replicas) for d in item.get("logDirs") or ()]
    return BrokerLogDirs(broker=item["broker"], dirs=tuple(sorted(dirs, key=lambda d: d.path)))


def _log_dir(item: Any, number: int, broker: int, replicas: list[tuple[int, str, list[str], array[int]]]) -> LogDir:
    if not isinstance(item, dict) or not isinstance(item.get("logDir"), str):
        raise ParseError("log dir entry without a path", line=number)
    path = item["logDir"]
    entries = item.get("partitions") or []
    try:  # the tool's own entries, read by map/itemgetter loops in C (600,000 of them at 1000 brokers)
        names = list(map(_NAME, entries))
        sizes = array("q", map(_SIZE, entries))
        lag = max(map(_LAG, entries), default=0)
        future = [p["partition"] for p in entries if p["isFuture"]] if any(map(_FUTURE, entries)) else []
        if not all(map(str.__instancecheck__, names)):
            raise TypeError
    except (KeyError, TypeError, ValueError, OverflowError):  # anything else: one entry at a time
        entries = [p for p in entries if isinstance(p, dict)]
        names = [str(p.get("partition", "")) for p in entries]
        sizes = array("q", [int(p.get("size") or 0) for p in entries])
        lag = max((int(lag) for p in entries if (lag := p.get("offsetLag"))), default=0)
        future = [name for p, name in zip(entries, names, strict=True) if p.get("isFuture")]
    replicas.append((broker, path, names, sizes))
    error = item.get("error")
    return LogDir(
        path=path,
        error=str(error) if error is not None else None,
        total_bytes=sum(sizes),
        partition_count=len(names),
        future_partitions=tuple(sorted(future)),
        max_offset_lag=int(lag),
    )
