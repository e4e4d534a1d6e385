"""systemd unit files and ``systemctl cat`` output.

``systemctl cat kafka.service`` prints the unit file and then its drop-ins, each after a
header line ``# /path/of/the/file``; the files are read in that order, so drop-ins
override the unit. Within files systemd's rules apply: ``#``/``;`` comments, ``[Section]``
headers, ``Key=value`` with white space around ``=`` ignored, trailing-backslash
continuation (the backslash becomes a space), repeated keys accumulating, and an empty
assignment ``Key=`` resetting the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import split_lines
from kafkapilot.parsers.envfile import parse_environment_file
from kafkapilot.parsers.errors import ParseError

__all__ = [
    "EnvFileRef",
    "SystemdUnit",
    "parse_environment_file",
    "parse_unit",
]

_CAT_HEADER: Final[re.Pattern[str]] = re.compile(
    r"^# (/\S+\.(?:service|socket|timer|target|path|mount|automount|swap|slice|scope|conf))$"
)
_SECTION: Final[re.Pattern[str]] = re.compile(r"^\[([^\]]+)\]$")
_EXEC_PREFIXES: Final[str] = "-@+!:|"
_C_ESCAPES: Final[dict[str, str]] = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "\\": "\\",
    '"': '"',
    "'": "'",
}
_SERVICE: Final[str] = "Service"


@dataclass(frozen=True, slots=True)
class EnvFileRef:
    """``EnvironmentFile=[-]path``; a leading ``-`` makes a missing file acceptable."""

    path: str
    optional: bool


@dataclass(frozen=True, slots=True)
class SystemdUnit:
    """Section → key → values in order (after ``Key=`` resets), and the files read."""

    sections: dict[str, dict[str, tuple[str, ...]]]
    source_files: tuple[str, ...] = ()

    def values(self, section: str, key: str) -> tuple[str, ...]:
        """All effective values of ``key`` in ``section``; () when never set."""
        return self.sections.get(section, {}).get(key, ())

    def last(self, section: str, key: str) -> str | None:
        """The effective value of a single-valued key (the last one), None when unset."""
        values = self.values(section, key)
        return values[-1] if values else None

    @property
    def exec_start(self) -> str | None:
        """The last ``ExecStart=`` of [Service] without its ``-@+!:`` prefixes."""
        value = self.last(_SERVICE, "ExecStart")
        return value.lstrip(_EXEC_PREFIXES).strip() if value is not None else None

    @property
    def environment_files(self) -> tuple[EnvFileRef, ...]:
        refs = []
        for value in self.values(_SERVICE, "EnvironmentFile"):
            optional = value.startswith("-")
            refs.append(EnvFileRef(path=value.lstrip("-").strip(), optional=optional))
        return tuple(refs)

    @property
    def environment(self) -> dict[str, str]:
        """Variables of all ``Environment=`` lines of [Service]; later ones override."""
        result: dict[str, str] = {}
        for value in self.values(_SERVICE, "Environment"):
            for word in _split_words(value):
                key, sep, val = word.partition("=")
                if sep and key:
                    result[key] = val
        return result

    @property
    def user(self) -> str | None:
        return self.last(_SERVICE, "User")

    @property
    def limit_nofile(self) -> tuple[int | None, int | None] | None:
        """(soft, hard) of ``LimitNOFILE=``; ``infinity`` is None; None when unset or junk."""
        value = self.last(_SERVICE, "LimitNOFILE")
        if value is None or not value.strip():
            return None
        soft_text, _, hard_text = value.strip().partition(":")
        try:
            soft = _limit(soft_text)
            hard = _limit(hard_text) if hard_text else soft
        except ValueError:
            return None
        return soft, hard


def parse_unit(text: str) -> SystemdUnit:
    """Parse a unit file, a drop-in, or ``systemctl cat`` output (unit plus drop-ins).

    Raises ParseError when there is content but no section and no file header at all.
    """
    sections: dict[str, dict[str, list[str]]] = {}
    sources: list[str] = []
    current: dict[str, list[str]] | None = None
    first_junk: int | None = None
    for number, line in _logical_lines(split_lines(text)):
        header = _CAT_HEADER.match(line)
        if header is not None:
            sources.append(header.group(1))
            current = None
            continue
        if line[0] in "#;":
            continue
        section = _SECTION.match(line)
        if section is not None:
            current = sections.setdefault(section.group(1).strip(), {})
            continue
        key, sep, value = line.partition("=")
        if not sep or current is None:
            first_junk = first_junk if first_junk is not None else number
            continue
        key, value = key.strip(), value.strip()
        if value:
            current.setdefault(key, []).append(value)
        else:
            current[key] = []
    if not sections and not sources and first_junk is not None:
        raise ParseError("no [Section] header: not a systemd unit file", line=first_junk)
    frozen = {
        name: {key: tuple(values) for key, values in keys.items()}
        for name, keys in sections.items()
    }
    return SystemdUnit(sections=frozen, source_files=tuple(sources))


def _logical_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Stripped non-blank lines with continuations joined; comment lines inside a
    continuation are skipped, as systemd does."""
    result: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        number = index + 1
        line = lines[index].strip()
        index += 1
        if not line:
            continue
        if line[0] not in "#;":
            while line.endswith("\\") and index < len(lines):
                following = lines[index].strip()
                index += 1
                if following[:1] in ("#", ";"):
                    continue
                line = line[:-1] + " " + following
            line = line.removesuffix("\\").strip()
        result.append((number, line))
    return result


def _split_words(value: str) -> list[str]:
    """systemd's word splitting with quote removal and C escapes (``Environment=``)."""
    words: list[str] = []
    current: list[str] = []
    quote: str | None = None
    in_word = False
    index = 0
    while index < len(value):
        char = value[index]
        index += 1
        if char == "\\" and index < len(value):
            current.append(_C_ESCAPES.get(value[index], value[index]))
            index += 1
            in_word = True
        elif quote is not None:
            if char == quote:
                quote = None
            else:
                current.append(char)
        elif char in " \t":
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
        elif char in "\"'":
            quote, in_word = char, True
        else:
            current.append(char)
            in_word = True
    if in_word:
        words.append("".join(current))
    return words


def _limit(text: str) -> int | None:
    text = text.strip()
    if text == "infinity":
        return None
    return int(text)
