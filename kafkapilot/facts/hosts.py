"""Host facts: CPUs, memory, sysctl, THP, filesystems, clock."""

from __future__ import annotations

from kafkapilot.facts.model import DfRow, Host, Mount
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers import os_facts
from kafkapilot.snapshot.load import Snapshot

__all__ = ["build_host"]


def build_host(snapshot: Snapshot, name: str) -> Host:
    """Facts of one inventory host."""
    entry = snapshot.manifest.hosts[name]
    reader = FactReader(snapshot, name)
    meminfo = reader.read("mem_total_bytes", "meminfo", os_facts.parse_meminfo) or {}
    if "mem_total_bytes" in reader.unavailable:
        for fact in ("mem_available_bytes", "swap_total_bytes", "swap_used_bytes"):
            reader.note(fact, reader.unavailable["mem_total_bytes"])
    mounts = reader.read("mounts", "mounts", os_facts.parse_mounts)
    df_rows = reader.read("df", "df", os_facts.parse_df)
    inode_rows = reader.read("df_inodes", "df_inodes", os_facts.parse_df)
    reachable = entry.status.value != "unreachable"
    host = Host(
        name=name,
        address=entry.address,
        status=entry.status.value,
        reason=entry.reason,
        groups=list(entry.groups),
        reachable=reachable,
        cpus=reader.read("cpus", "nproc", os_facts.parse_int),
        mem_total_bytes=meminfo.get("MemTotal"),
        mem_available_bytes=meminfo.get("MemAvailable"),
        swap_total_bytes=meminfo.get("SwapTotal"),
        swap_used_bytes=_swap_used(meminfo),
        sysctl=dict(sysctl) if (sysctl := reader.read("sysctl", "sysctl", os_facts.parse_sysctl)) is not None else None,
        thp=reader.read("thp", "thp_enabled", os_facts.parse_thp),
        thp_defrag=reader.read("thp_defrag", "thp_defrag", os_facts.parse_thp),
        clock_synced=reader.read("clock_synced", "clock_sync", os_facts.parse_clock_sync),
        mounts=[_mount(m) for m in mounts] if mounts is not None else None,
        df=[_df_row(r) for r in df_rows] if df_rows is not None else None,
        df_inodes=[_df_row(r) for r in inode_rows] if inode_rows is not None else None,
    )
    host.unavailable, host.sources = reader.bookkeeping()
    if not reachable:
        reason = f"host {name} unreachable: {entry.reason or 'no reason given'}"
        host.unavailable = dict.fromkeys(host.unavailable, reason) | {"host": reason}
    return host


def _swap_used(meminfo: dict[str, int]) -> int | None:
    if "SwapTotal" not in meminfo or "SwapFree" not in meminfo:
        return None
    return meminfo["SwapTotal"] - meminfo["SwapFree"]


def _mount(mount: os_facts.Mount) -> Mount:
    return Mount(device=mount.device, mountpoint=mount.mountpoint, fstype=mount.fstype, options=list(mount.options))


def _df_row(row: os_facts.DfRow) -> DfRow:
    return DfRow(
        filesystem=row.filesystem,
        fstype=row.fstype,
        total=row.total,
        used=row.used,
        available=row.available,
        use_percent=row.use_percent,
        mountpoint=row.mountpoint,
    )
