"""Java ``.properties`` files (server.properties, meta.properties, client configs …).

Follows ``java.util.Properties.load`` exactly: ``#``/``!`` comments, ``=``, ``:`` or white
space between key and value, backslash continuations (leading white space of the next line
dropped), the escapes ``\\t \\n \\r \\f \\uXXXX`` and ``\\`` before any other character
keeping that character (``\\=``, ``\\:``, ``\\ ``, ``\\#``). Also finds Kafka config provider
references (``${file:/etc/kafka/secrets.properties:password}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, NamedTuple

from kafkapilot.parsers._lines import split_lines

__all__ = [
    "Properties",
    "PropertyEntry",
    "ProviderRef",
    "parse_properties",
    "provider_references",
]

_WHITESPACE: Final[str] = " \t\f"
_SEPARATORS: Final[str] = "=:"
_KEY_END: Final[re.Pattern[str]] = re.compile(r"[=: \t\f]")
_SIMPLE_ESCAPES: Final[dict[str, str]] = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}
#: Kafka's ConfigTransformer pattern: ${provider:[path:]key}.
_PROVIDER_REF: Final[re.Pattern[str]] = re.compile(r"\$\{([^}]*?):(?:([^}]*?):)?([^}]*?)\}")


class PropertyEntry(NamedTuple):
    """One ``key=value`` assignment; ``line`` is where its logical line starts (1-based)."""

    key: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class ProviderRef:
    """A ``${provider:path:key}`` reference; ``path`` is None in the ``${provider:key}`` form."""

    provider: str
    path: str | None
    key: str


@dataclass(frozen=True, slots=True)
class Properties:
    """All assignments of a properties file, in file order, duplicates included."""

    entries: tuple[PropertyEntry, ...]

    def as_dict(self) -> dict[str, str]:
        """Key to value; the last assignment of a key wins, as in Java."""
        return {entry.key: entry.value for entry in self.entries}

    def line_of(self, key: str) -> int | None:
        """Line of the effective (last) assignment of ``key``, None if absent."""
        for entry in reversed(self.entries):
            if entry.key == key:
                return entry.line
        return None

    def duplicates(self) -> tuple[str, ...]:
        """Keys assigned more than once, in order of first appearance."""
        seen: set[str] = set()
        repeated: dict[str, None] = {}
        for entry in self.entries:
            if entry.key in seen:
                repeated[entry.key] = None
            seen.add(entry.key)
        return tuple(repeated)


def parse_properties(text: str) -> Properties:
    """Parse properties text. Never fails: anything is a valid properties file."""
    if "\\" not in text:  # no escape and no continuation: one line, one entry
        return Properties(entries=tuple(_plain_entries(split_lines(text))))
    entries = [
        _entry(logical, number) for number, logical in _logical_lines(split_lines(text))
    ]
    return Properties(entries=tuple(entries))


def provider_references(value: str) -> tuple[ProviderRef, ...]:
    """Config provider references in a value, as Kafka's ConfigTransformer finds them."""
    if "${" not in value:
        return ()
    return tuple(
        ProviderRef(provider=m.group(1), path=m.group(2), key=m.group(3))
        for m in _PROVIDER_REF.finditer(value)
    )


def _plain_entries(lines: list[str]) -> list[PropertyEntry]:
    """The entries of lines without a backslash: no continuation, nothing to unescape."""
    entries = []
    for number, raw in enumerate(lines, start=1):
        line = raw.lstrip(_WHITESPACE)
        if not line or line[0] in "#!":
            continue
        found = _KEY_END.search(line)
        key_end = found.start() if found else len(line)
        rest = line[key_end:].lstrip(_WHITESPACE)
        if rest and rest[0] in _SEPARATORS:
            rest = rest[1:].lstrip(_WHITESPACE)
        entries.append(PropertyEntry(line[:key_end], rest, number))
    return entries


def _ends_with_continuation(line: str) -> bool:
    backslashes = len(line) - len(line.rstrip("\\"))
    return backslashes % 2 == 1


def _logical_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Join continued natural lines; drop comments and blank lines."""
    logical: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        start = index
        line = lines[index].lstrip(_WHITESPACE)
        index += 1
        if not line or line[0] in "#!":
            continue
        parts = []
        while _ends_with_continuation(line) and index < len(lines):
            parts.append(line[:-1])
            line = lines[index].lstrip(_WHITESPACE)
            index += 1
        if _ends_with_continuation(line):  # a continuation at end of file is dropped
            line = line[:-1]
        parts.append(line)
        logical.append((start + 1, "".join(parts)))
    return logical


def _entry(line: str, number: int) -> PropertyEntry:
    if "\\" not in line:  # the common case: no escape, so no unescaping and no escaped separator
        found = _KEY_END.search(line)
        key_end = found.start() if found else len(line)
        rest = line[key_end:].lstrip(_WHITESPACE)
        if rest and rest[0] in _SEPARATORS:
            rest = rest[1:].lstrip(_WHITESPACE)
        return PropertyEntry(key=line[:key_end], value=rest, line=number)
    key_end = _key_end(line)
    rest = line[key_end:].lstrip(_WHITESPACE)
    if rest and rest[0] in _SEPARATORS:
        rest = rest[1:].lstrip(_WHITESPACE)
    return PropertyEntry(key=_unescape(line[:key_end]), value=_unescape(rest), line=number)


def _key_end(line: str) -> int:
    """Index of the first unescaped separator or white space."""
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\":
            index += 2
            continue
        if char in _SEPARATORS or char in _WHITESPACE:
            return index
        index += 1
    return len(line)


def _unescape(raw: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(raw):
        char = raw[index]
        index += 1
        if char != "\\" or index >= len(raw):
            if char != "\\":
                out.append(char)
            continue
        code = raw[index]
        index += 1
        if code == "u":
            digits = raw[index : index + 4]
            if len(digits) == 4 and all(c in "0123456789abcdefABCDEF" for c in digits):
                out.append(chr(int(digits, 16)))
                index += 4
            else:  # Java rejects this ("Malformed \uxxxx encoding"); keep it visible
                out.append("\\u")
        else:
            out.append(_SIMPLE_ESCAPES.get(code, code))
    return _join_surrogates("".join(out))


def _join_surrogates(value: str) -> str:
    """Turn ``\\ud83d\\ude00`` pairs (UTF-16, as Java writes them) into one character."""
    if not any("\ud800" <= char <= "\udfff" for char in value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
