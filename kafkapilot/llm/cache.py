"""On-disk answer cache: re-analysing the same snapshot with the same model costs nothing.

The key is a SHA-256 of the model, the settings that change an answer, and the exact
(anonymised) messages before any budget trimming, so a cache hit needs neither litellm nor a
token count. Entries hold anonymised answers only (no real names) and are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Final

__all__ = ["CACHE_VERSION", "AnswerCache", "cache_key"]

CACHE_VERSION: Final = 1


def cache_key(**parts: Any) -> str:
    """A stable hash of everything that decides an answer."""
    payload = json.dumps({"v": CACHE_VERSION, **parts}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AnswerCache:
    """JSON files under `directory/<2 hex>/<key>.json`; disabled means every lookup misses."""

    def __init__(self, directory: Path, *, enabled: bool = True) -> None:
        self.directory = directory
        self.enabled = enabled

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored entry, or None (missing, disabled, or unreadable: then it is simply redone)."""
        if not self.enabled:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("v") == CACHE_VERSION else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store an entry; a cache that cannot be written is not an error (the analysis goes on)."""
        if not self.enabled:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                             suffix=".tmp") as handle:
                json.dump({"v": CACHE_VERSION, **entry}, handle, sort_keys=True)
            os.replace(handle.name, path)
        except OSError:
            return
