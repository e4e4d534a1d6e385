"""Data over a call's budget is divided across calls: facts in each, raw files and logs in
consecutive line ranges, a line too long alone is cut; nothing is dropped below MAX_PARTS calls."""

from __future__ import annotations

import json

from kafkapilot.llm.budget import MAX_PARTS, budget_for, output_budget, split_to_fit
from kafkapilot.llm.data import Section
from kafkapilot.llm.facts_view import fact_lines


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


def test_facts_too_large_to_go_with_every_call_are_divided_first() -> None:
    parts, rest = split_to_fit(_sections(), 12, _count)
    assert len(parts) == MAX_PARTS and all(_count(part) <= 12 for part in parts)
    assert _lines(parts, "facts") == ["f"] * 5  # each fact once, before the rest
    sent = _lines(parts, "logs")
    assert sent == [f"l{i}" for i in range(len(sent))] and rest[0].lines[0] == f"l{len(sent)}"  # in order
    assert [s.kind for s in parts[0]] == ["facts"]


def test_when_not_one_character_of_data_fits_nothing_is_sent() -> None:
    sections = _sections()
    assert split_to_fit(sections, 10, _count) == ([], sections)  # the prompt alone takes the budget


def test_budget_precedence_and_the_answers_room() -> None:
    assert budget_for(20_000, None, 30_000, None) == 20_000
    assert budget_for(20_000, 5_000, 30_000, None) == 5_000
    assert budget_for(None, None, 30_000, 8_192, answer_tokens=1024) == 8_192 - 1024 - 64
    assert output_budget(1024, 2048) == 512 and output_budget(1024, None) == 1024


def test_a_large_view_is_given_key_by_key_and_every_value_survives() -> None:
    view = {"config": {f"k{i}": "v" * 50 for i in range(40)}, "jvm": {"xmx_bytes": 1 << 30},
            "df": [{"mount": f"/d{i}", "use_percent": i} for i in range(60)]}
    assert fact_lines("broker-1", {"jvm": view["jvm"]}) == ['broker-1: {"jvm":{"xmx_bytes":1073741824}}']
    lines = fact_lines("broker-1", view, limit=400)
    assert all(len(line) <= 400 + 40 for line in lines)
    assert 'broker-1 jvm: {"xmx_bytes":1073741824}' in lines
    assert any(line.startswith("broker-1 config.k0: ") for line in lines) or \
        any(line.startswith("broker-1 config: ") for line in lines)
    runs = [line for line in lines if line.startswith("broker-1 df[")]
    rows = [row for line in runs for row in json.loads(line.partition(": ")[2])]
    assert rows == view["df"] and len(runs) > 1  # a long list in runs of whole items, in order
    values = [json.loads(line.partition(": ")[2]) for line in lines if line.startswith("broker-1 config")]
    assert sum(len(v) if isinstance(v, dict) else 1 for v in values) == 40


def test_facts_that_fit_only_alone_are_divided_so_the_rest_can_go_too() -> None:
    sections = _sections()
    parts, _ = split_to_fit(sections, 15, _count)  # the facts alone take the whole budget
    assert parts and all(_count(part) <= 15 for part in parts)
    assert _lines(parts, "facts") == ["f"] * 5 and _lines(parts, "logs")[:1] == ["l0"]
