"""kafka-transactions.sh list, describe and find-hanging (samples/transactions_*.txt: the lab's Kafka 3.9.2,
the same on 4.4.0; the find-hanging rows from the tool's bytecode)."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.transactions import (
    HangingTransaction,
    TransactionDescription,
    TransactionListing,
    parse_hanging_transactions,
    parse_transaction_describe,
    parse_transactions_list,
)
from tests.unit.parsers._samples import sample


def test_list_reads_each_transactional_id_with_its_state_and_keeps_spaces_in_ids() -> None:
    assert parse_transactions_list(sample("transactions_list.txt")) == (
        TransactionListing("kp-open-txn", 2, 1000, "Ongoing"),)
    listed = parse_transactions_list(sample("transactions_list_states.txt"))
    assert [(t.transactional_id, t.state) for t in listed] == [
        ("orders-writer 1", "Ongoing"), ("audit-sink", "CompleteCommit"), ("payments-tx", "PrepareAbort"),
        ("idle", "Empty")]


def test_describe_gives_the_duration_the_tool_measured_and_the_partitions() -> None:
    assert parse_transaction_describe(sample("transactions_describe.txt")) == (TransactionDescription(
        transactional_id="kp-open-txn", coordinator=2, producer_id=1000, producer_epoch=0, state="Ongoing",
        timeout_ms=900000, start_time_ms=1796200666041, duration_ms=96653, partitions=("orders-10",)),)


def test_describe_of_a_transactional_id_with_nothing_open_has_no_start_and_no_partition() -> None:
    text = sample("transactions_describe.txt").replace("Ongoing         ", "Empty           ").replace(
        "1796200666041                ", "None                         ").replace(
        "96653                ", "None                 ").replace("orders-10      ", "               ")
    (row,) = parse_transaction_describe(text)
    assert (row.state, row.start_time_ms, row.duration_ms, row.partitions) == ("Empty", None, None, ())


def test_find_hanging_rows_and_its_header_alone() -> None:
    assert parse_hanging_transactions(sample("transactions_find_hanging_none.txt")) == ()
    rows = parse_hanging_transactions(sample("transactions_find_hanging.txt"))
    assert rows[0] == HangingTransaction("payments", 3, 4001, 7, 12, 518233, 1796190000000, 186)
    assert [r.partition for r in rows] == [3, 5]


def test_a_header_without_a_needed_column_is_refused_naming_it() -> None:
    text = "TransactionalId\tCoordinator\tTransactionState\t\nx\t1\tOngoing\t\n"
    with pytest.raises(ParseError, match="no column ProducerId") as caught:
        parse_transactions_list(text)
    assert caught.value.line == 1


def test_a_short_row_is_an_error_naming_its_line() -> None:
    text = sample("transactions_list.txt") + "broken\t1\n"
    with pytest.raises(ParseError, match="a row of 2 cells under a header of 4") as caught:
        parse_transactions_list(text)
    assert caught.value.line == 3


def test_another_tool_s_error_is_not_a_table() -> None:
    with pytest.raises(ParseError, match="not kafka-transactions list output"):
        parse_transactions_list("Error: unknown command `list`\n")
