"""The terminal report."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from kafkapilot.findings import Report, Severity
from kafkapilot.report.render_terminal import render_summary, render_terminal, render_terminal_text
from tests.unit.report.sample import finding, make_report, sample_report


def test_without_colour_there_is_no_escape_sequence_at_all() -> None:
    text = render_terminal_text(sample_report(), color=False)
    assert "\x1b" not in text


def test_with_colour_there_are_ansi_colours() -> None:
    assert "\x1b[" in render_terminal_text(sample_report(), color=True)


def test_fits_80_columns() -> None:
    text = render_terminal_text(sample_report(), width=80)
    assert max(cell_len(line) for line in text.splitlines() if "://" not in line) <= 80


def test_header_names_the_snapshot_and_the_reports_health_score() -> None:
    report = sample_report()
    fake = report.model_copy(update={"summary": report.summary.model_copy(update={"health_score": 97})})
    text = render_terminal_text(fake)
    for expected in (
        "Snapshot   /var/tmp/kafka-snapshot-20261126T133000Z",
        "Cluster    prod-east",
        "Mode       kraft",
        "Kafka      3.7.0",
        "Nodes      3 brokers, 1 controller",
        "Hosts      4, 1 unreachable: kafka-3",
        "Health     97/100 good",
    ):
        assert expected in text


def test_summary_counts_severities_and_statuses() -> None:
    lines = render_terminal_text(sample_report()).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Critical"))
    assert lines[header].split() == ["Critical", "┃", "High", "┃", "Medium", "┃", "Low", "┃", "Info", "┃",
                                     "Errors", "┃", "Skipped", "┃", "Passed"]  # fmt: skip
    assert [cell for cell in lines[header + 2].split() if cell != "│"] == ["1", "1", "1", "1", "0", "1", "2", "1"]


def test_failed_findings_by_severity_with_evidence_fix_and_references() -> None:
    text = render_terminal_text(sample_report())
    positions = [text.index(f"{label} (1)") for label in ("CRITICAL", "HIGH", "MEDIUM", "LOW")]
    assert positions == sorted(positions)
    for expected in (
        "✖ CRITICAL  min.insync.replicas | acks mismatch",
        "  task      broker.min_isr",
        "  hosts     kafka-1, kafka-2",
        "  evidence  kafka-1 · orders | payments: min.insync.replicas=1 ↵ acks=1 →",
        "  fix       1. Set min.insync.replicas=2 on the topic.",
        "  see       https://kafka.apache.org/",
        "            KIP-101",
    ):
        assert expected in text


def test_llm_findings_are_marked_and_skips_give_their_reason() -> None:
    text = render_terminal_text(sample_report(), width=120)
    assert "Broker logs show repeated ISR shrinks <script>alert('x')</script>  [LLM ollama/llama3.1:8b]" in text
    assert "– llm.config_review [LLM]: needs an LLM: run with --model …" in text
    assert "– os.ulimit: not collected: ulimit on kafka-3 (host unreachable)" in text
    assert "! os.swappiness: could not parse sysctl output: unexpected token '|'" in text
    assert "! tasks/bad.yaml: unknown key 'whn'" in text


def test_finding_text_is_never_read_as_rich_markup() -> None:
    report = make_report([finding("m", title="[bold red]x[/] :smile: [link=http://e]y[/link]")])
    assert "[bold red]x[/] :smile: [link=http://e]y[/link]" in render_terminal_text(report, color=True, width=120)


def test_no_failures_says_so() -> None:
    assert "✔ No failed findings." in render_terminal_text(make_report([]))


def test_prints_into_a_given_console() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    render_terminal(make_report([finding("t", severity=Severity.HIGH, title="Heap too small")]), console)
    assert "✖ HIGH  Heap too small" in buffer.getvalue()


def test_same_report_same_bytes() -> None:
    report = sample_report()
    shuffled = report.model_copy(update={"findings": tuple(reversed(report.findings))})
    assert render_terminal_text(report, color=True) == render_terminal_text(shuffled, color=True)


def test_a_console_that_is_not_a_terminal_gets_plain_text() -> None:
    buffer = io.StringIO()
    render_terminal(sample_report(), Console(file=buffer, width=80))
    assert "\x1b" not in buffer.getvalue()
    assert "✖ CRITICAL  min.insync.replicas | acks mismatch" in buffer.getvalue()


def _with_long_urls() -> Report:
    long_url = "https://kafka.apache.org/documentation/#brokerconfigs_min.insync.replicas_and_some_more_words"
    report = sample_report()
    first = report.findings[1]
    changed = first.model_copy(update={
        "references": (long_url,),
        "remediation": f"Read {long_url} first, then set min.insync.replicas=2 on every topic that needs it.",
    })
    return make_report((changed, *report.findings[2:]))


def test_urls_are_never_split_across_lines() -> None:
    long_url = "https://kafka.apache.org/documentation/#brokerconfigs_min.insync.replicas_and_some_more_words"
    for width in (40, 60, 80):
        lines = render_terminal_text(_with_long_urls(), width=width).splitlines()
        holding = [line for line in lines if long_url in line]
        assert len(holding) == 2, width  # the reference and the remediation, each whole on one line
        assert [line.split()[0] for line in holding] == ["fix", "see"]
        assert not any(line.endswith(long_url[:30]) for line in lines)


def test_no_line_ends_in_a_space() -> None:
    for text in (render_terminal_text(sample_report()), render_terminal_text(_with_long_urls(), width=50),
                 render_summary(sample_report())):
        assert all(not line.endswith((" ", "\t")) for line in text.splitlines())


def test_summary_is_one_aligned_line_per_failed_finding_then_totals() -> None:
    lines = render_summary(sample_report()).splitlines()
    assert lines[-1] == "4 failed findings, 0 waived, 1 errors · health 41/100 poor"
    rows = [line.split("  ") for line in lines[:-1]]
    assert [[cell.strip() for cell in row if cell.strip()] for row in rows] == [
        ["CRITICAL", "broker.min_isr", "orders +1 more", "min.insync.replicas | acks mismatch"],
        ["HIGH", "llm.log_review", "kafka-3", "Broker logs show repeated ISR shrinks <script>alert('x')</script> "
         "(LLM ollama/llama3.1:8b)"],
        ["MEDIUM", "broker.heap", "kafka-2/kafka-b +3 more", "Broker heap below 4 GiB"],
        ["LOW", "topic.rf_one", "kafka-1", "Topics with replication factor 1"],
    ]
    assert len({line.index(line.split()[1]) for line in lines[:-1]}) == 1  # the task ids start in one column
    assert "\x1b[" in render_summary(sample_report(), color=True)
