"""Loads the sample artifacts under ``samples/``.

Each sample starts with ``#~ `` lines saying where its format comes from; they are not
part of the artifact and are removed here, so a sample may be of a format without
comments (JSON, /proc files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

__all__ = ["sample"]

SAMPLES: Final[Path] = Path(__file__).parent / "samples"
_PROVENANCE: Final[str] = "#~"


def sample(name: str) -> str:
    """The text of ``samples/<name>`` without its provenance lines."""
    text = (SAMPLES / name).read_bytes().decode("utf-8")
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith(_PROVENANCE):
        lines.pop(0)
    return "".join(lines)
