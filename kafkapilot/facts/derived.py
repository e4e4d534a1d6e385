"""Facts computed from other facts once every node and the cluster are built (docs/facts.md).

Nothing here reads an artifact: each fact joins facts that the other modules parsed, so that
checks stay short expressions instead of repeating the join. A derived fact is None, with
the reason copied into the owner's `unavailable` map, whenever one of its inputs is unknown.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date
from functools import lru_cache
from itertools import compress, groupby, islice
from operator import ne

from kafkapilot.data import kafka_versions
from kafkapilot.facts.admin import reassignments
from kafkapilot.facts.disks import data_dirs
from kafkapilot.facts.kafka_defaults import TOPIC_BROKER_SYNONYMS, TOPIC_BROKER_SYNONYMS_VERSIONED
from kafkapilot.facts.metrics import cluster_metrics
from kafkapilot.facts.model import (
    BrokerLoad,
    BrokerLogErrors,
    Cluster,
    Host,
    KafkaNode,
    KafkaRelease,
    KeystoreFile,
    RackBrokers,
)
from kafkapilot.snapshot.load import Snapshot

__all__ = ["derive_facts", "kafka_release", "version_key"]

_KEYSTORE_SUFFIX = "ssl.keystore.location"


def derive_facts(snapshot: Snapshot, hosts: list[Host], nodes: list[KafkaNode], cluster: Cluster) -> None:
    """Add the derived facts to the host, node and cluster models, in place."""
    collected = snapshot.manifest.finished_at or snapshot.manifest.started_at
    cluster.collected_at = collected
    cluster.collected_date = collected[:10] if collected else None
    if collected is None:
        cluster.unavailable["collected_date"] = "unknown: the snapshot does not say when it was collected"
    for host in hosts:
        _host_facts(host)
    for node in nodes:
        _node_facts(node, cluster.collected_date)
    _cluster_facts(nodes, cluster)
    cluster_metrics(nodes, cluster)
    cluster.reassignments = reassignments(snapshot, nodes, cluster)  # issue 14 (facts/admin.py)


def version_key(version: str) -> tuple[int, ...]:
    """'4.10.1' -> (4, 10, 1); non-numeric parts count as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("-", maxsplit=1)[0].split("."))


@lru_cache(maxsize=64)
def kafka_release(version: str, as_of: str) -> KafkaRelease | None:
    """Support status of a Kafka version on the day `as_of` (YYYY-MM-DD); None if not in the table.
    (One answer per version: the nodes running it share it, read-only.)"""
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
    return KafkaRelease(
        version=version,
        minor=minor,
        released=released,
        age_days=(date.fromisoformat(as_of) - date.fromisoformat(released)).days,
        newer_minors=len(newer),
        supported_until=supported_until,
        supported=supported_until is None or as_of <= supported_until,
        as_of=as_of,
        table_as_of=kafka_versions.TABLE_AS_OF,
    )


_SYSCTL_NUMBERS: tuple[tuple[str, str], ...] = (
    ("vm_swappiness", "vm.swappiness"),
    ("vm_max_map_count", "vm.max_map_count"),
    ("vm_dirty_ratio", "vm.dirty_ratio"),
    ("vm_dirty_background_ratio", "vm.dirty_background_ratio"),
    ("net_core_rmem_max", "net.core.rmem_max"),
    ("net_core_wmem_max", "net.core.wmem_max"),
)


def _host_facts(host: Host) -> None:
    for fact, key in _SYSCTL_NUMBERS:
        value = (host.sysctl or {}).get(key)
        number = int(value) if value is not None and value.strip().isdigit() else None
        setattr(host, fact, number)
        if number is None:
            host.unavailable[fact] = host.unavailable.get("sysctl") or f"unknown: sysctl did not report {key}"


def _node_facts(node: KafkaNode, as_of: str | None) -> None:
    meta = node.meta_properties
    node.meta_cluster_ids = sorted({m["cluster.id"] for m in meta.values() if m.get("cluster.id")}) if meta else None
    if meta is None:
        _copy_reason(node, "meta_cluster_ids", "meta_properties")
    data_dirs(node)
    _keystores(node)
    version = node.kafka_version
    node.kafka_release = kafka_release(version, as_of) if version and as_of else None
    if node.kafka_release is None:
        if not version:
            _copy_reason(node, "kafka_release", "kafka_version")
        elif not as_of:
            node.unavailable["kafka_release"] = "unknown: the snapshot does not say when it was collected"
        else:
            node.unavailable["kafka_release"] = (
                f"unknown: Kafka {version} is not in kafkapilot/data/kafka_versions.py "
                f"(table as of {kafka_versions.TABLE_AS_OF})"
            )
    usage = node.log_dir_usage
    node.data_kbytes = sum(d.kbytes for d in usage) if usage is not None else None
    if usage is None:
        _copy_reason(node, "data_kbytes", "log_dir_usage")


def _copy_reason(owner: KafkaNode | Cluster, fact: str, source: str) -> None:
    owner.unavailable[fact] = owner.unavailable.get(source) or f"unknown: {source} is not in the snapshot"


def _keystores(node: KafkaNode) -> None:
    """node.keystore_files: each keystore named in server.properties, with its file mode."""
    explicit = node.config_explicit
    if explicit is None:
        node.keystore_files = None
        _copy_reason(node, "keystore_files", "config")
        return
    collected = {k.path: k for k in node.keystores}
    files = []
    for key, path in sorted(explicit.items()):
        if not key.endswith(_KEYSTORE_SUFFIX) or not path.strip():
            continue
        found = collected.get(path.strip())
        if found is None or not found.mode:
            node.keystore_files = None
            node.unavailable["keystore_files"] = f"not collected: keystore {path.strip()} is not in the snapshot"
            return
        mode = int(found.mode, 8)
        files.append(KeystoreFile(
            key=key, path=path.strip(), mode=found.mode, owner=found.owner, group=found.group,
            world_readable=bool(mode & 0o004), world_writable=bool(mode & 0o002), group_writable=bool(mode & 0o020),
        ))
    node.keystore_files = files


def _cluster_facts(nodes: list[KafkaNode], cluster: Cluster) -> None:
    versions = cluster.kafka_versions
    cluster.kafka_version_newest = max(versions, key=version_key) if versions else None
    ids = Counter(i for n in nodes for i in n.meta_cluster_ids or [])
    from_quorum = cluster.quorum.cluster_id if cluster.quorum else None
    cluster.cluster_id = from_quorum or (ids.most_common(1)[0][0] if ids else None)
    if cluster.cluster_id is None:
        cluster.unavailable["cluster_id"] = (
            "unknown: neither kafka-metadata-quorum nor meta.properties gave a cluster id"
        )
    known = [b.id for b in cluster.metadata_brokers or []]
    cluster.broker_ids = sorted(known or {b.node_id for b in cluster.brokers if b.node_id is not None})
    cluster.reference_config = next((b.config for b in cluster.brokers if b.config is not None), None)
    if cluster.reference_config is None:
        cluster.unavailable["reference_config"] = "not collected: no broker's server_properties is in the snapshot"
    _node_identity(nodes, cluster)
    _partition_load(cluster)
    _racks(cluster)
    _data_sizes(cluster)
    _log_totals(nodes, cluster)
    _topic_facts(cluster)
    groups = cluster.consumer_groups
    known_states = groups is not None and "consumer_group_states" not in cluster.unavailable
    cluster.consumer_group_states = {g.group: g.state for g in groups} if known_states and groups is not None else None
    if groups is None:
        _copy_reason(cluster, "consumer_group_states", "consumer_groups")


def _node_identity(nodes: list[KafkaNode], cluster: Cluster) -> None:
    """node.node_id_shared_with, node.metadata_broker and cluster.node_labels: who uses a node id,
    and what the metadata says of it."""
    by_id: dict[int, list[str]] = {}
    for node in nodes:
        if node.node_id is not None:
            by_id.setdefault(node.node_id, []).append(node.label)
    cluster.node_labels = {node_id: labels[0] for node_id, labels in sorted(by_id.items())}
    registered = {b.id: b for b in cluster.metadata_brokers or ()}
    for node in nodes:
        if node.node_id is not None:
            node.node_id_shared_with = [label for label in by_id[node.node_id] if label != node.label]
        node.metadata_broker = registered.get(node.node_id) if node.node_id is not None else None
        if cluster.metadata_brokers is None:
            node.unavailable["metadata_broker"] = cluster.unavailable.get("metadata_brokers") or (
                "unknown: metadata_brokers is not in the snapshot"
            )


def _partition_load(cluster: Cluster) -> None:
    """Per broker id: replicas, leaders, partitions it is the preferred leader of, and of those not led by
    it; computed on the partition columns (Counter over arrays: no row objects)."""
    partitions = cluster.partitions
    if partitions is None or cluster.topics is None:
        _copy_reason(cluster, "partition_load", "topics")
        for fact in ("mean_replicas_per_broker", "mean_leaders_per_broker"):
            _copy_reason(cluster, fact, "topics")
        return
    columns = partitions.columns
    starts, replicas, leaders = columns.replica_start, columns.replicas, columns.leader
    held = Counter(replicas)
    led = Counter(leaders)
    led.pop(-1, None)
    # map/compress over the arrays run in C (200,000 rows: a Python loop over them cost a third of a second)
    rows = len(columns)
    rows_with_replicas = list(compress(range(rows), map(ne, islice(starts, rows), islice(starts, 1, None))))
    preferred_ids = list(map(replicas.__getitem__, map(starts.__getitem__, rows_with_replicas)))
    preferred = Counter(preferred_ids)
    elsewhere = Counter(compress(preferred_ids, map(ne, map(leaders.__getitem__, rows_with_replicas), preferred_ids)))
    ids = sorted(set(cluster.broker_ids) | set(held) | set(led) | set(preferred))
    cluster.partition_load = [
        BrokerLoad(id=i, replicas=held[i], leaders=led[i], preferred=preferred[i], preferred_not_leading=elsewhere[i])
        for i in ids
    ]
    count = len(cluster.partition_load)
    cluster.mean_replicas_per_broker = sum(held.values()) / count if count else None
    cluster.mean_leaders_per_broker = sum(led[i] for i in ids) / count if count else None
    if not count:
        for fact in ("mean_replicas_per_broker", "mean_leaders_per_broker"):
            cluster.unavailable[fact] = "unknown: no broker id is known"


def _racks(cluster: Cluster) -> None:
    """cluster.metadata_racks: the brokers of each rack the cluster metadata names."""
    if cluster.metadata_brokers is None:
        _copy_reason(cluster, "metadata_racks", "metadata_brokers")
        return
    racked = sorted((b.rack, b.id) for b in cluster.metadata_brokers if b.rack is not None)
    cluster.metadata_racks = [
        RackBrokers(rack=rack, broker_ids=ids, count=len(ids))
        for rack, ids in ((rack, [i for _, i in rows]) for rack, rows in groupby(racked, key=lambda r: r[0]))
    ]


def _data_sizes(cluster: Cluster) -> None:
    """cluster.broker_data_kbytes_mean over the brokers whose log dir usage is known."""
    sizes = [b.data_kbytes for b in cluster.brokers if b.data_kbytes is not None]
    cluster.broker_data_kbytes_mean = sum(sizes) / len(sizes) if sizes else None
    if not sizes:
        cluster.unavailable["broker_data_kbytes_mean"] = "not collected: no broker's log_dir_usage is in the snapshot"


def _log_totals(nodes: list[KafkaNode], cluster: Cluster) -> None:
    """cluster.log_pattern_totals (over the Kafka nodes whose logs are known), broker_log_errors and its median."""
    known = [n.logs for n in nodes if n.logs is not None]
    if known:
        cluster.log_pattern_totals = {
            name: sum(logs.patterns.get(name, 0) for logs in known) for name in known[0].patterns
        }
    else:
        cluster.log_pattern_totals = None
        cluster.unavailable["log_pattern_totals"] = "not collected: no Kafka node's log_file is in the snapshot"
    errors = [BrokerLogErrors(label=b.label, errors=b.logs.errors) for b in cluster.brokers if b.logs is not None]
    cluster.broker_log_errors = errors
    cluster.broker_log_errors_median = float(statistics.median(e.errors for e in errors)) if errors else None
    if not errors:
        cluster.unavailable["broker_log_errors_median"] = "not collected: no broker's log_file is in the snapshot"


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


def _topic_defaults(config: dict[str, str], retention_ms: int) -> dict[str, str]:
    """What a topic without overrides gets from the brokers (else from Kafka) for each topic-level setting."""
    defaults = {key: config.get(broker_key, default).strip()
                for key, (broker_key, default) in TOPIC_BROKER_SYNONYMS.items()}
    defaults.update({key: config[broker_key].strip() for key, broker_key in TOPIC_BROKER_SYNONYMS_VERSIONED.items()
                     if broker_key in config})
    defaults["retention.ms"] = str(retention_ms)
    if "log.roll.ms" not in config and config.get("log.roll.hours", "").strip().isdigit():
        defaults["segment.ms"] = str(int(config["log.roll.hours"]) * 3_600_000)
    return defaults


def _topic_facts(cluster: Cluster) -> None:
    """topic.retention_ms, retention_bytes, cleanup_policy (the topic's override, else the brokers'
    default), topic.name_collisions, and cluster.topics_by_name."""
    topics = cluster.topics
    if topics is None:
        _copy_reason(cluster, "topics_by_name", "topics")
        _copy_reason(cluster, "partitions", "topics")
        return
    cluster.topics_by_name = {t.name: t for t in topics}
    broker = cluster.reference_config or {}
    default_ms, default_bytes, default_policy = _broker_retention(broker)
    defaults = _topic_defaults(broker, default_ms)
    by_metric_name: dict[str, list[str]] = {}
    for topic in topics:
        own = topic.configs
        topic.effective_config = {**defaults, **own}
        if "topic_configs" in cluster.unavailable:  # the describe's Configs: only; see Topic.overrides
            topic.overrides = {k: v for k, v in own.items() if defaults.get(k) != v}
        ms, size = own.get("retention.ms", "").strip(), own.get("retention.bytes", "").strip()
        topic.retention_ms = int(ms) if ms.lstrip("-").isdigit() else default_ms
        topic.retention_bytes = int(size) if size.lstrip("-").isdigit() else default_bytes
        policy = own.get("cleanup.policy")
        topic.cleanup_policy = [p.strip() for p in policy.split(",") if p.strip()] if policy else list(default_policy)
        by_metric_name.setdefault(topic.name.replace(".", "_"), []).append(topic.name)
    for topic in topics:
        topic.name_collisions = [n for n in by_metric_name[topic.name.replace(".", "_")] if n != topic.name]
