"""Facts: the parsed, typed view of a snapshot that checks are written against (docs/facts.md)."""

from __future__ import annotations

from kafkapilot.facts.build import Facts, build_facts

__all__ = ["Facts", "build_facts"]
