"""Report formats by name: what ``--report`` chooses from, the file extension each writes, and what it is for.

Importing this module is cheap (the command line's ``--help`` reads it): a renderer's module, and the report
model, are imported the first time that renderer is called.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

if TYPE_CHECKING:
    from kafkapilot.findings import Report

__all__ = ["FILE_EXTENSIONS", "RENDERERS", "ReportFormat", "Renderer", "UnknownRendererError", "get_renderer"]


class Renderer(Protocol):
    """Turns a report into text; the same report and options always give the same string."""

    def __call__(self, report: Report, *, color: bool = False, width: int | None = None) -> str:
        """Render ``report``: ``color`` asks for ANSI colours, ``width`` for a line width, where the format has them."""
        ...


class ReportFormat(NamedTuple):
    """One entry of the registry: a renderer, imported from ``module`` on its first call.

    A NamedTuple rather than a dataclass: ``--help`` reads the registry, and dataclasses costs an import.
    """

    name: str
    extension: str
    description: str
    module: str
    function: str = "render"

    def __call__(self, report: Report, *, color: bool = False, width: int | None = None) -> str:
        """Import the renderer and render ``report`` with it."""
        render: Renderer = getattr(importlib.import_module(self.module), self.function)
        return render(report, color=color, width=width)


_FORMATS: Final = (
    ReportFormat("terminal", ".txt", "text, coloured on a terminal", "kafkapilot.report.render_terminal",
                 "render_terminal_text"),
    ReportFormat("markdown", ".md", "GitHub Markdown", "kafkapilot.report.render_markdown", "render_markdown"),
    ReportFormat("json", ".json", "versioned, see report.schema.json", "kafkapilot.report.render_json", "render_json"),
    ReportFormat("html", ".html", "one self-contained page", "kafkapilot.report.render_html", "render_html"),
    ReportFormat("junit", ".xml", "JUnit XML for CI: a testcase per task and subject", "kafkapilot.report.render_junit",
                 "render_junit"),
    ReportFormat("prometheus", ".prom", "metrics for node_exporter's textfile collector",
                 "kafkapilot.report.render_prometheus", "render_prometheus"),
    ReportFormat("sarif", ".sarif", "SARIF 2.1.0 for code scanning: a rule per task, a result per failed subject",
                 "kafkapilot.report.render_sarif", "render_sarif"),
)

RENDERERS: Final[dict[str, ReportFormat]] = {entry.name: entry for entry in _FORMATS}
"""Every report format, by name, in the order the command line lists them. A new format is one entry here."""

FILE_EXTENSIONS: Final[dict[str, str]] = {name: entry.extension for name, entry in RENDERERS.items()}


class UnknownRendererError(KeyError):
    """No renderer has the name asked for; the message lists the ones there are."""

    def __init__(self, name: str) -> None:
        """Record the unknown ``name``."""
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        """Say which name is unknown and which are valid (KeyError would only repeat the name, quoted)."""
        return f"unknown report format {self.name!r}; choose one of: {', '.join(RENDERERS)}"


def get_renderer(name: str) -> ReportFormat:
    """Return the format called ``name``; raise :class:`UnknownRendererError` (a KeyError) for any other name."""
    try:
        return RENDERERS[name]
    except KeyError:
        raise UnknownRendererError(name) from None
