"""Listening TCP sockets from ``ss -ltnp`` (or ``ss -ltn``, without the process column).

::

    State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess
    LISTEN 0      50     [::ffff:10.0.0.5]:9092   *:*    users:(("java",pid=1234,fd=150))
    LISTEN 0      4096   127.0.0.53%lo:53   0.0.0.0:*    users:(("systemd-resolve",pid=612,fd=14))

Older ``ss`` printed ``users:(("java",1234,150))`` and spaced headers differently; both
are read. A ``Netid`` first column (``ss -l`` without ``-t``) is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines, reject_unrecognised

__all__ = ["Socket", "parse_listening_sockets"]

_STATES: Final[frozenset[str]] = frozenset({"LISTEN", "UNCONN", "ESTAB"})
_NETIDS: Final[frozenset[str]] = frozenset({"tcp", "tcp6", "udp", "udp6", "raw", "u_str", "sctp"})
_PROCESS: Final[re.Pattern[str]] = re.compile(r'\("([^"]*)",(?:pid=)?(\d+)')
_ENDPOINT: Final[re.Pattern[str]] = re.compile(r"^(?P<addr>.*):(?P<port>\d+|\*)$")


@dataclass(frozen=True, slots=True)
class Socket:
    """``address`` without brackets or interface (``*``, ``0.0.0.0``, ``::``,
    ``::ffff:10.0.0.5``); ``process`` the first process name, None without ``-p``."""

    address: str
    port: int
    process: str | None
    pid: int | None = None
    interface: str | None = None


def parse_listening_sockets(text: str) -> tuple[Socket, ...]:
    """Listening sockets in output order.

    Raises ParseError when there is output but no header and no socket line.
    """
    sockets: list[Socket] = []
    first_other: int | None = None
    seen_header = False
    for number, line in content_lines(text):
        fields = line.split()
        if fields and fields[0] in _NETIDS:
            fields = fields[1:]
        if fields and fields[0] in ("State", "Netid"):
            seen_header = True
            continue
        socket = _socket(fields)
        if socket is None:
            first_other = first_other or number
            continue
        sockets.append(socket)
    reject_unrecognised(sockets or seen_header, first_other, "ss -ltn output")
    return tuple(sockets)


def _socket(fields: list[str]) -> Socket | None:
    if len(fields) < 5 or fields[0] not in _STATES:
        return None
    endpoint = _ENDPOINT.match(fields[3])
    if endpoint is None or endpoint.group("port") == "*":
        return None
    address = endpoint.group("addr")
    interface = None
    if "%" in address:
        address, interface = address.split("%", 1)
    address = address.removeprefix("[").removesuffix("]")
    process = _PROCESS.search(" ".join(fields[5:]))
    return Socket(
        address=address,
        port=int(endpoint.group("port")),
        process=process.group(1) if process else None,
        pid=int(process.group(2)) if process else None,
        interface=interface,
    )
