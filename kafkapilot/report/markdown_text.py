"""Markdown building blocks that treat finding text as plain text.

Titles, summaries, evidence and remediation may come from a model or from a host's files:
everything is escaped so that it renders as the characters it is, never as Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from kafkapilot.report.labels import cell_text, is_web_address, one_line, paragraphs

__all__ = [
    "Markdown",
    "autolink",
    "bullets",
    "code",
    "escape_block",
    "escape_cell",
    "escape_inline",
    "table",
]

_ALWAYS_ESCAPED: Final = re.compile(r"([\\`*\[\]<>|~#&])")
_LONE_UNDERSCORE: Final = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_LINE_START: Final = re.compile(r"^([-+=])|^(\d+)([.)])")
_HARD_BREAK: Final = "\\\n"


class Markdown(str):
    """Text that is already Markdown: table cells and list items of this type are not escaped again."""

    __slots__ = ()


def escape_inline(text: str) -> str:
    """Escape text for use inside a line: emphasis, code, links, HTML, entities and table pipes all become literal.

    An underscore between two letters or digits (``min_insync_replicas``) cannot start emphasis and is left alone.
    """
    return _LONE_UNDERSCORE.sub(r"\\_", _ALWAYS_ESCAPED.sub(r"\\\1", text))


def _escape_line(line: str) -> str:
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escape_inline(line))


def escape_block(text: str) -> str:
    """Escape multi-line text as paragraphs: blank lines separate paragraphs, other line breaks are kept as breaks.

    Indented lines continue the line before (:func:`~kafkapilot.report.labels.reflow`), so no line is indented
    into a code block, and any list, heading or quote marker at the start of a line is escaped.
    """
    return "\n\n".join(_HARD_BREAK.join(_escape_line(line) for line in lines) for lines in paragraphs(text))


def escape_cell(text: str | None) -> str:
    """Escape text for a table cell: one line (breaks shown as ``↵``, as a cell is one line), ``—`` when empty."""
    if isinstance(text, Markdown) and text.strip():
        return text
    return escape_inline(cell_text(text))


def code(text: str) -> Markdown:
    """Return ``text`` as an inline code span, or escaped text where a code span could not hold it."""
    if not text or any(ch in text for ch in "`|\n\r") or text != text.strip():
        return Markdown(escape_inline(one_line(text)))
    return Markdown(f"`{text}`")


def autolink(reference: str) -> Markdown:
    """Return a web address as a link, anything else as escaped text."""
    if is_web_address(reference):
        return Markdown(f"<{reference}>")
    return Markdown(escape_inline(one_line(reference)))


def bullets(items: Iterable[str]) -> str:
    """Return a bullet list; plain strings are escaped, :class:`Markdown` items kept as they are."""
    return "\n".join(f"- {item if isinstance(item, Markdown) else escape_inline(one_line(item))}" for item in items)


def table(headers: Sequence[str], rows: Iterable[Sequence[str | None]]) -> str:
    """Return a pipe table; each cell is escaped with :func:`escape_cell` unless it is :class:`Markdown`."""
    lines = [
        "| " + " | ".join(escape_cell(header) for header in headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    lines.extend("| " + " | ".join(escape_cell(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)
