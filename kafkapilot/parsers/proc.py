"""Kernel files under ``/proc``: ``<pid>/limits``, ``<pid>/status``, ``meminfo``, and the
one-integer artifacts (``nproc``, fd and map counts).

``/proc/<pid>/limits`` is a fixed-width table (``%-25s %-20s %-20s %-10s``)::

    Limit                     Soft Limit           Hard Limit           Units
    Max open files            1048576              1048576              files
    Max nice priority         0                    0
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines
from kafkapilot.parsers.errors import ParseError

__all__ = [
    "Limit",
    "parse_int",
    "parse_limits",
    "parse_meminfo",
    "parse_proc_status",
    "vm_rss_bytes",
    "vm_swap_bytes",
]

_LIMIT_ROW: Final[re.Pattern[str]] = re.compile(
    r"^(?P<name>\S.*?)\s{2,}(?P<soft>\S+)\s+(?P<hard>\S+)(?:\s+(?P<units>\S+))?$"
)
_KIB_VALUE: Final[re.Pattern[str]] = re.compile(r"^(\d+)\s*(kB|KB|kb|KiB)?$")
_UNITS: Final[dict[str, int]] = {"kB": 1024, "KB": 1024, "kb": 1024, "KiB": 1024}


@dataclass(frozen=True, slots=True)
class Limit:
    """``unlimited`` is None; ``units`` is None for the unit-less priority rows."""

    soft: int | None
    hard: int | None
    units: str | None


def parse_limits(text: str) -> dict[str, Limit]:
    """``/proc/<pid>/limits`` keyed by the limit name (``Max open files``).

    Raises ParseError for a row that is not ``name  soft  hard [units]``.
    """
    limits: dict[str, Limit] = {}
    for number, line in content_lines(text):
        if line.startswith("Limit ") and "Soft Limit" in line:
            continue
        match = _LIMIT_ROW.match(line)
        if match is None:
            raise ParseError("not a /proc/<pid>/limits row", line=number)
        try:
            soft, hard = _limit_value(match.group("soft")), _limit_value(match.group("hard"))
        except ValueError as exc:
            raise ParseError(f"limit value is not a number: {exc}", line=number) from exc
        limits[match.group("name")] = Limit(soft=soft, hard=hard, units=match.group("units"))
    return limits


def parse_proc_status(text: str) -> dict[str, str]:
    """``/proc/<pid>/status`` as ``field → value`` (value stripped, units kept)."""
    return {key: value for _, key, value in _colon_fields(text, "/proc/<pid>/status")}


def vm_rss_bytes(status: Mapping[str, str]) -> int | None:
    """Resident set size in bytes from :func:`parse_proc_status`, None when absent."""
    return _kib_to_bytes(status.get("VmRSS"))


def vm_swap_bytes(status: Mapping[str, str]) -> int | None:
    """Swapped-out size in bytes from :func:`parse_proc_status`, None when absent."""
    return _kib_to_bytes(status.get("VmSwap"))


def parse_meminfo(text: str) -> dict[str, int]:
    """``/proc/meminfo`` with ``kB`` values in bytes; unit-less counts
    (``HugePages_Total``) as they are.

    Raises ParseError for a value that is not a number.
    """
    result: dict[str, int] = {}
    for number, key, value in _colon_fields(text, "/proc/meminfo"):
        converted = _kib_to_bytes(value)
        if converted is None:
            raise ParseError(f"meminfo value of {key} is not a number: {value!r}", line=number)
        result[key] = converted
    return result


def parse_int(text: str) -> int | None:
    """The one integer of ``nproc``, a fd count or a map count; None when empty or junk."""
    numbers = [line.strip() for _, line in content_lines(text)]
    if len(numbers) != 1:
        return None
    try:
        return int(numbers[0])
    except ValueError:
        return None


def _colon_fields(text: str, what: str) -> list[tuple[int, str, str]]:
    """(line number, key, value) of ``Key:  value`` lines."""
    fields: list[tuple[int, str, str]] = []
    for number, line in content_lines(text):
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or " " in key.strip():
            raise ParseError(f"not a 'Key: value' line of {what}", line=number)
        fields.append((number, key.strip(), value.strip()))
    return fields


def _kib_to_bytes(value: str | None) -> int | None:
    if value is None:
        return None
    match = _KIB_VALUE.match(value.strip())
    if match is None:
        return None
    return int(match.group(1)) * _UNITS.get(match.group(2) or "", 1)


def _limit_value(text: str) -> int | None:
    return None if text == "unlimited" else int(text)
