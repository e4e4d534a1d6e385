"""Fitting data in a budget: the oldest log lines go first, then the end of raw files, never the facts."""

from __future__ import annotations

from kafkapilot.llm.budget import OUTPUT_RESERVE, budget_for, fit, left_out
from kafkapilot.llm.data import Section


def _count(sections: list[Section]) -> int:
    return 10 + sum(len(s.lines) for s in sections)  # one token per line, 10 for the rest


def _sections() -> list[Section]:
    return [
        Section("facts", None, "facts", ["f"] * 5, trim="never"),
        Section("logs", "kafka-1", "kafka-1 log /var/log/kafka/server.log: 100 of 900 lines",
                [f"l{i}" for i in range(100)], trim="oldest"),
        Section("config", "kafka-1", "kafka-1 server_properties (/etc/kafka/server.properties)",
                [f"c{i}" for i in range(50)]),
    ]


def test_fits_untouched() -> None:
    sections = _sections()
    assert fit(sections, 500, _count) == (165, None)
    assert left_out(sections, 500) == []


def test_oldest_log_lines_go_first() -> None:
    sections = _sections()
    tokens, problem = fit(sections, 120, _count)
    assert problem is None and tokens <= 120
    logs = sections[1]
    assert logs.lines[-1] == "l99" and logs.lines[0] != "l0" and len(sections[2].lines) == 50
    assert left_out(sections, 120) == [f"kafka-1: {logs.dropped} oldest of 100 lines of logs (log "
                                       "/var/log/kafka/server.log) to fit 120 tokens"]


def test_then_the_end_of_raw_files() -> None:
    sections = _sections()
    tokens, problem = fit(sections, 40, _count)
    assert problem is None and tokens <= 40
    assert sections[1].lines == [] and sections[2].lines[0] == "c0" and sections[0].lines == ["f"] * 5


def test_facts_are_never_cut() -> None:
    sections = _sections()
    tokens, problem = fit(sections, 12, _count)
    assert problem == "the data does not fit in 12 tokens even without logs and raw files (15 tokens)"
    assert tokens == 15


def test_budget_precedence() -> None:
    assert budget_for(20_000, None, 30_000, None) == 20_000
    assert budget_for(20_000, 5_000, 30_000, None) == 5_000
    assert budget_for(None, None, 30_000, 8_192) == 8_192 - OUTPUT_RESERVE
