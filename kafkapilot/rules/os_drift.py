"""os_drift: OS limits and kernel settings should match between Kafka hosts of the same roles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kafkapilot.rules._compare import compare_nodes
from kafkapilot.rules.registry import RuleContext, RuleResult, rule

__all__ = ["os_drift"]


def _fact(owner: str, key: str) -> Any:
    def read(node: Mapping[str, Any]) -> tuple[object, str | None]:
        source = node if owner == "node" else node["os"]
        value = source.get(key)
        if value is None:
            return None, (source.get("unavailable") or {}).get(key, f"{key} unknown")
        return value, None

    return read


def _nofile(node: Mapping[str, Any]) -> tuple[object, str | None]:
    limits = node.get("limits")
    if limits is None:
        return None, (node.get("unavailable") or {}).get("limits", "process_limits unknown")
    return limits.get("nofile_soft") or "unlimited", None


def _data_fstype(node: Mapping[str, Any]) -> tuple[object, str | None]:
    dirs = node.get("log_dir_df")
    if dirs is None:
        return None, (node.get("unavailable") or {}).get("log_dir_df", "df unknown")
    return ",".join(sorted({d["fstype"] for d in dirs if d.get("found")})) or "unknown", None


@rule("os_drift")
def os_drift(context: RuleContext) -> RuleResult:
    """One violation per OS setting that differs between Kafka nodes of the same roles."""
    readings = {
        "open files limit (nofile)": _nofile,
        "vm.swappiness": _fact("host", "vm_swappiness"),
        "vm.max_map_count": _fact("host", "vm_max_map_count"),
        "transparent huge pages": _fact("host", "thp"),
        "data filesystem type": _data_fstype,
    }
    return compare_nodes(context.cluster["nodes"], readings, what="OS")
