"""hardware_drift: CPUs, memory and data disk size should match between Kafka hosts of the same roles.

Memory and disk capacity agree within 2 %: identical hosts report MemTotal a few MiB apart (it is physical RAM
less what the kernel and firmware reserve, proc(5)), and filesystems of one size differ by their metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from kafkapilot.expressions import human_readable
from kafkapilot.rules._compare import compare_nodes, within
from kafkapilot.rules.registry import RuleContext, RuleResult, rule

__all__ = ["CAPACITY_TOLERANCE", "hardware_drift"]

CAPACITY_TOLERANCE: Final = 0.02


def _host(key: str) -> Any:
    def read(node: Mapping[str, Any]) -> tuple[object, str | None]:
        host = node["os"]
        if host.get(key) is None:
            return None, (host.get("unavailable") or {}).get(key, f"{key} unknown")
        return host[key], None

    return read


def _data_capacity(node: Mapping[str, Any]) -> tuple[object, str | None]:
    dirs = node.get("log_dir_df")
    if dirs is None:
        return None, (node.get("unavailable") or {}).get("log_dir_df", "df unknown")
    filesystems = {d["mountpoint"]: d["total"] for d in dirs if d.get("found") and d.get("total") is not None}
    return sum(filesystems.values()) * 1024, None


def _show(name: str, value: object) -> str:
    return str(value) if name == "CPUs" else human_readable(value)


@rule("hardware_drift")
def hardware_drift(context: RuleContext) -> RuleResult:
    """One violation per capacity that differs between Kafka nodes of the same roles."""
    readings = {
        "CPUs": _host("cpus"),
        "memory": _host("mem_total_bytes"),
        "data disk capacity": _data_capacity,
    }
    capacity_agrees = within(CAPACITY_TOLERANCE)
    return compare_nodes(
        context.cluster["nodes"], readings, what="hardware", show=_show,
        same=lambda name, values: len(set(values)) <= 1 if name == "CPUs" else capacity_agrees(values),
    )
