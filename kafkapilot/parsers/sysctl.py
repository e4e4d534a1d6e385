"""``sysctl`` output and the transparent huge pages settings.

``sysctl vm.swappiness …`` prints ``vm.swappiness = 1``; ``sysctl -n`` is not used.
``sysctl: cannot stat /proc/sys/…`` errors for unknown keys are skipped. THP files read
``always [madvise] never``: the bracketed word is the setting.
"""

from __future__ import annotations

import re
from typing import Final

from kafkapilot.parsers._lines import content_lines, reject_unrecognised

__all__ = ["parse_sysctl", "parse_thp"]

_SYSCTL: Final[re.Pattern[str]] = re.compile(r"^([A-Za-z0-9_][\w.\-/*:]*)\s*=\s?(.*)$")
_THP_CHOICE: Final[re.Pattern[str]] = re.compile(r"\[([^\]]+)\]")


def parse_sysctl(text: str) -> dict[str, str]:
    """``key = value`` (or ``key=value``) lines; values keep inner white space (tabs of
    ``net.ipv4.tcp_rmem`` become single spaces). Lines naming ``/proc/sys`` paths are
    ignored. Raises ParseError when there is output but no assignment at all."""
    result: dict[str, str] = {}
    first_other: int | None = None
    for number, line in content_lines(text):
        stripped = line.strip()
        if stripped.startswith(("sysctl:", "/proc/sys", "#", ";")):
            continue
        match = _SYSCTL.match(stripped)
        if match is None:
            first_other = first_other or number
            continue
        result[match.group(1)] = " ".join(match.group(2).split())
    reject_unrecognised(result, first_other, "sysctl output")
    return result


def parse_thp(text: str) -> str | None:
    """``always [madvise] never`` → ``madvise``; a bare single word is taken as is;
    None when nothing is chosen."""
    for _, line in content_lines(text):
        match = _THP_CHOICE.search(line)
        if match is not None:
            return match.group(1).strip()
        words = line.split()
        if len(words) == 1:
            return words[0]
    return None
