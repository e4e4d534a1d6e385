"""journalctl -o short-iso of a console-logging broker: the log4j lines after journald's prefix."""

from __future__ import annotations

from kafkapilot.parsers.journal import journal_messages


def test_the_messages_are_the_log4j_lines_with_their_stack_traces() -> None:
    text = ("-- Journal begins at Thu 2026-11-26 09:11:58 UTC, ends at Thu 2026-11-26 13:29:30 UTC. --\n"
            "2026-12-02T08:38:51+0000 kafka-3 java[235]: [2026-12-02 08:38:51,781] INFO Created log (LogManager)\n"
            "2026-12-02T08:38:52+00:00 kafka-3 java[235]: org.apache.kafka.common.network.InvalidReceiveException: x\n"
            "2026-12-02T08:38:52+0000 kafka-3 java[235]: \tat org.apache.kafka.common.network.NetworkReceive.readFrom\n"
            "2026-12-02T08:40:00+0000 kafka-3 systemd[1]: Stopping kafka.service - Apache Kafka...\n"
            "-- No entries --\n")
    assert journal_messages(text) == (
        "[2026-12-02 08:38:51,781] INFO Created log (LogManager)",
        "org.apache.kafka.common.network.InvalidReceiveException: x",
        "\tat org.apache.kafka.common.network.NetworkReceive.readFrom",
        "Stopping kafka.service - Apache Kafka...",
    )


def test_an_empty_journal_has_no_message() -> None:
    assert journal_messages("-- No entries --\n") == ()
