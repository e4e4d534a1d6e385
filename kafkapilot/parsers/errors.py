"""The one error the parsers raise: the text is clearly not the kind expected."""

from __future__ import annotations

__all__ = ["ParseError"]


class ParseError(Exception):
    """The text is not the expected kind of artifact at all.

    ``line`` is the 1-based line where the parser gave up, or None when the problem is
    not tied to a line. ``str()`` is always a single line.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message: str = " ".join(message.split())
        self.line: int | None = line
        super().__init__(self.message, line)

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}: {self.message}"
