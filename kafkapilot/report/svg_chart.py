"""An inline SVG bar chart of failed findings per severity, with the counts written beside the bars."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Final

from kafkapilot.findings import Severity
from kafkapilot.report.labels import SEVERITY_COLOURS
from kafkapilot.severity import SEVERITIES

__all__ = ["CHART_TITLE", "severity_chart"]

CHART_TITLE: Final = "Failed findings by severity"
ROW_HEIGHT: Final = 30
BAR_HEIGHT: Final = 20
LABEL_WIDTH: Final = 76
BAR_SPACE: Final = 220
COUNT_GAP: Final = 8
WIDTH: Final = LABEL_WIDTH + BAR_SPACE + 48
FONT_SIZE: Final = 14


def _bar(row: int, severity: Severity, count: int, longest: int) -> str:
    top = row * ROW_HEIGHT
    text_y = top + ROW_HEIGHT // 2 + FONT_SIZE // 3
    length = round(BAR_SPACE * count / longest) if count else 0
    colour = escape(SEVERITY_COLOURS[severity])
    name = escape(severity.value)
    return (
        f'<g class="bar" data-severity="{name}" data-count="{count}">'
        f'<text x="{LABEL_WIDTH - COUNT_GAP}" y="{text_y}" text-anchor="end">{escape(name.capitalize())}</text>'
        f'<rect x="{LABEL_WIDTH}" y="{top + (ROW_HEIGHT - BAR_HEIGHT) // 2}" width="{length}" height="{BAR_HEIGHT}"'
        f' rx="3" fill="{colour}"/>'
        f'<text class="count" x="{LABEL_WIDTH + length + COUNT_GAP}" y="{text_y}" fill="{colour}"'
        f' font-weight="bold">{count}</text>'
        "</g>"
    )


def severity_chart(failed_by_severity: Mapping[str, int]) -> str:
    """Return an ``<svg>`` element with one bar per severity, most severe on top, its count as text beside it.

    ``failed_by_severity`` maps severity values to counts (missing ones count 0); the longest bar is the
    largest count. The chart scales to its container and names itself for screen readers.
    """
    counts = [(severity, failed_by_severity.get(severity.value, 0)) for severity in SEVERITIES]
    longest = max((count for _, count in counts), default=0) or 1
    total = sum(count for _, count in counts)
    description = ", ".join(f"{severity.value} {count}" for severity, count in counts)
    bars = "".join(_bar(row, severity, count, longest) for row, (severity, count) in enumerate(counts))
    height = ROW_HEIGHT * len(counts)
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" role="img" aria-labelledby="chart:title chart:desc"'
        f' font-size="{FONT_SIZE}" font-family="inherit">'
        f'<title id="chart:title">{escape(CHART_TITLE)}: {total}</title>'
        f'<desc id="chart:desc">{escape(description)}</desc>'
        f"{bars}</svg>"
    )
