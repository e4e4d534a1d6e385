"""``df -PT`` (1024-blocks) and ``df -PTi`` (inodes): POSIX output with a Type column.

::

    Filesystem     Type 1024-blocks     Used Available Capacity Mounted on
    /dev/sdb1      xfs    976285652 12345678 963939974       2% /var/lib/kafka

With ``-P`` a row is never wrapped; the mount point is the rest of the line and may hold
spaces. ``-`` (inode columns of btrfs and some network filesystems) gives None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines, optional_int, reject_unrecognised

__all__ = ["DfRow", "parse_df"]

_HEADER: Final[re.Pattern[str]] = re.compile(r"^Filesystem\s+Type\s+(\S+)\s", re.IGNORECASE)
_ROW: Final[re.Pattern[str]] = re.compile(
    r"^(?P<fs>\S+)\s+(?P<type>\S+)\s+(?P<total>\d+|-)\s+(?P<used>\d+|-)\s+(?P<avail>\d+|-)\s+"
    r"(?P<pct>\d+%|-)\s+(?P<mount>/.*)$"
)


@dataclass(frozen=True, slots=True)
class DfRow:
    """One filesystem; sizes are in the unit df printed (``unit``: 1024-blocks or Inodes)."""

    filesystem: str
    fstype: str
    total: int | None
    used: int | None
    available: int | None
    use_percent: int | None
    mountpoint: str
    unit: str = "1024-blocks"


def parse_df(text: str) -> tuple[DfRow, ...]:
    """Rows of ``df -PT`` / ``df -PTi``; ``df: …`` error lines are skipped.

    Raises ParseError when there is output but neither a header nor a row.
    """
    rows: list[DfRow] = []
    unit = "1024-blocks"
    first_other: int | None = None
    seen_header = False
    for number, line in content_lines(text):
        header = _HEADER.match(line)
        if header is not None:
            unit, seen_header = header.group(1), True
            continue
        match = _ROW.match(line)
        if match is None:
            if not line.startswith("df:"):
                first_other = first_other or number
            continue
        pct = match.group("pct")
        rows.append(
            DfRow(
                filesystem=match.group("fs"),
                fstype=match.group("type"),
                total=optional_int(match.group("total")),
                used=optional_int(match.group("used")),
                available=optional_int(match.group("avail")),
                use_percent=optional_int(pct.rstrip("%")),
                mountpoint=match.group("mount"),
                unit=unit,
            )
        )
    reject_unrecognised(rows or seen_header, first_other, "df -PT output")
    return tuple(rows)
