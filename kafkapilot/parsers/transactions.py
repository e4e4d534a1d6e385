"""``kafka-transactions.sh`` (Kafka 3.0+, org.apache.kafka.tools.TransactionsCommand): ``list``,
``describe --transactional-id ID`` and ``find-hanging --broker-id N``.

Each prints a table with ToolsUtils.prettyPrintTable: a header row, then one row per item, every
cell padded with spaces to its column's width and followed by a tab (samples/transactions_*.txt,
captured from Kafka 3.9.2 and 4.4.0 on the lab). The header names the columns, so the rows are read
by name, and a table whose header lacks a column this parser needs is refused. A transactional id
may hold spaces; the tab separates the cells.

``describe`` prints ``None`` as the start time and duration of a transaction that has none open;
its ``TransactionDurationMs`` is the tool's clock minus the start time when it ran (the collection's
time source for how long a transaction has been open). ``find-hanging`` prints the header alone
when it finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines, optional_int, reject_unrecognised
from kafkapilot.parsers.errors import ParseError

__all__ = [
    "HangingTransaction",
    "TransactionDescription",
    "TransactionListing",
    "parse_hanging_transactions",
    "parse_transaction_describe",
    "parse_transactions_list",
    "table_rows",
]

_LIST: Final = ("TransactionalId", "Coordinator", "ProducerId", "TransactionState")
_DESCRIBE: Final = ("CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch", "TransactionState",
                    "TransactionTimeoutMs", "CurrentTransactionStartTimeMs", "TransactionDurationMs",
                    "TopicPartitions")
_HANGING: Final = ("Topic", "Partition", "ProducerId", "ProducerEpoch", "CoordinatorEpoch", "StartOffset",
                   "LastTimestamp", "Duration(min)")


@dataclass(frozen=True, slots=True)
class TransactionListing:
    """A row of ``list``: one transactional id the coordinators know."""

    transactional_id: str
    coordinator: int | None
    producer_id: int | None
    state: str


@dataclass(frozen=True, slots=True)
class TransactionDescription:
    """The row of ``describe``."""

    transactional_id: str
    coordinator: int | None
    producer_id: int | None
    producer_epoch: int | None
    state: str
    timeout_ms: int | None
    start_time_ms: int | None  # None: no transaction open
    duration_ms: int | None
    partitions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HangingTransaction:
    """A row of ``find-hanging``: a partition with a transaction its coordinator does not know as open."""

    topic: str
    partition: int
    producer_id: int | None
    producer_epoch: int | None
    coordinator_epoch: int | None
    start_offset: int | None
    last_timestamp_ms: int | None
    duration_minutes: int | None


def table_rows(text: str, columns: tuple[str, ...], what: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, column -> cell) of each row of a prettyPrintTable under a header holding `columns`.

    Raises ParseError on rows before a header, a header without a needed column, or a row with fewer
    cells than the header.
    """
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    first_other: int | None = None
    for number, line in content_lines(text):
        cells = [cell.strip() for cell in line.split("\t")]  # the tab after the last cell went with rstrip
        if header is None:
            if cells and cells[0] == columns[0] and "\t" in line:
                missing = [c for c in columns if c not in cells]
                if missing:
                    raise ParseError(f"{what}: the header has no column {', '.join(missing)}", line=number)
                header = cells
            else:
                first_other = first_other or number
            continue
        if len(cells) < len(header):
            if len(header) - len(cells) == 1 and "\t" in line:
                cells.append("")  # an empty last cell (describe's TopicPartitions with none)
            else:
                raise ParseError(f"{what}: a row of {len(cells)} cells under a header of {len(header)}", line=number)
        rows.append((number, dict(zip(header, cells, strict=False))))
    reject_unrecognised(header, first_other, what)
    return rows


def _number(value: str) -> int | None:
    return None if value in ("None", "-1", "") else optional_int(value)


def parse_transactions_list(text: str) -> tuple[TransactionListing, ...]:
    return tuple(
        TransactionListing(transactional_id=row["TransactionalId"], coordinator=optional_int(row["Coordinator"]),
                           producer_id=optional_int(row["ProducerId"]), state=row["TransactionState"])
        for _number_, row in table_rows(text, _LIST, "kafka-transactions list output")
    )


def parse_transaction_describe(text: str) -> tuple[TransactionDescription, ...]:
    """The described transaction (one row; none for empty text)."""
    return tuple(
        TransactionDescription(
            transactional_id=row["TransactionalId"], coordinator=optional_int(row["CoordinatorId"]),
            producer_id=optional_int(row["ProducerId"]), producer_epoch=optional_int(row["ProducerEpoch"]),
            state=row["TransactionState"], timeout_ms=optional_int(row["TransactionTimeoutMs"]),
            start_time_ms=_number(row["CurrentTransactionStartTimeMs"]),
            duration_ms=_number(row["TransactionDurationMs"]),
            partitions=tuple(p.strip() for p in row["TopicPartitions"].split(",") if p.strip()),
        )
        for _line, row in table_rows(text, _DESCRIBE, "kafka-transactions describe output")
    )


def parse_hanging_transactions(text: str) -> tuple[HangingTransaction, ...]:
    found = []
    for number, row in table_rows(text, _HANGING, "kafka-transactions find-hanging output"):
        partition = optional_int(row["Partition"])
        if partition is None:
            raise ParseError(f"partition {row['Partition']!r} is not a number", line=number)
        found.append(HangingTransaction(
            topic=row["Topic"], partition=partition, producer_id=optional_int(row["ProducerId"]),
            producer_epoch=optional_int(row["ProducerEpoch"]), coordinator_epoch=_number(row["CoordinatorEpoch"]),
            start_offset=_number(row["StartOffset"]), last_timestamp_ms=_number(row["LastTimestamp"]),
            duration_minutes=optional_int(row["Duration(min)"]),
        ))
    return tuple(found)
