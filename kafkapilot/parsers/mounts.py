"""``/proc/mounts`` (and ``/proc/self/mounts``, ``/etc/mtab``): one mount a line.

``device mountpoint fstype options dump pass``; white space and backslashes inside fields
are written as octal escapes (``\\040`` space, ``\\011`` tab, ``\\012`` newline, ``\\134``
backslash).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines
from kafkapilot.parsers.errors import ParseError

__all__ = ["Mount", "mount_for_path", "parse_mounts"]

_OCTAL: Final[re.Pattern[str]] = re.compile(r"\\([0-7]{3})")


@dataclass(frozen=True, slots=True)
class Mount:
    device: str
    mountpoint: str
    fstype: str
    options: tuple[str, ...]


def parse_mounts(text: str) -> tuple[Mount, ...]:
    """Mounts in file order (later mounts over the same point hide earlier ones).

    Raises ParseError when a line has fewer than three fields or no absolute mount point.
    """
    mounts: list[Mount] = []
    for number, line in content_lines(text):
        fields = line.split()
        if len(fields) < 3 or not _unescape(fields[1]).startswith("/"):
            raise ParseError("not a /proc/mounts line", line=number)
        options = tuple(_unescape(fields[3]).split(",")) if len(fields) > 3 else ()
        mounts.append(
            Mount(
                device=_unescape(fields[0]),
                mountpoint=_unescape(fields[1]),
                fstype=fields[2],
                options=options,
            )
        )
    return tuple(mounts)


def mount_for_path(path: str, mounts: Iterable[Mount]) -> Mount | None:
    """The mount holding ``path``: the longest mount point that is ``path`` or one of its
    parent directories (by whole components: ``/data`` does not hold ``/data2``). Of equal
    mount points the last one wins, as the kernel shows the newest mount. The path is
    normalised lexically (``..``, ``//``) but symbolic links are not followed."""
    target = posixpath.normpath("/" + path.lstrip("/")) if path else "/"
    best: Mount | None = None
    best_length = -1
    for mount in mounts:
        point = posixpath.normpath(mount.mountpoint)
        inside = point in ("/", target) or target.startswith(point + "/")
        if inside and len(point) >= best_length:
            best, best_length = mount, len(point)
    return best


def _unescape(field: str) -> str:
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field)
