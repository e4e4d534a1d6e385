"""The diff as plain text for a terminal (the outline has made every string from the snapshots terminal-safe)."""

from __future__ import annotations

from kafkapilot.diff.build import Diff
from kafkapilot.diff.outline import Block, outline

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
    lines = [f"{bold}{page.title}{reset}", *page.sides, "", page.summary]
    for block in page.blocks:
        lines += ["", f"{bold}{block.title}{reset}"]
        if block.rows:
            lines += _table(block)
        if block.note:
            lines.append(f"  {block.note}")
    return "\n".join(lines) + "\n"
