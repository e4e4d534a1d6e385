"""Host facts: CPUs, memory, sysctl, THP, filesystems, clock."""

from __future__ import annotations

from typing import Any

from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers import os_facts
from kafkapilot.snapshot.load import Snapshot

__all__ = ["build_host"]


def build_host(snapshot: Snapshot, name: str) -> dict[str, Any]:
    """Facts of one inventory host."""
    entry = snapshot.manifest.hosts[name]
    reader = FactReader(snapshot, name)
    meminfo = reader.read("mem_total_bytes", "meminfo", os_facts.parse_meminfo) or {}
    if "mem_total_bytes" in reader.unavailable:
        for fact in ("mem_available_bytes", "swap_total_bytes", "swap_used_bytes"):
            reader.note(fact, reader.unavailable["mem_total_bytes"])
    mounts = reader.read("mounts", "mounts", os_facts.parse_mounts)
    df_rows = reader.read("df", "df", os_facts.parse_df)
    host: dict[str, Any] = {
        "name": name,
        "address": entry.address,
        "status": entry.status.value,
        "reason": entry.reason,
        "groups": list(entry.groups),
        "reachable": entry.status.value != "unreachable",
        "cpus": reader.read("cpus", "nproc", os_facts.parse_int),
        "mem_total_bytes": meminfo.get("MemTotal"),
        "mem_available_bytes": meminfo.get("MemAvailable"),
        "swap_total_bytes": meminfo.get("SwapTotal"),
        "swap_used_bytes": _swap_used(meminfo),
        "sysctl": reader.read("sysctl", "sysctl", os_facts.parse_sysctl),
        "thp": reader.read("thp", "thp_enabled", os_facts.parse_thp),
        "thp_defrag": reader.read("thp_defrag", "thp_defrag", os_facts.parse_thp),
        "clock_synced": reader.read("clock_synced", "clock_sync", os_facts.parse_clock_sync),
        "mounts": [_mount_dict(m) for m in mounts] if mounts is not None else None,
        "df": [_df_dict(r) for r in df_rows] if df_rows is not None else None,
        "df_inodes": _rows_or_none(reader.read("df_inodes", "df_inodes", os_facts.parse_df)),
    }
    host.update(reader.export())
    if not host["reachable"]:
        reason = f"host {name} unreachable: {entry.reason or 'no reason given'}"
        host["unavailable"] = dict.fromkeys(host["unavailable"], reason) | {"host": reason}
    return host


def _swap_used(meminfo: dict[str, int]) -> int | None:
    if "SwapTotal" not in meminfo or "SwapFree" not in meminfo:
        return None
    return meminfo["SwapTotal"] - meminfo["SwapFree"]


def _mount_dict(mount: os_facts.Mount) -> dict[str, Any]:
    return {
        "device": mount.device,
        "mountpoint": mount.mountpoint,
        "fstype": mount.fstype,
        "options": list(mount.options),
    }


def _df_dict(row: os_facts.DfRow) -> dict[str, Any]:
    return {
        "filesystem": row.filesystem,
        "fstype": row.fstype,
        "total": row.total,
        "used": row.used,
        "available": row.available,
        "use_percent": row.use_percent,
        "mountpoint": row.mountpoint,
    }


def _rows_or_none(rows: tuple[os_facts.DfRow, ...] | None) -> list[dict[str, Any]] | None:
    return [_df_dict(r) for r in rows] if rows is not None else None
