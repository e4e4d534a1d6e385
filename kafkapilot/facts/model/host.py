"""Host facts: one per inventory host, reachable or not."""

from __future__ import annotations

from dataclasses import dataclass

from kafkapilot.facts.model.base import Record, fact

__all__ = ["DfRow", "Host", "Mount"]


@dataclass(slots=True, kw_only=True)
class Mount(Record):
    """One line of /proc/mounts."""

    device: str = fact("the mounted device (`/dev/nvme1n1`)")
    mountpoint: str = fact("where it is mounted")
    fstype: str = fact("filesystem type (`xfs`, `ext4`, `nfs4` …)")
    options: list[str] = fact("mount options (`rw`, `noatime` …)", factory=list)


@dataclass(slots=True, kw_only=True)
class DfRow(Record):
    """One row of `df -PT` (sizes in KiB) or `df -PTi` (counts of inodes)."""

    filesystem: str = fact("the device or filesystem name")
    fstype: str = fact("filesystem type")
    total: int | None = fact("size", unit="KiB, or inodes")
    used: int | None = fact("used", unit="KiB, or inodes")
    available: int | None = fact("available", unit="KiB, or inodes")
    use_percent: int | None = fact("`Capacity` / `IUse%` as a number", unit="%")
    mountpoint: str = fact("mount point")


@dataclass(slots=True, kw_only=True)
class Host(Record):
    """One inventory host, in `cluster.hosts`, as `host` in the `host` scope, and as `node.os`
    (and `host`) in node scopes. For an unreachable host every fact is `None` and every reason
    (plus a `host` key) reads `host NAME unreachable: REASON`. Unreachable hosts are never
    subjects of the `host` scope or of node scopes (no process is known there);
    `cluster.unreachable_hosts` lists them."""

    name: str = fact("inventory hostname", source="manifest")
    address: str | None = fact("`ansible_host`", source="manifest")
    status: str = fact("`ok`, `partial`, `unreachable`, `failed`", source="manifest")
    reason: str | None = fact("why the status is not `ok`", source="manifest")
    groups: list[str] = fact(
        "inventory groups (`kafka_brokers`, `kafka_controllers`, `zookeeper` …)", source="manifest", factory=list
    )
    reachable: bool = fact("status is not `unreachable`", source="manifest", default=True)
    kafka_process_count: int = fact("Kafka JVMs found on the host", source="manifest", default=0)
    zookeeper_process_count: int = fact("ZooKeeper JVMs found on the host", source="manifest", default=0)
    cpus: int | None = fact("CPUs available", source="nproc")
    mem_total_bytes: int | None = fact("MemTotal", source="meminfo", unit="bytes")
    mem_available_bytes: int | None = fact("MemAvailable", source="meminfo", unit="bytes")
    swap_total_bytes: int | None = fact("SwapTotal", source="meminfo", unit="bytes")
    swap_used_bytes: int | None = fact("SwapTotal − SwapFree", source="meminfo", unit="bytes")
    sysctl: dict[str, str] | None = fact(
        "`vm.swappiness` → `'1'` …; only the keys that were asked", source="sysctl"
    )
    thp: str | None = fact("transparent huge pages: `always`, `madvise` or `never`", source="thp_enabled")
    thp_defrag: str | None = fact("THP defrag setting (`always`, `defer`, `madvise`, `never` …)", source="thp_defrag")
    clock_synced: bool | None = fact(
        "the clock is synchronised (timedatectl, chronyc, ntpq or ntpstat)", source="clock_sync"
    )
    mounts: list[Mount] | None = fact("one per mount", source="mounts")
    df: list[DfRow] | None = fact("one per filesystem; sizes in KiB (1024-blocks)", source="df")
    df_inodes: list[DfRow] | None = fact("the same rows, counted in inodes", source="df_inodes")
    vm_swappiness: int | None = fact("`vm.swappiness` as a number", source="sysctl", derived=True)
    vm_max_map_count: int | None = fact("`vm.max_map_count` as a number", source="sysctl", derived=True)
    vm_dirty_ratio: int | None = fact("`vm.dirty_ratio` as a number", source="sysctl", unit="%", derived=True)
    vm_dirty_background_ratio: int | None = fact(
        "`vm.dirty_background_ratio` as a number", source="sysctl", unit="%", derived=True
    )
    net_core_rmem_max: int | None = fact("`net.core.rmem_max` as a number", source="sysctl", unit="bytes", derived=True)
    net_core_wmem_max: int | None = fact("`net.core.wmem_max` as a number", source="sysctl", unit="bytes", derived=True)
    unavailable: dict[str, str] = fact("why a fact above is `None` (keys: the fact names)", factory=dict)
    sources: dict[str, str] = fact("path or command each artifact came from", factory=dict)
