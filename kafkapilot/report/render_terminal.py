"""The report for a terminal, drawn with rich: readable at 80 columns, plain where colour is off."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Final

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from kafkapilot.findings import Finding, Report, Severity, Status
from kafkapilot.report.labels import (
    SEPARATOR,
    SEVERITY_COLOURS,
    SEVERITY_ICONS,
    STATUS_ICONS,
    STATUS_LABELS,
    evidence_detail,
    evidence_location,
    flatten,
    health_band,
    hosts_text,
    not_evaluated_line,
    omitted_line,
    one_line,
    origin_label,
    plural,
    reflow,
    skip_reason,
    snapshot_facts,
    title_with_origin,
    waiver_text,
)
from kafkapilot.report.ordering import failed_by_severity, llm_usage, severity_counts, status_counts, with_status
from kafkapilot.report.terminal_safe import terminal_safe_model

__all__ = ["DEFAULT_WIDTH", "render_summary", "render_terminal", "render_terminal_text", "terminal_renderables"]

DEFAULT_WIDTH: Final = 80
HEALTH_STYLES: Final[dict[str, str]] = {"good": "bold green", "fair": "bold yellow", "poor": "bold red"}
LABEL_STYLE: Final = "dim"
LLM_STYLE: Final = "magenta"
ERROR_STYLE: Final = "red"
INDENT: Final = 2
LABEL_WIDTH: Final = 8


_URL: Final = re.compile(r"https?://\S+")


class _Unwrapped(Text):
    """A line printed as it is, never wrapped nor cropped: it holds a web address, which a wrap would break."""


def _severity_style(severity: Severity) -> str:
    return f"bold {SEVERITY_COLOURS[severity]}"


def _facts_grid(rows: list[tuple[str, Text]], *, indent: int = 0) -> Padding:
    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(style=LABEL_STYLE, no_wrap=True, min_width=LABEL_WIDTH)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return Padding(grid, (0, 0, 0, indent))


def _header(report: Report) -> Iterator[RenderableType]:
    yield Text("KafkaPilot report", style="bold")
    yield Text(f"kafkapilot {report.kafkapilot_version}{SEPARATOR}generated {report.generated_at}", style=LABEL_STYLE)
    yield Text()
    score = report.summary.health_score
    band = health_band(score)
    rows = [(label, Text(value)) for label, value in snapshot_facts(report.snapshot)]
    rows.append(("Health", Text.assemble((f"{score}/100", HEALTH_STYLES[band]), f" {band}")))
    worst = sorted(report.summary.category_scores.items(), key=lambda item: (item[1], item[0]))
    if worst:
        rows.append(("By area", Text(SEPARATOR.join(f"{category} {value}" for category, value in worst))))
    yield _facts_grid(rows)


def _summary_table(report: Report) -> Table:
    table = Table(title="Summary", title_justify="left", title_style="bold", pad_edge=False, show_edge=False)
    severities = severity_counts(report.summary)
    statuses = status_counts(report.summary)
    cells: list[Text] = []
    for severity in Severity:
        count = severities[severity.value]
        table.add_column(severity.value.capitalize(), justify="right", header_style=_severity_style(severity))
        cells.append(Text(str(count), style=_severity_style(severity) if count else LABEL_STYLE))
    for status in (Status.ERROR, Status.WAIVED, Status.SKIPPED, Status.PASS):
        if status is Status.WAIVED and not statuses[status.value]:
            continue  # a column only when a waiver file waived something: 80 columns hold the others
        table.add_column(STATUS_LABELS[status], justify="right")
        cells.append(Text(str(statuses[status.value])))
    table.add_row(*cells)
    return table


def _title_line(finding: Finding) -> Text:
    severity = finding.severity
    line = Text.assemble(
        (f"{SEVERITY_ICONS[severity]} {severity.value.upper()}", _severity_style(severity)),
        "  ",
        (one_line(finding.title), "bold"),
    )
    origin = origin_label(finding)
    if origin:
        line.append(f"  [{origin}]", style=LLM_STYLE)
    return line


def _failed_finding(finding: Finding) -> Iterator[RenderableType]:
    yield _title_line(finding)
    rows = [("task", Text(finding.task_id)), ("hosts", Text(hosts_text(finding)))]
    if finding.summary.strip():
        rows.append(("found", Text(reflow(finding.summary))))
    for number, evidence in enumerate(finding.evidence):
        line = Text.assemble((evidence_location(evidence), "bold"), ": ", flatten(evidence_detail(evidence)))
        rows.append(("evidence" if number == 0 else "", line))
    if finding.evidence_omitted:
        rows.append(("" if finding.evidence else "evidence",
                     Text(omitted_line(finding.evidence_omitted), style=LABEL_STYLE)))
    rows.extend(
        ("skipped" if number == 0 else "", Text(not_evaluated_line(item), style=LABEL_STYLE))
        for number, item in enumerate(finding.not_evaluated)
    )
    for label, text in (("impact", finding.impact), ("fix", finding.remediation)):
        if text.strip():
            rows.append((label, Text(reflow(text))))
    rows.extend(("see" if n == 0 else "", Text(ref)) for n, ref in enumerate(finding.references))
    yield from _rows_keeping_urls_whole(rows)
    yield Text()


def _rows_keeping_urls_whole(rows: list[tuple[str, Text]]) -> Iterator[RenderableType]:
    """The rows as aligned grids, except that a row holding a web address is printed unwrapped, line by line, at
    the same indent: a URL split over two lines can be neither clicked nor copied."""
    pending: list[tuple[str, Text]] = []
    for label, text in rows:
        if not _URL.search(text.plain):
            pending.append((label, text))
            continue
        if pending:
            yield _facts_grid(pending, indent=INDENT)
            pending = []
        for number, line in enumerate(text.split("\n")):
            lead = " " * INDENT + (label if number == 0 else "").ljust(LABEL_WIDTH) + "  "
            yield _Unwrapped.assemble((lead, LABEL_STYLE), line)
    if pending:
        yield _facts_grid(pending, indent=INDENT)


def _section(title: str, count: int, style: str = "bold") -> Rule:
    return Rule(Text(f"{title} ({count})", style=style), align="left", characters="─")


def _failures(report: Report) -> Iterator[RenderableType]:
    groups = failed_by_severity(report.findings)
    if not groups:
        yield Text(f"{STATUS_ICONS[Status.PASS]} No failed findings.", style="green")
        return
    for severity, group in groups:
        yield _section(severity.value.upper(), len(group), _severity_style(severity))
        for finding in group:
            yield from _failed_finding(finding)


def _list(icon: Text, lines: list[Text]) -> Table:
    """One line an item, the icon hanging out to the left of text that wraps."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for line in lines:
        grid.add_row(icon, line)
    return grid


def _one_liners(report: Report) -> Iterator[RenderableType]:
    errors = with_status(report.findings, Status.ERROR)
    if errors or report.errors:
        lines = [Text.assemble((f.task_id, "bold"), f": {skip_reason(f)}") for f in errors]
        lines += [Text(one_line(message)) for message in report.errors]
        yield _section(STATUS_LABELS[Status.ERROR], len(lines), f"bold {ERROR_STYLE}")
        yield _list(Text(STATUS_ICONS[Status.ERROR], style=ERROR_STYLE), lines)
        yield Text()
    if report.notes:
        yield _section("Notes", len(report.notes))
        yield _list(Text("•"), [Text(one_line(note)) for note in report.notes])
        yield Text()
    waived = with_status(report.findings, Status.WAIVED)
    if waived:
        lines = [Text.assemble((f.task_id, "bold"), f" {f.severity.value}", (f": {waiver_text(f)}", LABEL_STYLE))
                 for f in waived]
        yield _section(STATUS_LABELS[Status.WAIVED], len(lines))
        yield _list(Text(STATUS_ICONS[Status.WAIVED]), lines)
        yield Text()
    skipped = with_status(report.findings, Status.SKIPPED)
    if skipped:
        lines = [
            Text.assemble(
                (f.task_id, "bold"),
                (f" [{origin_label(f)}]", LLM_STYLE) if origin_label(f) else "",
                (f": {skip_reason(f)}", LABEL_STYLE),
            )
            for f in skipped
        ]
        yield _section(STATUS_LABELS[Status.SKIPPED], len(lines))
        yield _list(Text(STATUS_ICONS[Status.SKIPPED]), lines)


def _llm_usage_line(report: Report) -> Iterator[RenderableType]:
    runs, total = llm_usage(report)
    if runs:
        cached = sum(r.cached for r in runs)
        yield Text.assemble(
            ("LLM usage ", "bold"),
            f"{len(runs)} task(s), {total.tokens_in} tokens in, {total.tokens_out} out, "
            f"${total.cost_usd:.4f}" + (f", {cached} from cache" if cached else ""),
        )
        yield Text()


def terminal_renderables(report: Report) -> Iterator[RenderableType]:
    """Yield the report as rich renderables, top to bottom: header, summary, failures, errors, skips."""
    yield from _header(report)
    yield Text()
    yield _summary_table(report)
    yield Text()
    yield from _failures(report)
    yield from _llm_usage_line(report)
    yield from _one_liners(report)


def render_terminal(report: Report, console: Console) -> None:
    """Print the report into ``console``; the console decides width and colour (plain when not a TTY or NO_COLOR).

    Every string of the report is made terminal-safe first (no escape sequence or control character from a
    snapshot or an LLM reaches the terminal: ``kafkapilot.report.terminal_safe``)."""
    for renderable in terminal_renderables(terminal_safe_model(report)):
        console.print(renderable, highlight=False, soft_wrap=isinstance(renderable, _Unwrapped))


def render_terminal_text(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Return the terminal report as a string, ``width`` columns wide (default 80).

    With ``color``, ANSI colours as many as the terminal declares (``COLORTERM``, ``TERM``); none at all otherwise.
    The padding rich puts at the end of table lines is stripped.
    """
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or DEFAULT_WIDTH,
        color_system="auto" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    render_terminal(report, console)
    return "".join(line.rstrip(" ") + "\n" for line in buffer.getvalue().splitlines())


_SUMMARY_SUBJECTS_WIDTH: Final = 32


def _subjects_text(finding: Finding) -> str:
    """The subjects that fit in about 32 columns (at least one), and how many more there are."""
    names = [one_line(subject.label) for subject in finding.subjects] or list(finding.hosts) or ["cluster"]
    count = 1
    while count < len(names) and len(", ".join(names[: count + 1])) <= _SUMMARY_SUBJECTS_WIDTH:
        count += 1
    more = len(names) - count + finding.evidence_omitted
    shown = ", ".join(names[:count])
    return f"{shown} +{more} more" if more > 0 else shown


def render_report_problems(report: Report) -> str:
    """What went wrong around the findings (a task file that did not load, an artifact refused), one
    terminal-safe line each, marked as the full report marks them: what ``--summary`` writes to stderr, so
    that its stdout stays one line per failed finding and a broken check is never silent."""
    safe = terminal_safe_model(report)
    return "".join(f"{STATUS_ICONS[Status.ERROR]} {one_line(message)}\n" for message in safe.errors)


def render_summary(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """One line per failed finding, most severe first: severity, task id, subjects, title; then one line of totals.

    Lines are never wrapped (``width`` is unused: a line per finding is what ``grep`` and ``wc -l`` expect), columns
    are aligned, and no line ends in a space. With ``color``, the severity is coloured.
    """
    del width
    safe = terminal_safe_model(report)
    failed = [f for _, group in failed_by_severity(safe.findings) for f in group]
    rows = [(f.severity, f.task_id, one_line(_subjects_text(f)), title_with_origin(f)) for f in failed]
    task_width = max((len(row[1]) for row in rows), default=0)
    subject_width = max((len(row[2]) for row in rows), default=0)
    console = Console(file=io.StringIO(), width=1_000_000, color_system="auto" if color else None,
                      force_terminal=color, no_color=not color, highlight=False, markup=False, emoji=False)
    for severity, task_id, subjects, title in rows:
        line = Text.assemble((severity.value.upper().ljust(8), _severity_style(severity)), "  ",
                             task_id.ljust(task_width), "  ", subjects.ljust(subject_width), "  ", title)
        console.print(line, soft_wrap=True)
    counts = status_counts(safe.summary)
    score = safe.summary.health_score
    console.print(
        f"{plural(counts[Status.FAIL.value], 'failed finding')}, {counts[Status.WAIVED.value]} waived, "
        f"{counts[Status.ERROR.value]} errors · health {score}/100 {health_band(score)}", soft_wrap=True)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "".join(line.rstrip() + "\n" for line in text.splitlines())
