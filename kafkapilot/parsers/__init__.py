"""Parsers: pure functions from the text of one snapshot artifact to typed facts.

Each module parses one kind of artifact (a file copied from a host or the output of a
command) and returns frozen dataclasses. No parser reads files, logs or keeps state.
Import the module you need, e.g. ``from kafkapilot.parsers.topics import
parse_topics_describe``; this package only re-exports :class:`ParseError`.
"""

from __future__ import annotations

from kafkapilot.parsers.errors import ParseError

__all__ = ["ParseError"]
