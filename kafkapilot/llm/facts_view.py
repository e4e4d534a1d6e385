"""The `{facts}` placeholder: compact, parsed facts of the hosts in scope instead of raw files.

With `requires:` in the task only the facts at those paths are given (plus who the node is);
without it a summary of each node, its host and the cluster. Empty values are left out.
"""

from __future__ import annotations

import json
from typing import Any, Final

__all__ = ["cluster_view", "dumps", "host_view", "node_view", "required_view"]

_NODE_KEYS: Final = (
    "kind", "node_id", "roles", "mode", "kafka_version", "limits", "fd_count", "map_count", "rss_bytes",
    "swap_bytes", "threads", "listeners", "log_dirs", "metadata_log_dir", "log_dir_usage", "inline_secrets",
    "provider_secrets", "config_duplicates", "ensemble_size", "srvr", "logs",
)
_HOST_KEYS: Final = (
    "cpus", "mem_total_bytes", "mem_available_bytes", "swap_total_bytes", "swap_used_bytes", "sysctl", "thp",
    "thp_defrag", "clock_synced",
)
_PSEUDO_FS: Final = frozenset({"proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "mqueue", "overlay"})


def dumps(value: Any) -> str:
    """Compact, stable JSON (sorted keys, no spaces): the cheapest form in tokens."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)


# Left out of every view: bookkeeping, and node.logs.examples (log text reaches a model only as the labelled {logs} sample).
_DROPPED: Final = frozenset({"sources", "unavailable", "examples"})


def _pruned(value: Any) -> Any:
    """Drop None, empty containers, the bookkeeping keys and log example lines, recursively."""
    if isinstance(value, dict):
        items = {k: _pruned(v) for k, v in value.items() if k not in _DROPPED}
        return {k: v for k, v in items.items() if v not in (None, {}, [], "")}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def node_view(node: dict[str, Any]) -> dict[str, Any]:
    """One Kafka or ZooKeeper node: identity, JVM, limits, explicit config, logs, and its host."""
    jvm = node.get("jvm") or {}
    view: dict[str, Any] = {key: node.get(key) for key in _NODE_KEYS}
    view["java"] = (node.get("java") or {}).get("version")
    view["jvm"] = {key: jvm.get(key) for key in ("xms_bytes", "xmx_bytes", "gc", "gc_logging")} if jvm else None
    view["config"] = node.get("config_explicit") if node.get("kind") == "kafka" else node.get("config")
    view["host"] = host_view(node.get("os") or {})
    view["not_collected"] = sorted(node.get("unavailable") or {})
    if node.get("logs"):
        view["logs"] = {**node["logs"], "patterns": {k: v for k, v in node["logs"]["patterns"].items() if v}}
    return _pruned(view)


def host_view(host: dict[str, Any]) -> dict[str, Any]:
    """A host: CPUs, memory, kernel settings, filesystems (without pseudo filesystems)."""
    view: dict[str, Any] = {key: host.get(key) for key in _HOST_KEYS}
    view["df"] = [
        {"mount": r["mountpoint"], "fs": r["fstype"], "use_percent": r["use_percent"], "available_kb": r["available"]}
        for r in host.get("df") or []
        if r.get("fstype") not in _PSEUDO_FS
    ]
    view["mounts"] = [
        {"mount": m["mountpoint"], "fs": m["fstype"], "options": m["options"]}
        for m in host.get("mounts") or []
        if m.get("fstype") not in _PSEUDO_FS
    ]
    view["not_collected"] = sorted(host.get("unavailable") or {})
    return _pruned(view)


def cluster_view(cluster: dict[str, Any], *, brief: bool = False) -> dict[str, Any]:
    """The cluster: mode and versions; unless brief, partition health, topics and groups in short."""
    view: dict[str, Any] = {
        "mode": cluster.get("mode"),
        "kafka_versions": cluster.get("kafka_versions"),
        "broker_count": cluster.get("broker_count"),
    }
    if not brief:
        topics = cluster.get("topics") or []
        view.update(
            controllers=[n.get("node_id") for n in cluster.get("controllers") or []],
            unreachable_hosts=cluster.get("unreachable_hosts"),
            racks=cluster.get("racks"),
            quorum=cluster.get("quorum"),
            zookeeper_connect_hosts=cluster.get("zookeeper_connect_hosts"),
            topic_count=len(topics),
            partition_count=cluster.get("partition_count"),
            replication_factors=sorted({t.get("replication_factor") for t in topics if t.get("replication_factor")}),
            under_replicated=_first(cluster.get("under_replicated")),
            under_min_isr=_first(cluster.get("under_min_isr")),
            unavailable_partitions=_first(cluster.get("unavailable_partitions")),
            consumer_groups_with_lag=_first([g for g in cluster.get("consumer_groups") or [] if g.get("lag")]),
        )
    return _pruned(view)


def _first(items: list[Any] | None, limit: int = 10) -> dict[str, Any] | None:
    """A count and the first few items of a possibly long list."""
    if not items:
        return None
    return {"count": len(items), "first": items[:limit]}


def required_view(paths: tuple[str, ...], variables: dict[str, Any]) -> dict[str, Any]:
    """Only the facts at `paths` (e.g. node.jvm.xmx_bytes), for one subject's variables."""
    view: dict[str, Any] = {}
    for path in paths:
        value: Any = variables
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        view[path] = _pruned(value) if isinstance(value, dict | list) else value
    node = variables.get("node") or {}
    if node:
        view = {"kind": node.get("kind"), "node_id": node.get("node_id"), "roles": node.get("roles"), **view}
    return view
