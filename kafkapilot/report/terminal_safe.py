"""Text from a snapshot or an LLM made safe to print on a terminal.

A log line, a topic name or a model's answer can carry escape sequences: CSI (cursor moves, screen
clears, colours), OSC (window titles, OSC-8 hyperlinks that hide their target), the 8-bit C1 forms of
both, BEL and backspaces that overwrite what was printed. The terminal report removes them from every
string of the report before drawing it, with and without colour, so what an operator reads is what the
snapshot holds; its own colours are added afterwards by the renderer. Lone surrogates (from a
snapshot's JSON escapes) become U+FFFD, which every encoder can write.
"""

from __future__ import annotations

import re
from typing import Any, Final, TypeVar

from pydantic import BaseModel

__all__ = ["terminal_safe", "terminal_safe_model"]

_SEQUENCES: Final = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI, 7- and 8-bit (an unterminated one up to where it stops)
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, ended by BEL or ST (or not at all)
    r"|(?:\x1bP|\x90|\x1b_|\x9f|\x1b\^|\x9e|\x1bX|\x98)[^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, APC, PM, SOS strings
    r"|\x1b[ -/]*[0-~]?"  # any other escape (charset switches, RIS …)
)
#: C0 and C1 controls other than newline and tab, DEL, and lone surrogates
_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

M = TypeVar("M", bound=BaseModel)


def terminal_safe(text: str) -> str:
    """``text`` without escape sequences and control characters (newline and tab kept); surrogates as U+FFFD."""
    if text.isprintable():
        return text
    text = _SEQUENCES.sub("", text)
    return _CONTROLS.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: _clean(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, tuple):
        return tuple(_clean(item) for item in value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


def terminal_safe_model(model: M) -> M:
    """A copy of ``model`` (a report, a finding …) with every string in it made terminal-safe."""
    return _clean(model)
