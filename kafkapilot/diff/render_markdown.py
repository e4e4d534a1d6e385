"""The diff as GitHub Markdown (a pull request comment, a change ticket): every value escaped."""

from __future__ import annotations

from kafkapilot.diff.build import Diff
from kafkapilot.diff.outline import outline
from kafkapilot.report.markdown_text import bullets, escape_inline, table

__all__ = ["render_markdown"]


def render_markdown(diff: Diff, *, color: bool = False, width: int | None = None) -> str:
    """Render ``diff`` as Markdown (``color`` and ``width`` are unused)."""
    del color, width
    page = outline(diff)
    parts = [f"# {page.title}", bullets(page.sides), escape_inline(page.summary)]
    for block in page.blocks:
        parts.append(f"## {escape_inline(block.title)}")
        if block.rows:
            parts.append(table(block.headers, block.rows))
        if block.note:
            parts.append(escape_inline(block.note))
    return "\n\n".join(parts) + "\n"
