"""Renderers by name: what ``--format`` chooses from, and the file extension each one writes.

Importing this module is cheap: a renderer's module is imported the first time that renderer is called.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Final, Protocol

from kafkapilot.findings import Report

__all__ = ["FILE_EXTENSIONS", "RENDERERS", "Renderer", "UnknownRendererError", "get_renderer"]


class Renderer(Protocol):
    """Turns a report into text; the same report always gives the same string."""

    def __call__(self, report: Report, *, color: bool = False) -> str:
        """Render ``report``; ``color`` asks for ANSI colours where the format has any (the terminal)."""
        ...


@dataclass(frozen=True)
class _LazyRenderer:
    """A renderer that imports ``module`` and looks up ``function`` on its first call."""

    module: str
    function: str

    def __call__(self, report: Report, *, color: bool = False) -> str:
        """Import the renderer and render ``report`` with it."""
        render: Renderer = getattr(importlib.import_module(self.module), self.function)
        return render(report, color=color)


RENDERERS: Final[dict[str, Renderer]] = {
    "terminal": _LazyRenderer("kafkapilot.report.render_terminal", "render_terminal_text"),
    "markdown": _LazyRenderer("kafkapilot.report.render_markdown", "render_markdown"),
    "json": _LazyRenderer("kafkapilot.report.render_json", "render_json"),
    "html": _LazyRenderer("kafkapilot.report.render_html", "render_html"),
}

FILE_EXTENSIONS: Final[dict[str, str]] = {
    "terminal": ".txt",
    "markdown": ".md",
    "json": ".json",
    "html": ".html",
}


class UnknownRendererError(KeyError):
    """No renderer has the name asked for; the message lists the ones there are."""

    def __init__(self, name: str) -> None:
        """Record the unknown ``name``."""
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        """Say which name is unknown and which are valid (KeyError would only repeat the name, quoted)."""
        return f"unknown report format {self.name!r}; choose one of: {', '.join(RENDERERS)}"


def get_renderer(name: str) -> Renderer:
    """Return the renderer called ``name``; raise :class:`UnknownRendererError` (a KeyError) for any other name."""
    try:
        return RENDERERS[name]
    except KeyError:
        raise UnknownRendererError(name) from None
