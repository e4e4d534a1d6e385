"""Facts computed from other facts once every node and the cluster are built (docs/facts.md).

Nothing here reads an artifact: each fact joins facts that the other modules parsed, so that
checks stay short expressions instead of repeating the join. A derived fact is None, with
the reason copied into the owner's `unavailable` map, whenever one of its inputs is unknown.
"""

from __future__ import annotations

import posixpath
import statistics
from collections import Counter
from datetime import date
from typing import Any

from kafkapilot.data import kafka_versions
from kafkapilot.snapshot.load import Snapshot

__all__ = ["derive_facts", "kafka_release", "version_key"]

_KEYSTORE_SUFFIX = "ssl.keystore.location"


def derive_facts(
    snapshot: Snapshot, hosts: list[dict[str, Any]], nodes: list[dict[str, Any]], cluster: dict[str, Any]
) -> None:
    """Add the derived facts to the host, node and cluster dicts, in place."""
    collected = snapshot.manifest.finished_at or snapshot.manifest.started_at
    cluster["collected_at"] = collected
    cluster["collected_date"] = collected[:10] if collected else None
    if collected is None:
        cluster["unavailable"]["collected_date"] = "unknown: the snapshot does not say when it was collected"
    for host in hosts:
        _host_facts(host)
    for node in nodes:
        _node_facts(node, cluster["collected_date"])
    _cluster_facts(nodes, cluster)


def version_key(version: str) -> tuple[int, ...]:
    """'4.10.1' -> (4, 10, 1); non-numeric parts count as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("-")[0].split("."))


def kafka_release(version: str, as_of: str) -> dict[str, Any] | None:
    """Support status of a Kafka version on the day `as_of` (YYYY-MM-DD); None if not in the table."""
    minor = ".".join(version.split(".")[:2])
    released = kafka_versions.RELEASES.get(minor)
    if released is None:
        return None
    newer = sorted(
        (d for m, d in kafka_versions.RELEASES.items() if version_key(m) > version_key(minor) and d <= as_of),
    )
    rule_end = newer[kafka_versions.SUPPORTED_MINORS - 1] if len(newer) >= kafka_versions.SUPPORTED_MINORS else None
    extended = kafka_versions.EXTENDED_SUPPORT_UNTIL.get(minor)
    supported_until = max(d for d in (rule_end, extended) if d) if rule_end else None
    age_days = (date.fromisoformat(as_of) - date.fromisoformat(released)).days
    return {
        "version": version,
        "minor": minor,
        "released": released,
        "age_days": age_days,
        "newer_minors": len(newer),
        "supported_until": supported_until,
        "supported": supported_until is None or as_of <= supported_until,
        "as_of": as_of,
        "table_as_of": kafka_versions.TABLE_AS_OF,
    }


_SYSCTL_NUMBERS: tuple[tuple[str, str], ...] = (
    ("vm_swappiness", "vm.swappiness"),
    ("vm_max_map_count", "vm.max_map_count"),
    ("vm_dirty_ratio", "vm.dirty_ratio"),
    ("vm_dirty_background_ratio", "vm.dirty_background_ratio"),
    ("net_core_rmem_max", "net.core.rmem_max"),
    ("net_core_wmem_max", "net.core.wmem_max"),
)


def _host_facts(host: dict[str, Any]) -> None:
    sysctl = host.get("sysctl")
    for fact, key in _SYSCTL_NUMBERS:
        value = (sysctl or {}).get(key)
        host[fact] = int(value) if value is not None and value.strip().isdigit() else None
        if host[fact] is None:
            reason = host["unavailable"].get("sysctl") or f"unknown: sysctl did not report {key}"
            host["unavailable"][fact] = reason


def _node_facts(node: dict[str, Any], as_of: str | None) -> None:
    if node.get("kind") != "kafka":
        return
    meta = node.get("meta_properties")
    node["meta_cluster_ids"] = sorted({m["cluster.id"] for m in meta.values() if m.get("cluster.id")}) if meta else None
    if meta is None:
        _copy_reason(node, "meta_cluster_ids", "meta_properties")
    _data_dirs(node)
    _keystores(node)
    version = node.get("kafka_version")
    node["kafka_release"] = kafka_release(version, as_of) if version and as_of else None
    if node["kafka_release"] is None:
        if not version:
            _copy_reason(node, "kafka_release", "kafka_version")
        elif not as_of:
            node["unavailable"]["kafka_release"] = "unknown: the snapshot does not say when it was collected"
        else:
            node["unavailable"]["kafka_release"] = (
                f"unknown: Kafka {version} is not in kafkapilot/data/kafka_versions.py "
                f"(table as of {kafka_versions.TABLE_AS_OF})"
            )


def _copy_reason(owner: dict[str, Any], fact: str, source: str) -> None:
    owner["unavailable"][fact] = owner["unavailable"].get(source) or f"unknown: {source} is not in the snapshot"


def _holder(path: str, rows: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    """The row whose mount point (rows[key]) is the longest prefix of path."""
    target = posixpath.normpath("/" + path.lstrip("/"))
    best: dict[str, Any] | None = None
    for row in rows:
        point = posixpath.normpath(row[key] or "/")
        inside = point == "/" or target == point or target.startswith(point + "/")
        if inside and (best is None or len(point) >= len(posixpath.normpath(best[key] or "/"))):
            best = row
    return best


def _data_dirs(node: dict[str, Any]) -> None:
    """node.log_dir_df, log_dir_df_inodes and log_dir_mounts: the filesystem of each data and metadata dir."""
    dirs = [(d, "data") for d in node.get("log_dirs") or []]
    if node.get("metadata_log_dir"):
        dirs.append((node["metadata_log_dir"], "metadata"))
    host = node["os"]
    app_logs = (node.get("jvm") or {}).get("system_properties", {}).get("kafka.logs.dir")
    for fact, host_fact in (("log_dir_df", "df"), ("log_dir_df_inodes", "df_inodes"), ("log_dir_mounts", "mounts")):
        rows, key = host.get(host_fact), "mountpoint"
        if node.get("log_dirs") is None:
            node[fact] = None
            _copy_reason(node, fact, "config")
            continue
        if rows is None:
            node[fact] = None
            _copy_host_reason(node, fact, host_fact)
            continue
        app_row = _holder(app_logs, rows, key) if app_logs else None
        entries = []
        for path, role in dirs:
            row = _holder(path, rows, key)
            entry = {"dir": path, "role": role, "found": row is not None, **(row or {})}
            entry["root"] = row is not None and row[key] == "/"
            entry["with_application_logs"] = row is not None and app_row is not None and row[key] == app_row[key]
            entries.append(entry)
        node[fact] = entries
    node["metadata_dir_df"] = _metadata_dir_df(node)


def _metadata_dir_df(node: dict[str, Any]) -> dict[str, Any] | None:
    """The log_dir_df entry of the dir holding the KRaft metadata log (metadata.log.dir, else the
    first log dir), with `in_data_dir` (metadata.log.dir unset) and `shares_data_filesystem`."""
    entries = node.get("log_dir_df")
    if not entries:
        _copy_reason(node, "metadata_dir_df", "log_dir_df")
        return None
    data = [e for e in entries if e["role"] == "data"]
    meta = next((e for e in entries if e["role"] == "metadata"), None)
    if meta is None:
        return {**entries[0], "in_data_dir": True, "shares_data_filesystem": True}
    shared = meta["found"] and any(d["found"] and d["mountpoint"] == meta["mountpoint"] for d in data)
    return {**meta, "in_data_dir": False, "shares_data_filesystem": shared}


def _copy_host_reason(node: dict[str, Any], fact: str, host_fact: str) -> None:
    node["unavailable"][fact] = node["os"]["unavailable"].get(host_fact) or f"unknown: {host_fact} is not in the snapshot"


def _keystores(node: dict[str, Any]) -> None:
    """node.keystore_files: each keystore named in server.properties, with its file mode."""
    explicit = node.get("config_explicit")
    if explicit is None:
        node["keystore_files"] = None
        _copy_reason(node, "keystore_files", "config")
        return
    collected = {k["path"]: k for k in node.get("keystores") or []}
    files = []
    for key, path in sorted(explicit.items()):
        if not key.endswith(_KEYSTORE_SUFFIX) or not path.strip():
            continue
        found = collected.get(path.strip())
        if found is None or not found.get("mode"):
            node["keystore_files"] = None
            node["unavailable"]["keystore_files"] = f"not collected: keystore {path.strip()} is not in the snapshot"
            return
        mode = int(found["mode"], 8)
        files.append({"key": key, "path": path.strip(), "mode": found["mode"], "owner": found.get("owner"),
                      "group": found.get("group"), "world_readable": bool(mode & 0o004),
                      "world_writable": bool(mode & 0o002), "group_writable": bool(mode & 0o020)})
    node["keystore_files"] = files


def _cluster_facts(nodes: list[dict[str, Any]], cluster: dict[str, Any]) -> None:
    versions = cluster.get("kafka_versions") or []
    cluster["kafka_version_newest"] = max(versions, key=version_key) if versions else None
    ids = Counter(i for n in nodes for i in n.get("meta_cluster_ids") or [])
    quorum = cluster.get("quorum") or {}
    cluster["cluster_id"] = quorum.get("cluster_id") or (ids.most_common(1)[0][0] if ids else None)
    if cluster["cluster_id"] is None:
        cluster["unavailable"]["cluster_id"] = "unknown: neither kafka-metadata-quorum nor meta.properties gave a cluster id"
    known = [b["id"] for b in cluster.get("metadata_brokers") or []]
    cluster["broker_ids"] = sorted(known or {b["node_id"] for b in cluster["brokers"] if b.get("node_id") is not None})
    cluster["partition_load"] = _partition_load(cluster)
    _data_sizes(nodes, cluster)
    _log_totals(nodes, cluster)
    _topic_retention(cluster)
    _topic_name_collisions(cluster)
    groups = cluster.get("consumer_groups")
    known = groups is not None and "consumer_group_states" not in cluster["unavailable"]
    cluster["consumer_group_states"] = {g["group"]: g["state"] for g in groups} if known else None
    if groups is None:
        _copy_reason(cluster, "consumer_group_states", "consumer_groups")


def _data_sizes(nodes: list[dict[str, Any]], cluster: dict[str, Any]) -> None:
    """node.data_kbytes (sum over its log dirs) and cluster.broker_data_kbytes_mean over brokers that have it."""
    for node in nodes:
        usage = node.get("log_dir_usage")
        node["data_kbytes"] = sum(int(d.get("kbytes") or 0) for d in usage) if usage is not None else None
        if usage is None:
            _copy_reason(node, "data_kbytes", "log_dir_usage")
    sizes = [b["data_kbytes"] for b in cluster["brokers"] if b.get("data_kbytes") is not None]
    cluster["broker_data_kbytes_mean"] = sum(sizes) / len(sizes) if sizes else None
    if not sizes:
        cluster["unavailable"]["broker_data_kbytes_mean"] = "not collected: no broker's log_dir_usage is in the snapshot"


def _log_totals(nodes: list[dict[str, Any]], cluster: dict[str, Any]) -> None:
    """cluster.log_pattern_totals (over the Kafka nodes whose logs are known), broker_log_errors and its median."""
    known = [n for n in nodes if n.get("kind") == "kafka" and n.get("logs") is not None]
    if known:
        cluster["log_pattern_totals"] = {
            name: sum(n["logs"]["patterns"].get(name, 0) for n in known) for name in known[0]["logs"]["patterns"]
        }
    else:
        cluster["log_pattern_totals"] = None
        cluster["unavailable"]["log_pattern_totals"] = "not collected: no Kafka node's log_file is in the snapshot"
    errors = [{"label": b["label"], "errors": b["logs"]["errors"]} for b in cluster["brokers"] if b.get("logs") is not None]
    cluster["broker_log_errors"] = errors
    cluster["broker_log_errors_median"] = float(statistics.median(e["errors"] for e in errors)) if errors else None
    if not errors:
        cluster["unavailable"]["broker_log_errors_median"] = "not collected: no broker's log_file is in the snapshot"


def _partition_load(cluster: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Per broker id: replicas, leaders, partitions it is the preferred leader of, and of those not led by it."""
    topics = cluster.get("topics")
    if topics is None:
        _copy_reason(cluster, "partition_load", "topics")
        return None
    load: dict[int, dict[str, Any]] = {
        i: {"id": i, "replicas": 0, "leaders": 0, "preferred": 0, "preferred_not_leading": 0} for i in cluster["broker_ids"]
    }

    def row(broker: int) -> dict[str, Any]:
        return load.setdefault(broker, {"id": broker, "replicas": 0, "leaders": 0, "preferred": 0, "preferred_not_leading": 0})

    for topic in topics:
        for partition in topic["partitions"]:
            for replica in partition["replicas"]:
                row(replica)["replicas"] += 1
            if partition["leader"] is not None:
                row(partition["leader"])["leaders"] += 1
            if partition["replicas"]:
                preferred = row(partition["replicas"][0])
                preferred["preferred"] += 1
                if partition["leader"] != partition["replicas"][0]:
                    preferred["preferred_not_leading"] += 1
    return [load[i] for i in sorted(load)]


def _broker_retention(config: dict[str, str]) -> tuple[int, int, list[str]]:
    """(retention ms, retention bytes, cleanup policies) a broker gives topics without overrides."""
    for key, factor in (("log.retention.ms", 1), ("log.retention.minutes", 60_000), ("log.retention.hours", 3_600_000)):
        value = config.get(key, "").strip()
        if value.lstrip("-").isdigit():
            ms = int(value) if int(value) < 0 else int(value) * factor
            break
    else:
        ms = 168 * 3_600_000
    size = config.get("log.retention.bytes", "-1").strip()
    policies = [p.strip() for p in config.get("log.cleanup.policy", "delete").split(",") if p.strip()]
    return ms, int(size) if size.lstrip("-").isdigit() else -1, policies


def _topic_retention(cluster: dict[str, Any]) -> None:
    """topic.retention_ms, retention_bytes, cleanup_policy: the topic's override, else the brokers' default."""
    configs = [b["config"] for b in cluster["brokers"] if b.get("config")]
    default_ms, default_bytes, default_policy = _broker_retention(configs[0] if configs else {})
    for topic in cluster.get("topics") or []:
        own = topic["configs"]
        ms, size = own.get("retention.ms", "").strip(), own.get("retention.bytes", "").strip()
        topic["retention_ms"] = int(ms) if ms.lstrip("-").isdigit() else default_ms
        topic["retention_bytes"] = int(size) if size.lstrip("-").isdigit() else default_bytes
        policy = own.get("cleanup.policy")
        topic["cleanup_policy"] = [p.strip() for p in policy.split(",") if p.strip()] if policy else default_policy


def _topic_name_collisions(cluster: dict[str, Any]) -> None:
    """topic.name_collisions: the other topics whose name differs only by '.' versus '_' (Kafka's
    metric names replace '.' by '_', so such topics share their metrics)."""
    topics = cluster.get("topics") or []
    by_metric_name: dict[str, list[str]] = {}
    for topic in topics:
        by_metric_name.setdefault(topic["name"].replace(".", "_"), []).append(topic["name"])
    for topic in topics:
        topic["name_collisions"] = [n for n in by_metric_name[topic["name"].replace(".", "_")] if n != topic["name"]]
