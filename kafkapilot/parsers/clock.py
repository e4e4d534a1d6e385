"""Whether the system clock is synchronised, from whichever tool answered.

Understood: ``timedatectl show`` (``NTPSynchronized=yes``), plain ``timedatectl``
(``System clock synchronized: yes``; older ``NTP synchronized: yes``), ``chronyc tracking``
(``Leap status     : Normal`` / ``Not synchronised``), ``ntpq -p`` (a peer marked ``*``
is the one the clock follows) and ``ntpstat``.
"""

from __future__ import annotations

import re
from typing import Final

from kafkapilot.parsers._lines import content_lines

__all__ = ["parse_clock_sync"]

_YES_NO: Final[dict[str, bool]] = {"yes": True, "no": False, "true": True, "false": False}
_TIMEDATECTL: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:NTPSynchronized\s*=|System clock synchronized:|NTP synchronized:)\s*(\w+)\s*$",
    re.IGNORECASE,
)
_LEAP: Final[re.Pattern[str]] = re.compile(r"^\s*Leap status\s*:\s*(.+?)\s*$", re.IGNORECASE)
_NTPQ_RULE: Final[re.Pattern[str]] = re.compile(r"^=+$")


def parse_clock_sync(text: str) -> bool | None:
    """True when synchronised, False when the tool says it is not, None when unknown."""
    lines = [line for _, line in content_lines(text)]
    for line in lines:
        match = _TIMEDATECTL.match(line)
        if match is not None:
            return _YES_NO.get(match.group(1).lower())
        leap = _LEAP.match(line)
        if leap is not None:
            return not leap.group(1).lower().startswith("not synchron")
    return _ntp(lines)


def _ntp(lines: list[str]) -> bool | None:
    for line in lines:
        lowered = line.strip().lower()
        if lowered.startswith("synchronised to") or lowered.startswith("synchronized to"):
            return True
        if lowered.startswith(("unsynchronised", "unsynchronized")):
            return False
        if lowered.startswith("no association id"):
            return False
    rule = next((i for i, line in enumerate(lines) if _NTPQ_RULE.match(line.strip())), None)
    if rule is None:
        return None
    peers = [line for line in lines[rule + 1 :] if line.strip()]
    return any(line.startswith("*") for line in peers)
