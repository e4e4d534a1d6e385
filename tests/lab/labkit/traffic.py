"""Client traffic a scenario sends once the cluster is up: what misbehaving clients do to a broker,
so that the broker itself logs it (the log checks read those lines).

Only to the lab's own loopback addresses, a fixed number of connections, each with a timeout.
"""
from __future__ import annotations

import socket
import ssl
from typing import Any

from .errors import LabError
from .topology import Host

__all__ = ["SENDS", "send_traffic"]

_TIMEOUT = 5.0


def _http(host: Host, port: int) -> None:
    """An HTTP request to a Kafka port: the broker reads 'GET ' as a request size and logs InvalidReceiveException."""
    with socket.create_connection((host.ip, port), timeout=_TIMEOUT) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: " + host.name.encode() + b"\r\n\r\n")
        _drain(conn)


def _tls_without_certificate(host: Host, port: int) -> None:
    """A TLS client without a certificate on a listener with ssl.client.auth=required: a failed authentication."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host.ip, port), timeout=_TIMEOUT) as raw:
        try:
            with context.wrap_socket(raw, server_hostname=host.name) as conn:
                conn.sendall(b"\x00\x00\x00\x00")
                _drain(conn)
        except (ssl.SSLError, OSError):
            pass  # the broker refused the handshake: what we came for


def _drain(conn: socket.socket) -> None:
    try:
        while conn.recv(4096):
            pass
    except (OSError, ssl.SSLError):
        pass


SENDS = {"http": _http, "tls_without_certificate": _tls_without_certificate}


def send_traffic(change: dict[str, Any], host: Host) -> None:
    kind = change["send"]
    if kind not in SENDS:
        msg = f"traffic change: unknown send {kind!r}; known: {', '.join(SENDS)}"
        raise LabError(msg)
    for _ in range(int(change["count"])):
        SENDS[kind](host, int(change["port"]))
