"""Data over a call's budget is divided across calls: facts in each, raw files and logs in
consecutive line ranges, a line too long alone is cut; nothing is dropped below MAX_PARTS calls."""

from __future__ import annotations

from kafkapilot.llm.budget import MAX_PARTS, budget_for, output_budget, split_to_fit
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


def _lines(parts: list[list[Section]], kind: str) -> list[str]:
    return [line for part in parts for s in part if s.kind == kind for line in s.lines]


def test_what_fits_is_one_call_untouched() -> None:
    sections = _sections()
    parts, rest = split_to_fit(sections, 500, _count)
    assert parts == [sections] and rest == []


def test_what_does_not_fit_is_divided_and_nothing_is_lost() -> None:
    parts, rest = split_to_fit(_sections(), 60, _count)
    assert rest == [] and len(parts) == 4
    assert all(_count(part) <= 60 for part in parts)
    assert all(part[0].kind == "facts" for part in parts)  # the facts go with every call
    assert _lines(parts, "logs") == [f"l{i}" for i in range(100)]  # every line once, in order
    assert _lines(parts, "config") == [f"c{i}" for i in range(50)]
    titles = [s.title for part in parts for s in part if s.kind == "logs"]
    assert titles[0].endswith("[lines 1-45 of 100]") and titles[1].endswith("[lines 46-90 of 100]")


def test_beyond_max_parts_the_rest_is_returned() -> None:
    parts, rest = split_to_fit(_sections(), 20, _count)
    assert len(parts) == MAX_PARTS and sum(len(s.lines) for s in rest) == 150 - MAX_PARTS * 5
    assert rest[0].title.endswith(f"[lines {MAX_PARTS * 5 + 1}-100 of 100]")


def test_a_line_too_long_for_a_call_goes_alone_cut() -> None:
    def by_chars(sections: list[Section]) -> int:
        return sum(len(line) for s in sections for line in s.lines)

    long = Section("logs", "kafka-1", "log", ["x" * 100, "short"], trim="oldest")
    parts, rest = split_to_fit([long], 40, by_chars)
    assert rest == [] and parts[0][0].lines == ["x" * 34 + " [cut]"] and parts[1][0].lines == ["short"]


def test_facts_that_do_not_fit_alone_cannot_be_sent() -> None:
    sections = _sections()
    assert split_to_fit(sections, 12, _count) == ([], sections)


def test_budget_precedence_and_the_answers_room() -> None:
    assert budget_for(20_000, None, 30_000, None) == 20_000
    assert budget_for(20_000, 5_000, 30_000, None) == 5_000
    assert budget_for(None, None, 30_000, 8_192, answer_tokens=1024) == 8_192 - 1024 - 64
    assert output_budget(1024, 2048) == 512 and output_budget(1024, None) == 1024
