"""The one exception type the lab raises for expected failures (printed as one line, no traceback)."""
from __future__ import annotations

__all__ = ["LabError"]


class LabError(Exception):
    """An expected failure: not root, Java missing, Maven cannot resolve, port in use, a wait timed out."""
