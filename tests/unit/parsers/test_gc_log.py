"""GC logs in JVM unified logging format: stop-the-world pauses, full GCs, evacuation failures."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.gc_log import GcLog, GcPause, parse_gc_log
from tests.unit.parsers._samples import sample


def test_g1_log_of_a_kafka_broker() -> None:
    log = parse_gc_log(sample("gc_g1_unified.txt"))
    assert log.durations == tuple(p.ms for p in log.pauses) and log.full_gcs == 0
    assert log.longest == log.pauses[0]
    assert [(p.gc_id, p.kind, p.ms) for p in log.pauses] == [
        (0, "Pause Young (Normal) (G1 Evacuation Pause)", 171.819),
        (1, "Pause Young (Normal) (G1 Evacuation Pause)", 19.365),
        (2, "Pause Young (Concurrent Start) (Metadata GC Threshold)", 15.532),
        (3, "Pause Remark", 6.86),
        (3, "Pause Cleanup", 0.096),
    ]
    assert log.pauses[0].time == "2026-11-26T15:08:46.051+0000"
    assert not any(p.full for p in log.pauses)
    assert log.evacuation_failures == 0
    assert log.first_time == "2026-11-26T15:08:42.880+0000"
    assert log.lines == 90


def test_other_collectors_and_decorators() -> None:
    text = (
        "[0.812s][info][gc] GC(12) Pause Full (System.gc()) 24M->8M(64M) 12.001ms\n"
        "[2026-11-26T10:00:00.000+0000][info][gc,phases] GC(3) Y: Pause Mark Start (Major) 0.011ms\n"
        "[2026-11-26T10:00:01.000+0000][gc] GC(4) Pause Mark Start 0.009ms\n"
        "[2026-11-26T10:00:02.000+0000][gc] GC(5) Pause Init Mark 0.254ms\n"
        "[2026-11-26T10:00:03.000+0000][gc] GC(6) Pause Young (Allocation Failure) 300M->100M(1000M) 12.345ms\n"
        "[2026-11-26T10:00:04.000+0000][gc,start] GC(7) Pause Young (Normal) (G1 Evacuation Pause)\n"
    )
    log = parse_gc_log(text)
    assert [(p.gc_id, p.kind, p.ms, p.full) for p in log.pauses] == [
        (12, "Pause Full (System.gc())", 12.001, True),
        (3, "Pause Mark Start (Major)", 0.011, False),
        (4, "Pause Mark Start", 0.009, False),
        (5, "Pause Init Mark", 0.254, False),
        (6, "Pause Young (Allocation Failure)", 12.345, False),
    ]
    assert log.pauses[0].time is None
    assert (log.first_time, log.last_time) == ("2026-11-26T10:00:00.000+0000", "2026-11-26T10:00:04.000+0000")


def test_evacuation_failures_are_counted_once_per_gc() -> None:
    text = (
        "[2026-11-26T13:25:10.450+0000][gc] GC(122) To-space exhausted\n"
        "[2026-11-26T13:25:10.451+0000][gc] GC(122) Pause Young (Normal) (G1 Evacuation Pause) (Evacuation Failure) "
        "6010M->6100M(6144M) 350.812ms\n"
        "[2026-11-26T13:26:10.451+0000][gc] GC(130) Pause Young (Normal) (G1 Evacuation Pause) "
        "(Evacuation Failure: Allocation) 6010M->6100M(6144M) 300.1ms\n"
    )
    log = parse_gc_log(text)
    assert log.evacuation_failures == 2
    assert [p.ms for p in log.pauses] == [350.812, 300.1]


def test_lines_without_decorators_are_read() -> None:
    log = parse_gc_log("Using G1\nGC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->8M(64M) 3.456ms\n")
    assert log.pauses == (GcPause(0, "Pause Young (Normal) (G1 Evacuation Pause)", 3.456, None, False),)


def test_empty_log() -> None:
    assert parse_gc_log("") == GcLog(
        lines=0, durations=(), full_gcs=0, longest=None, evacuation_failures=0, first_time=None, last_time=None
    )


def test_legacy_java8_log_is_refused_at_its_first_line() -> None:
    text = (
        "\n2026-11-26T10:00:00.123+0000: 12.345: [GC pause (G1 Evacuation Pause) (young), 0.0123456 secs]\n"
        "   [Parallel Time: 11.2 ms, GC Workers: 8]\n"
        "[Eden: 24.0M(24.0M)->0.0B(21.0M) Survivors: 0.0B->3072.0K Heap: 24.0M(256.0M)->4.1M(256.0M)]\n"
        " [Times: user=0.02 sys=0.01, real=0.01 secs]\n"
    )
    with pytest.raises(ParseError) as raised:
        parse_gc_log(text)
    assert raised.value.line == 2
    assert "unified logging" in str(raised.value)


def test_pause_lines_in_every_spelling_the_regex_may_see() -> None:
    text = (
        "[0.812s][info][gc] GC(12) Pause Full (System.gc()) 24M->8M(64M) 12.001ms\n"
        "[2026-11-26T10:00:00.000+0000][Eden: 24.0M] GC(8) Pause Young 1ms\n"  # not decorations: no time
        "[gc] GC(2) Pauses 4ms\n"  # not a pause
        "[gc] GC(3) Pause Young 4 ms\n"  # no duration at the end
        "[gc] junk GC(7) Pause Young 4.5ms\n"
        "[gc] GC(9) Pause Young (Normal)   100M->50M(200M)    7.25ms   \n"
    )
    log = parse_gc_log(text)
    assert [(p.gc_id, p.kind, p.ms, p.time, p.full) for p in log.pauses] == [
        (12, "Pause Full (System.gc())", 12.001, None, True),
        (8, "Pause Young", 1.0, None, False),
        (7, "Pause Young", 4.5, None, False),
        (9, "Pause Young (Normal)", 7.25, None, False),
    ]
