"""KafkaPilot: tells a Kafka operator what is wrong with their cluster."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
