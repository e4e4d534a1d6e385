"""``journalctl -u UNIT -o short-iso``: a service's output as journald keeps it, one entry per line::

    2026-12-02T08:38:51+0000 kafka-3 java[235]: [2026-12-02 08:38:51,781] INFO Created log for partition ...

A broker that logs to the console under systemd (no file appender) writes its log4j lines to
stdout, which systemd hands to journald: the message after ``IDENT[PID]: `` is the log4j line,
stack-trace lines included (one entry each). journalctl's own lines (``-- No entries --``,
``-- Boot … --``) are not the service's. systemd 252 prints the offset as ``+0000``, newer ones as
``+00:00``; both are read.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["journal_messages"]

_ENTRY: Final = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d) \S+ [^:]*?(?:\[\d+\])?: ")


def journal_messages(text: str) -> tuple[str, ...]:
    """The messages of the journal's entries, in order: a console-logging service's own log lines."""
    found = []
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match:
            found.append(line[match.end():])
        elif line and not line.startswith("-- "):
            found.append(line)  # a line journalctl wrapped or printed without a prefix: kept as it is
    return tuple(found)
