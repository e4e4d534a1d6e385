"""The fixed severity scale, importable without pydantic (the command line builds its choices from it)."""

from __future__ import annotations

from enum import Enum
from typing import Final

__all__ = ["SEVERITIES", "Severity"]


class Severity(str, Enum):
    """How bad a failing check is, from data loss now (critical) to hygiene (info). Declared most severe first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical … 4 for info: sort key, most severe first."""
        return SEVERITIES.index(self)

    def at_least(self, other: Severity) -> bool:
        """True when self is as severe as other or more."""
        return self.rank <= other.rank


SEVERITIES: Final[tuple[Severity, ...]] = tuple(Severity)
"""Severities, most severe first (the order of declaration)."""
