"""Finding text goes into Markdown as plain text: whatever it contains, it renders as those characters."""

from __future__ import annotations

import html

import pytest
from markdown_it import MarkdownIt

from kafkapilot.report.markdown_text import Markdown, autolink, code, escape_block, escape_cell, escape_inline, table

NASTY: list[str] = [
    "<script>alert(1)</script>",
    "*bold* **strong** _em_ __em__ ~~gone~~",
    "[link](http://example.com) ![img](x.png) <http://example.com>",
    "`code` ``more``",
    "a | b || c",
    "&amp; &lt; &#65;",
    "back\\slash\\* and \\",
    "min_insync_replicas snake_case_name _leading trailing_",
    "# not a heading #",
    "Zürich → 東京 ✓ 🦀",
]

md = MarkdownIt("js-default")


def _paragraph(source: str) -> str:
    rendered = str(md.render(source))
    assert rendered.startswith("<p>"), rendered
    assert rendered.endswith("</p>\n"), rendered
    return rendered[3:-5]


@pytest.mark.parametrize("text", NASTY)
def test_escaped_inline_text_renders_as_itself(text: str) -> None:
    assert _paragraph(escape_inline(text)) == html.escape(text, quote=False)


@pytest.mark.parametrize("line", ["- item", "+ item", "1. first", "2) second", "> quote", "    indented", "==="])
def test_block_markers_at_line_start_are_plain_text(line: str) -> None:
    assert _paragraph(escape_block(line)) == html.escape(line.strip(), quote=False)


def test_block_keeps_paragraphs_and_line_breaks() -> None:
    assert md.render(escape_block("one\ntwo\n\nthree")) == "<p>one<br>\ntwo</p>\n<p>three</p>\n"


@pytest.mark.parametrize("text", NASTY)
def test_table_cells_hold_anything_on_one_row(text: str) -> None:
    source = table(("A", "B"), [(text + "\nsecond line", "x")])
    tokens = md.parse(source)
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 2
    first_cell = tokens[tokens.index(cells[0]) + 1]
    assert first_cell.content.count("↵") == 1
    assert "second line" in first_cell.content


def test_empty_cell_shows_a_dash_and_markdown_cells_are_kept() -> None:
    assert escape_cell(None) == "—"
    assert escape_cell("  ") == "—"
    assert escape_cell(Markdown("`x`")) == "`x`"


def test_code_spans_fall_back_to_text_when_they_cannot_hold_the_id() -> None:
    assert code("broker.min_isr") == "`broker.min_isr`"
    assert _paragraph(code("a`b|c")) == "a`b|c"


def test_only_web_addresses_become_links() -> None:
    assert autolink("https://kafka.apache.org/documentation/") == "<https://kafka.apache.org/documentation/>"
    assert _paragraph(autolink("javascript:alert(1)")) == "javascript:alert(1)"
    assert _paragraph(autolink("KIP-101 <b>")) == "KIP-101 &lt;b&gt;"
