# Copyright: KafkaPilot developers. Apache-2.0.
"""Java .properties text as a dict, the way java.util.Properties.load reads it.

The controller's lean copy of kafkapilot.parsers.properties (the analysis side's authority):
the collection only needs key -> value, the last assignment winning. A test runs both over
the parser samples and asserts equal results.
"""

from __future__ import annotations

__all__ = ["parse_properties"]

_BLANK = " \t\f"
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}
_HEX = frozenset("0123456789abcdefABCDEF")


def parse_properties(text: str) -> dict[str, str]:
    """Key -> value of properties text (comments, continuations, escapes as Java reads them)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index].lstrip(_BLANK)
        index += 1
        if not line or line[0] in "#!":
            continue
        parts = []
        while _continued(line) and index < len(lines):
            parts.append(line[:-1])
            line = lines[index].lstrip(_BLANK)
            index += 1
        parts.append(line[:-1] if _continued(line) else line)
        key, value = _split("".join(parts))
        found[key] = value
    return found


def _continued(line: str) -> bool:
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _split(line: str) -> tuple[str, str]:
    end = 0
    while end < len(line):
        if line[end] == "\\":
            end += 2
            continue
        if line[end] in "=:" or line[end] in _BLANK:
            break
        end += 1
    end = min(end, len(line))
    rest = line[end:].lstrip(_BLANK)
    if rest[:1] in ("=", ":") and rest:
        rest = rest[1:].lstrip(_BLANK)
    return _unescape(line[:end]), _unescape(rest)


def _unescape(raw: str) -> str:
    out = []
    index = 0
    while index < len(raw):
        char = raw[index]
        index += 1
        if char != "\\":
            out.append(char)
            continue
        if index >= len(raw):
            continue
        code = raw[index]
        index += 1
        if code != "u":
            out.append(_ESCAPES.get(code, code))
        elif len(raw[index:index + 4]) == 4 and set(raw[index:index + 4]) <= _HEX:
            out.append(chr(int(raw[index:index + 4], 16)))
            index += 4
        else:
            out.append("\\u")
    value = "".join(out)
    if any("\ud800" <= c <= "\udfff" for c in value):
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value
