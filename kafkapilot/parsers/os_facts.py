"""Operating-system artifacts in one namespace: df, mounts, /proc files, sysctl, THP,
clock synchronisation and listening sockets.

The parsers live in small modules (``df``, ``mounts``, ``proc``, ``sysctl``, ``clock``,
``sockets``); this module re-exports them for callers that want one import.
"""

from __future__ import annotations

from kafkapilot.parsers.clock import parse_clock_sync
from kafkapilot.parsers.df import DfRow, parse_df
from kafkapilot.parsers.mounts import Mount, mount_for_path, parse_mounts
from kafkapilot.parsers.proc import (
    Limit,
    parse_int,
    parse_limits,
    parse_meminfo,
    parse_proc_status,
    vm_rss_bytes,
    vm_swap_bytes,
)
from kafkapilot.parsers.sockets import Socket, parse_listening_sockets
from kafkapilot.parsers.sysctl import parse_sysctl, parse_thp

__all__ = [
    "DfRow",
    "Limit",
    "Mount",
    "Socket",
    "mount_for_path",
    "parse_clock_sync",
    "parse_df",
    "parse_int",
    "parse_limits",
    "parse_listening_sockets",
    "parse_meminfo",
    "parse_mounts",
    "parse_proc_status",
    "parse_sysctl",
    "parse_thp",
    "vm_rss_bytes",
    "vm_swap_bytes",
]
