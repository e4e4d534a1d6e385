"""Exit codes of the command line, documented in the README."""

from __future__ import annotations

from typing import Final

__all__ = ["EXIT_ERROR", "EXIT_FAIL_ON", "EXIT_OK"]

EXIT_OK: Final = 0
EXIT_ERROR: Final = 1  # bad input, unreadable snapshot, invalid task file (one line on stderr)
EXIT_FAIL_ON: Final = 3  # --fail-on: a finding failed (analyse) or a new one appeared (diff) at or above the severity
