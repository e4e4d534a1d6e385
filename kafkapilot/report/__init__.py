"""Report renderers: turn a :class:`kafkapilot.findings.Report` into terminal text, Markdown, JSON or HTML.

Pick a renderer by name through :mod:`kafkapilot.report.registry`; each renderer module is
imported only when it is first used.
"""

from __future__ import annotations

__all__: list[str] = []
