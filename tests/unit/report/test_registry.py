"""Renderers by name."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kafkapilot.report.registry import FILE_EXTENSIONS, RENDERERS, UnknownRendererError, get_renderer
from tests.unit.report.sample import sample_report


def test_names_and_extensions() -> None:
    assert list(RENDERERS) == ["terminal", "markdown", "json", "html", "junit", "prometheus", "sarif"]
    assert FILE_EXTENSIONS == {"terminal": ".txt", "markdown": ".md", "json": ".json", "html": ".html",
                               "junit": ".xml", "prometheus": ".prom", "sarif": ".sarif"}
    assert all(entry.name == name and entry.description for name, entry in RENDERERS.items())


def test_every_renderer_takes_the_same_options() -> None:
    """color and width are asked of every format; only the terminal uses them."""
    report = sample_report()
    for name in ("markdown", "json", "html", "junit", "prometheus"):
        assert get_renderer(name)(report, color=True, width=40) == get_renderer(name)(report)
    narrow = get_renderer("terminal")(report, width=60)
    wide = get_renderer("terminal")(report, width=120)
    def widest(text: str) -> int:  # a line holding a web address is never wrapped (URLs are never split)
        return max(len(line) for line in text.splitlines() if "://" not in line)

    assert widest(narrow) <= 60 < widest(wide)
    assert "\x1b[" in get_renderer("terminal")(report, color=True) and "\x1b[" not in get_renderer("terminal")(report)


@pytest.mark.parametrize("name", list(RENDERERS))
def test_every_renderer_returns_the_same_text_for_the_same_report(name: str) -> None:
    render = get_renderer(name)
    first = render(sample_report(), color=False)
    assert first
    assert render(sample_report(), color=False) == first


def test_unknown_name_is_a_key_error_listing_the_valid_names() -> None:
    with pytest.raises(KeyError) as caught:
        get_renderer("pdf")
    assert isinstance(caught.value, UnknownRendererError)
    assert str(caught.value) == (
        "unknown report format 'pdf'; choose one of: terminal, markdown, json, html, junit, prometheus, sarif")


@pytest.mark.integration
def test_importing_the_registry_imports_no_renderer() -> None:
    code = (
        "import sys, kafkapilot.report.registry\n"
        "print(sorted(m for m in sys.modules if m.startswith(('kafkapilot.report.render', 'kafkapilot.findings'))"
        " or m.split('.')[0] in ('markdown_it', 'pydantic', 'jinja2', 'rich')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"
