"""Loopback alias addresses for the lab hosts (added by `up`, removed by `down`)."""
from __future__ import annotations

import socket
import subprocess

from .errors import LabError

__all__ = ["present_addresses", "add_addresses", "remove_addresses", "check_ports_free"]


def present_addresses() -> set[str]:
    out = subprocess.run(["ip", "-4", "-o", "addr", "show", "dev", "lo"], capture_output=True, text=True,
                         check=True, timeout=10).stdout
    return {line.split()[3].split("/")[0] for line in out.splitlines() if " inet " in line}


def add_addresses(ips: list[str]) -> list[str]:
    """Add each missing ip as a /32 alias on lo; return the ones this call added."""
    have = present_addresses()
    added = []
    for ip in ips:
        if ip in have:
            continue
        out = subprocess.run(["ip", "addr", "add", f"{ip}/32", "dev", "lo"], capture_output=True, text=True,
                             check=False, timeout=10)
        if out.returncode != 0:
            msg = f"cannot add loopback address {ip}: {out.stderr.strip()}"
            raise LabError(msg)
        added.append(ip)
    return added


def remove_addresses(ips: list[str]) -> None:
    have = present_addresses()
    for ip in ips:
        if ip in have:
            subprocess.run(["ip", "addr", "del", f"{ip}/32", "dev", "lo"], capture_output=True, check=False,
                           timeout=10)


def check_ports_free(endpoints: list[tuple[str, int]]) -> None:
    for ip, port in endpoints:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((ip, port))
            except OSError as exc:
                msg = f"port in use: {ip}:{port} ({exc.strerror}); is another lab or service running?"
                raise LabError(msg) from exc
