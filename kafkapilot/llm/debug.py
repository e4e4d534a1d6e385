"""`--llm-debug FILE`: every request and response exactly as sent and received, one JSON per line.

The file is created with mode 0600. The API key is never written (it is not part of what
kafkapilot puts in a request body); everything else, the anonymised messages included, is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["DebugLog"]


class DebugLog:
    """Append-only JSON Lines record of the calls of one analysis (None path: records nothing)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.close(fd)

    def record(self, event: str, **fields: Any) -> None:
        """Write one event (request, response, error, cache_hit, refused …)."""
        if self.path is None:
            return
        entry = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
