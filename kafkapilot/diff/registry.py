"""Diff formats by name: what `kafkapilot diff --report` chooses from and the file extension each writes.
Importing this is cheap: a renderer's module is imported when it is first used."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from kafkapilot.diff.build import Diff

__all__ = ["DIFF_FORMATS", "DiffFormat"]


class DiffFormat(NamedTuple):
    """One diff format: its renderer, imported from ``module`` on first call."""

    name: str
    extension: str
    module: str
    function: str

    def __call__(self, diff: Diff, *, color: bool = False, width: int | None = None) -> str:
        """Import the renderer and render ``diff``."""
        render = getattr(importlib.import_module(self.module), self.function)
        text: str = render(diff, color=color, width=width)
        return text


DIFF_FORMATS: Final[dict[str, DiffFormat]] = {
    f.name: f for f in (
        DiffFormat("terminal", ".txt", "kafkapilot.diff.render_terminal", "render_terminal"),
        DiffFormat("markdown", ".md", "kafkapilot.diff.render_markdown", "render_markdown"),
        DiffFormat("json", ".json", "kafkapilot.diff.render_json", "render_json"),
        DiffFormat("html", ".html", "kafkapilot.diff.render_html", "render_html"),
    )
}
