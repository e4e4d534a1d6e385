"""The one error type users see: a one-line message naming where, what and what to do."""

from __future__ import annotations

__all__ = ["KafkaPilotError"]


class KafkaPilotError(Exception):
    """A problem with the user's input or environment, shown as one line, never as a traceback.

    `where` names the file (with line), host or option; `hint` says what to do.
    """

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return text
