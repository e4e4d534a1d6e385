"""The diff as plain text for a terminal: every string from the snapshots made terminal-safe first."""

from __future__ import annotations

from kafkapilot.diff.build import Diff
from kafkapilot.diff.outline import Block, outline
from kafkapilot.report.terminal_safe import terminal_safe

__all__ = ["render_terminal"]

_MAX_COLUMN = 48


def _table(block: Block) -> list[str]:
    rows = [block.headers, *block.rows]
    widths = [min(_MAX_COLUMN, max(len(row[i]) for row in rows)) for i in range(len(block.headers))]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def render_terminal(diff: Diff, *, color: bool = False, width: int | None = None) -> str:
    """Render ``diff`` as text (``width`` is unused; ``color`` adds bold titles)."""
    del width
    page = outline(diff)
    bold, reset = ("\x1b[1m", "\x1b[0m") if color else ("", "")
    lines = [f"{bold}{page.title}{reset}", *(terminal_safe(s) for s in page.sides), "", terminal_safe(page.summary)]
    for block in page.blocks:
        safe = Block(block.title, block.headers, tuple(tuple(terminal_safe(c) for c in row) for row in block.rows),
                     terminal_safe(block.note))
        lines += ["", f"{bold}{safe.title}{reset}"]
        if safe.rows:
            lines += _table(safe)
        if safe.note:
            lines.append(f"  {safe.note}")
    return "\n".join(lines) + "\n"
