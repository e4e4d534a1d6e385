"""The diff as one self-contained HTML page: the report's stylesheet and content security policy, every value
escaped, no script."""

from __future__ import annotations

from html import escape

from kafkapilot.diff.build import Diff
from kafkapilot.diff.outline import Block, outline
from kafkapilot.report.html_page import CONTENT_SECURITY_POLICY, PAGE_CSS

__all__ = ["render_html"]


def _table(block: Block) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in block.headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>\n" for row in block.rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def render_html(diff: Diff, *, color: bool = False, width: int | None = None) -> str:
    """Render ``diff`` as an HTML page (``color`` and ``width`` are unused)."""
    del color, width
    page = outline(diff)
    parts = [f"<h1>{escape(page.title)}</h1>", "<ul>", *(f"<li>{escape(s)}</li>" for s in page.sides), "</ul>",
             f"<p><strong>{escape(page.summary)}</strong></p>"]
    for block in page.blocks:
        parts.append(f"<h2>{escape(block.title)}</h2>")
        if block.rows:
            parts.append(_table(block))
        if block.note:
            parts.append(f"<p>{escape(block.note)}</p>")
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{escape(CONTENT_SECURITY_POLICY)}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(page.title)}</title>\n<style>{PAGE_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
