"""The `{facts}` placeholder: compact, parsed facts of the hosts in scope instead of raw files.

With `requires:` in the task only the facts at those paths are given (plus who the node is);
without it a summary of each node, its host and the cluster. Empty values are left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from kafkapilot.facts.model import Cluster, Host, KafkaNode, NodeBase, Record

__all__ = ["LINE_BYTES", "cluster_view", "dumps", "fact_lines", "host_view", "node_view", "required_view"]

_NODE_KEYS: Final = (
    "kind", "node_id", "roles", "mode", "kafka_version", "limits", "fd_count", "map_count", "rss_bytes",
    "swap_bytes", "threads", "listeners", "log_dirs", "metadata_log_dir", "log_dir_usage", "inline_secrets",
    "provider_secrets", "config_duplicates", "ensemble_size", "srvr", "logs",
)
_HOST_KEYS: Final = (
    "cpus", "mem_total_bytes", "mem_available_bytes", "swap_total_bytes", "swap_used_bytes", "sysctl", "thp",
    "thp_defrag", "clock_synced",
)
_PSEUDO_FS: Final = frozenset({"proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "mqueue",
                               "overlay"})


#: the largest facts line: a larger view is given key by key, so that a call's budget can divide it
LINE_BYTES: Final = 1200


def dumps(value: Any) -> str:
    """Compact, stable JSON (sorted keys, no spaces): the cheapest form in tokens."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)


# Left out of every view: bookkeeping, and node.logs.examples (log text reaches a model only as the
# labelled {logs} sample).
_DROPPED: Final = frozenset({"sources", "unavailable", "examples"})


def _pruned(value: Any) -> Any:
    """Plain JSON values without None, empty containers, the bookkeeping keys and log example
    lines, recursively (fact models become dicts, partition columns lists)."""
    if isinstance(value, Record | Mapping):
        items = {k: _pruned(value[k]) for k in value.keys() if k not in _DROPPED}
        return {k: v for k, v in items.items() if v not in (None, {}, [], "")}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_pruned(v) for v in value]
    return value


def node_view(node: NodeBase) -> dict[str, Any]:
    """One Kafka or ZooKeeper node: identity, JVM, limits, explicit config, logs, and its host."""
    jvm = node.jvm
    view: dict[str, Any] = {key: getattr(node, key, None) for key in _NODE_KEYS}
    view["java"] = node.java.version if node.java else None
    view["jvm"] = {key: getattr(jvm, key) for key in ("xms_bytes", "xmx_bytes", "gc", "gc_logging")} if jvm else None
    view["config"] = node.config_explicit if isinstance(node, KafkaNode) else node.config
    view["host"] = host_view(node.os)
    view["not_collected"] = sorted(node.unavailable)
    if node.logs:
        view["logs"] = {**node.logs.as_dict(), "patterns": {k: v for k, v in node.logs.patterns.items() if v}}
    return _pruned(view)


def host_view(host: Host) -> dict[str, Any]:
    """A host: CPUs, memory, kernel settings, filesystems (without pseudo filesystems)."""
    view: dict[str, Any] = {key: getattr(host, key) for key in _HOST_KEYS}
    view["df"] = [
        {"mount": r.mountpoint, "fs": r.fstype, "use_percent": r.use_percent, "available_kb": r.available}
        for r in host.df or []
        if r.fstype not in _PSEUDO_FS
    ]
    # one row per mount point (a bind mount of the same filesystem repeats the df row), and each mount
    # as /proc/mounts writes it ("MOUNT FS OPTIONS"): the same facts in about half the tokens
    view["df"] = list({row["mount"]: row for row in view["df"]}.values())
    view["mounts"] = [f"{m.mountpoint} {m.fstype} {','.join(m.options)}" for m in host.mounts or []
                      if m.fstype not in _PSEUDO_FS]
    view["not_collected"] = sorted(host.unavailable)
    return _pruned(view)


def cluster_view(cluster: Cluster, *, brief: bool = False) -> dict[str, Any]:
    """The cluster: mode and versions; unless brief, partition health, topics and groups in short."""
    view: dict[str, Any] = {
        "mode": cluster.mode,
        "kafka_versions": cluster.kafka_versions,
        "broker_count": cluster.broker_count,
    }
    if not brief:
        topics = cluster.topics or []
        view.update(
            controllers=[n.node_id for n in cluster.controllers],
            unreachable_hosts=cluster.unreachable_hosts,
            racks=cluster.racks,
            quorum=cluster.quorum,
            zookeeper_connect_hosts=cluster.zookeeper_connect_hosts,
            topic_count=len(topics),
            partition_count=cluster.partition_count,
            replication_factors=sorted({t.replication_factor for t in topics if t.replication_factor}),
            under_replicated=_first(cluster.under_replicated),
            under_min_isr=_first(cluster.under_min_isr),
            unavailable_partitions=_first(cluster.unavailable_partitions),
            consumer_groups_with_lag=_first([g for g in cluster.consumer_groups or [] if g.lag]),
        )
    return _pruned(view)


def _first(items: Sequence[Any] | None, limit: int = 10) -> dict[str, Any] | None:
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
            value = value.get(part) if isinstance(value, Record | Mapping) else None
        nested = isinstance(value, Record | Mapping | Sequence) and not isinstance(value, str)
        view[path] = _pruned(value) if nested else value
    node = variables.get("node")
    if node is not None:
        view = {"kind": node.kind, "node_id": getattr(node, "node_id", None), "roles": node.roles, **view}
    return view


def fact_lines(label: str, view: Any, limit: int = LINE_BYTES) -> list[str]:
    """`label: JSON` lines of a view: one line when it is at most `limit` bytes, else one per key
    (`label key: JSON`, deeper for a large mapping, in runs of items for a long list), so that
    facts too large for one call can be divided between calls without cutting a value."""
    text = dumps(view)
    if len(text) <= limit:
        return [f"{label}: {text}"]
    if isinstance(view, Mapping) and view:
        return [line for key in sorted(view) for line in fact_lines(_joined(label, str(key)), view[key], limit)]
    if isinstance(view, Sequence) and not isinstance(view, str) and len(view) > 1:
        lines, start = [], 0
        while start < len(view):
            end = start + 1
            while end < len(view) and len(dumps(view[start:end + 1])) <= limit:
                end += 1
            lines += fact_lines(f"{label}[{start}:{end}]", view[start:end], limit) if end - start > 1 else \
                fact_lines(f"{label}[{start}]", view[start], limit)
            start = end
        return lines
    return [f"{label}: {text}"]  # one value larger than a line: the budget cuts it if it must


def _joined(label: str, key: str) -> str:
    return f"{label} {key}" if " " not in label else f"{label}.{key}"
