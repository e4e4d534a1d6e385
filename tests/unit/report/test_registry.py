"""Renderers by name."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kafkapilot.report.registry import FILE_EXTENSIONS, RENDERERS, UnknownRendererError, get_renderer
from tests.unit.report.sample import sample_report


def test_names_and_extensions() -> None:
    assert list(RENDERERS) == ["terminal", "markdown", "json", "html"]
    assert FILE_EXTENSIONS == {"terminal": ".txt", "markdown": ".md", "json": ".json", "html": ".html"}


@pytest.mark.parametrize("name", ["terminal", "markdown", "json", "html"])
def test_every_renderer_returns_the_same_text_for_the_same_report(name: str) -> None:
    render = get_renderer(name)
    first = render(sample_report(), color=False)
    assert first
    assert render(sample_report(), color=False) == first


def test_unknown_name_is_a_key_error_listing_the_valid_names() -> None:
    with pytest.raises(KeyError) as caught:
        get_renderer("pdf")
    assert isinstance(caught.value, UnknownRendererError)
    assert str(caught.value) == "unknown report format 'pdf'; choose one of: terminal, markdown, json, html"


def test_importing_the_registry_imports_no_renderer() -> None:
    code = (
        "import sys, kafkapilot.report.registry\n"
        "print(sorted(m for m in sys.modules if m.startswith('kafkapilot.report.render') or m == 'markdown_it'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"
