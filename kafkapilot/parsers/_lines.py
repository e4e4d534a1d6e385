"""Helpers shared by the parsers: line splitting, CLI noise, small value conversions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Final

from kafkapilot.parsers.errors import ParseError

__all__ = [
    "NOISE",
    "content_lines",
    "int_list",
    "is_noise",
    "labelled_fields",
    "optional_int",
    "reject_unrecognised",
    "split_lines",
]

#: Lines the JVM, logging frameworks and Kafka's CLI tools print around real output.
NOISE: Final[re.Pattern[str]] = re.compile(
    r"""^(?:
        SLF4J(?:\([A-Z]\))?:.*                              # SLF4J: / SLF4J(W): binding noise
      | log4j:(?:WARN|ERROR|INFO).*                          # log4j 1 internal messages
      | (?:\S+\ \S+\ )?(?:\S+\ )?(?:WARN|ERROR|INFO|DEBUG)\ StatusLogger\b.*  # log4j 2 status
      | WARNING:.*                                           # JVM / tool warnings
      | (?:OpenJDK|Java\ HotSpot\(TM\)|Eclipse\ OpenJ9)[\w\ -]*VM\ warning:.*
      | (?:NOTE:\ )?Picked\ up\ (?:JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS):.*
      | \[\d{4}-\d\d-\d\d[\ T][\d:,.]+\]\ (?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\b.*  # tool log
      | \s+at\ [\w$.<>/]+\(.*\)                              # stack trace frame
      | \s*\.\.\.\ \d+\ more                                 # stack trace elision
      | Caused\ by:\ .*
    )\s*$""",
    re.VERBOSE,
)


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` with CRLF/CR endings normalised, a BOM dropped, trailing blanks kept."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def is_noise(line: str) -> bool:
    """True for a warning, log or stack-trace line printed by the JVM or a CLI tool."""
    return NOISE.match(line) is not None


def content_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(1-based line number, line without trailing white space)`` of the non-blank,
    non-noise lines."""
    for number, raw in enumerate(split_lines(text), start=1):
        line = raw.rstrip()
        if line.strip() and not is_noise(line):
            yield number, line


def optional_int(value: str | None) -> int | None:
    """An int, or None for a missing value: empty, ``-``, ``null``, ``none``, ``N/A`` or junk."""
    if value is None:
        return None
    value = value.strip()
    try:
        return int(value)
    except ValueError:
        return None


_PLAIN_INT_LIST = re.compile(r"\d+(?:,\d+)*")


def int_list(value: str) -> tuple[int, ...]:
    """``1,2,3`` (also ``[1, 2, 3]`` or space separated) as ints; non-numbers are skipped."""
    value = value.strip()
    if not value:
        return ()
    if _PLAIN_INT_LIST.fullmatch(value):  # the common case, 20 000 times in a large cluster
        return tuple(map(int, value.split(",")))
    numbers = (optional_int(part) for part in re.split(r"[,\s\[\]]+", value))
    return tuple(n for n in numbers if n is not None)


def labelled_fields(line: str, labels: Iterable[str]) -> dict[str, str]:
    """``Label: value`` pairs of a line, for the given labels only.

    Works whether the pairs are separated by tabs (as the tools print them) or spaces
    (as they appear once copied from a terminal), and with or without a space after the
    colon (Kafka 0.x printed ``Topic:orders``). A value runs to the next known label.
    """
    key = tuple(sorted(labels))
    fast = _tab_separated_fields(line, frozenset(key))
    if fast is not None:
        return fast
    matches = list(_label_pattern(key).finditer(line))
    fields: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        fields.setdefault(match.group(1), line[match.end() : end].strip())
    return fields


def _tab_separated_fields(line: str, labels: frozenset[str]) -> dict[str, str] | None:
    """The tools' own tab-separated form, parsed without a regex; None when the line is not in it."""
    if "\t" not in line:
        return None
    fields: dict[str, str] = {}
    for part in line.strip().split("\t"):
        label, sep, value = part.partition(": ")
        if ": " in value:  # several labels in one tab field: spaces were used somewhere
            return None
        if not sep:
            label, value = part.rstrip(), ""
            if not label.endswith(":"):
                return None
            label = label[:-1]
        if label not in labels:
            return None
        fields.setdefault(label, value.strip())
    return fields


@lru_cache(maxsize=64)
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=\s))({alternatives}):[ \t]?")


def reject_unrecognised(found: object, first_unrecognised: int | None, what: str) -> None:
    """Raise ParseError at the first line that was neither noise nor understood, when
    nothing at all was understood (``found`` falsy): the text is ``not <what>``."""
    if not found and first_unrecognised is not None:
        raise ParseError(f"nothing recognised: not {what}", line=first_unrecognised)
