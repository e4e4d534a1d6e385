"""Bounded waiting: every wait has a deadline and says what it waited for when it gives up."""
from __future__ import annotations

import socket
import time
from collections.abc import Callable

from .errors import LabError

__all__ = ["wait_until", "wait_for_port", "port_open"]


def wait_until(predicate: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.5) -> None:
    """Call predicate until it returns True; raise LabError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = ""
    while True:
        try:
            if predicate():
                return
        except LabError as exc:  # a failed attempt is worth reporting if we give up
            last_error = str(exc)
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error})" if last_error else ""
            msg = f"gave up after {timeout:.0f}s waiting for {what}{detail}"
            raise LabError(msg)
        time.sleep(interval)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, *, timeout: float, what: str) -> None:
    wait_until(lambda: port_open(host, port), timeout=timeout, what=f"{what} to listen on {host}:{port}")
