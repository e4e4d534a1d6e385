"""Structured output, negotiated with whatever server answers: the modes, in the order they are tried.

json_schema         OpenAI's `{"type": "json_schema", "json_schema": {name, schema, strict}}`; litellm
                    translates it for Anthropic, Gemini, and for Ollama (its `format` parameter).
json_object+schema  llama.cpp's and llama-cpp-python's `{"type": "json_object", "schema": {...}}`
                    (a grammar built from the schema; they refuse json_schema).
json_object         plain JSON mode, no schema.
none                the schema in the prompt only.

Every answer is validated against the schema whatever the mode (one repair retry). A refusal of
response_format, whatever status it comes with (400, 422, 500), moves to the next mode and is never
retried as if transient. The mode a model got is kept on disk per model and API base, so that the
next run starts where this one ended.
"""

from __future__ import annotations

import json
import time
from enum import Enum
from pathlib import Path
from typing import Any, Final

__all__ = ["MODES", "Mode", "ModeMemory", "next_mode", "response_format_for"]


class Mode(str, Enum):
    """How structured output is asked for."""

    JSON_SCHEMA = "json_schema"
    JSON_OBJECT_SCHEMA = "json_object+schema"
    JSON_OBJECT = "json_object"
    NONE = "none"


MODES: Final[tuple[Mode, ...]] = tuple(Mode)
_REMEMBERED_S: Final = 7 * 24 * 3600  # a server may be upgraded: probe again after a week


def next_mode(mode: Mode) -> Mode:
    """The mode to try after `mode` was refused."""
    return MODES[min(MODES.index(mode) + 1, len(MODES) - 1)]


def response_format_for(mode: Mode, name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The `response_format` argument of a request in `mode` (None: not sent)."""
    if mode is Mode.JSON_SCHEMA:
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
    if mode is Mode.JSON_OBJECT_SCHEMA:
        return {"type": "json_object", "schema": schema}
    if mode is Mode.JSON_OBJECT:
        return {"type": "json_object"}
    return None


class ModeMemory:
    """The mode each (model, API base) ended with, in the LLM cache directory (a small JSON file)."""

    def __init__(self, cache_dir: Path, *, enabled: bool = True) -> None:
        self.path = cache_dir / "structured-output.json"
        self.enabled = enabled

    def _entries(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def recall(self, model: str, api_base: str | None) -> tuple[Mode, str] | None:
        """(mode, why) remembered for this model and base, unless stale or disabled."""
        if not self.enabled:
            return None
        entry = self._entries().get(f"{model}|{api_base or ''}")
        try:
            if time.time() - float(entry["at"]) < _REMEMBERED_S:
                return Mode(entry["mode"]), str(entry.get("why", ""))
        except (TypeError, KeyError, ValueError):
            return None
        return None

    def remember(self, model: str, api_base: str | None, mode: Mode, why: str) -> None:
        """Keep the mode (best effort: an unwritable cache only costs a probe next time)."""
        if not self.enabled:
            return
        entries = self._entries()
        entries[f"{model}|{api_base or ''}"] = {"mode": mode.value, "why": why, "at": time.time()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(entries, indent=1, sort_keys=True), encoding="utf-8")
            temporary.replace(self.path)
        except OSError:
            pass
