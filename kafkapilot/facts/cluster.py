"""Cluster-wide facts from the CLI tools' output, joined with the nodes' own facts."""

from __future__ import annotations

from kafkapilot.facts.acls import acl_rules, principal_kinds, super_users
from kafkapilot.facts.admin import hanging_transactions, quotas, transactions
from kafkapilot.facts.model import (
    Cluster,
    ConsumerGroup,
    DynamicOverride,
    Feature,
    Host,
    KafkaNode,
    MetadataBroker,
    Partitions,
    PartitionSizes,
    Quorum,
    QuorumReplica,
    Topic,
    ZooKeeperNode,
)
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers import cluster_tools, configs, consumer_groups, quorum, topics
from kafkapilot.parsers.log_dirs import LogDirs
from kafkapilot.snapshot.load import Snapshot

__all__ = ["build_cluster", "cluster_mode"]

_PARTITION_FILTERS = {
    "under_replicated": "topics_under_replicated",
    "under_min_isr": "topics_under_min_isr",
    "at_min_isr": "topics_at_min_isr",
    "unavailable_partitions": "topics_unavailable",
}


def cluster_mode(nodes: list[KafkaNode], zookeepers: list[ZooKeeperNode]) -> str:
    """kraft, zookeeper or unknown, judged from every node, not from the first one found."""
    modes = {n.mode for n in nodes}
    if "zookeeper" in modes:
        return "zookeeper"
    if "kraft" in modes:
        return "kraft"
    return "zookeeper" if zookeepers else "unknown"


def build_cluster(snapshot: Snapshot, hosts: list[Host], nodes: list[KafkaNode],
                  zookeepers: list[ZooKeeperNode]) -> Cluster:
    """The `cluster` facts."""
    reader = FactReader(snapshot, None)
    broker_configs = reader.read("broker_configs", "broker_configs", configs.parse_configs_describe)
    _apply_broker_configs(nodes, broker_configs)
    _dynamic_overrides(nodes, broker_configs, reader.unavailable.get("broker_configs"))
    brokers = [n for n in nodes if n.is_broker]
    metadata_brokers = reader.read("metadata_brokers", "broker_api_versions", _metadata_brokers)
    topic_list = reader.read("topics", "topics_describe", topics.parse_topics_describe)
    topic_configs = reader.read("topic_configs", "topic_configs", configs.parse_configs_describe)
    cluster = Cluster(
        name=snapshot.manifest.cluster_name,
        mode=cluster_mode(nodes, zookeepers),
        kafka_versions=sorted({n.kafka_version for n in nodes if n.kafka_version}),
        nodes=nodes,
        brokers=brokers,
        controllers=[n for n in nodes if n.is_controller],
        zookeepers=zookeepers,
        hosts=hosts,
        unreachable_hosts=sorted(h.name for h in hosts if not h.reachable),
        metadata_brokers=metadata_brokers,
        broker_count=_broker_count(metadata_brokers, brokers, hosts),
        racks=sorted({(b.config or {}).get("broker.rack", "") for b in brokers if b.config}),
        zookeeper_connect_hosts=_zookeeper_connect_hosts(brokers),
        consumer_groups=_groups(reader),
        partition_sizes=_partition_sizes(reader),
        quorum=_quorum(reader),
        features=_features(reader),
        acls=acl_rules(reader, nodes),
        super_users=super_users(nodes),
        principal_kinds=principal_kinds(nodes),
        transactions=transactions(reader),
        hanging_transactions=hanging_transactions(reader, [b.id for b in metadata_brokers or ()]),
        quotas=quotas(reader),
    )
    for fact in ("super_users", "principal_kinds"):
        if getattr(cluster, fact) is None:
            reader.note(fact, "unknown: no Kafka node's server.properties was collected")
    if topic_list is not None:
        cluster.topics = _topics(topic_list, topic_configs, _common_value(brokers, "min.insync.replicas", "1"))
        cluster.partition_count = sum(t.partition_count for t in cluster.topics)
        cluster.partitions = Partitions(topic_list[0].columns if topic_list else topics.no_partitions())
        cluster.reassigning_partitions = _reassigning(topic_list[0].columns) if topic_list else []
    else:
        reader.note("reassigning_partitions", reader.unavailable.get("topics", "not collected: topics_describe"))
    for fact, artifact in _PARTITION_FILTERS.items():
        described = reader.read(fact, artifact, topics.parse_topics_describe)
        if described is not None:
            setattr(cluster, fact, Partitions(described[0].columns if described else topics.no_partitions()))
    cluster.unavailable, cluster.sources = reader.bookkeeping()
    return cluster


def _zookeeper_connect_hosts(brokers: list[KafkaNode]) -> list[str] | None:
    """Distinct servers of zookeeper.connect across brokers; None when no broker uses ZooKeeper."""
    hosts = {h for broker in brokers for h in broker.zookeeper_connect_hosts or ()}
    return sorted(hosts) if hosts else None


def _broker_count(metadata_brokers: list[MetadataBroker] | None, brokers: list[KafkaNode], hosts: list[Host]) -> int:
    """Brokers the cluster is meant to have: the most of those the metadata knows, those found
    running, and the kafka_brokers hosts of the inventory (a stopped broker still counts)."""
    running = len({n.node_id if n.node_id is not None else n.label for n in brokers})
    planned = sum(1 for h in hosts if "kafka_brokers" in h.groups)
    return max(len(metadata_brokers or ()), running, planned)


def _common_value(nodes: list[KafkaNode], key: str, default: str) -> str:
    values = sorted({n.config.get(key, default) for n in nodes if n.config})
    return values[0] if values else default


def _apply_broker_configs(nodes: list[KafkaNode], described: configs.ConfigsDescription | None) -> None:
    """Overlay the running (dynamic) config from kafka-configs on each node's file config."""
    if described is None:
        return
    by_id = {e.entity_name: e for e in described.entities if e.entity_type == "brokers" and e.entity_name}
    for node in nodes:
        entity = by_id.get(str(node.node_id))
        if entity is None or node.config is None:
            continue
        for key, entry in entity.entries.items():
            if entry.value is None or entry.sensitive:
                continue
            if entry.source and entry.source.startswith("DYNAMIC"):
                node.dynamic_config[key] = entry.value
            node.config[key] = entry.value


_STATIC_SOURCES = ("STATIC_BROKER_CONFIG", "DEFAULT_CONFIG")


def _dynamic_overrides(nodes: list[KafkaNode], described: configs.ConfigsDescription | None,
                       reason: str | None) -> None:
    """node.dynamic_overrides: each key whose running value comes from a dynamic config, with the
    value server.properties (or Kafka's default) would give; None when the node was not described."""
    by_id = {e.entity_name: e for e in (described.entities if described else ())
             if e.entity_type == "brokers" and e.entity_name}
    for node in nodes:
        entity = by_id.get(str(node.node_id))
        if entity is None:
            node.dynamic_overrides = None
            node.unavailable["dynamic_overrides"] = reason or (
                f"not collected: kafka-configs --describe --entity-type brokers did not describe node {node.node_id}"
            )
            continue
        rows = []
        for key, entry in sorted(entity.entries.items()):
            if entry.value is None or entry.sensitive or not (entry.source or "").startswith("DYNAMIC"):
                continue
            static = next(((src, name, value) for src, name, value in entry.synonyms if src in _STATIC_SOURCES), None)
            rows.append(DynamicOverride(
                key=key, value=entry.value, source=entry.source or "",
                static_source=static[0] if static else None,
                static_key=static[1] if static else None,
                static_value=static[2] if static else None,
            ))
        node.dynamic_overrides = rows


def _metadata_brokers(text: str) -> list[MetadataBroker]:
    return [
        MetadataBroker(id=b.broker_id, host=b.host, port=b.port, rack=b.rack, fenced=b.fenced)
        for b in cluster_tools.parse_broker_api_versions(text)
    ]


#: the source kafka-configs --describe gives a setting made on the topic itself
_TOPIC_OVERRIDE = "DYNAMIC_TOPIC_CONFIG"


def _topics(
    described: tuple[topics.TopicDescription, ...],
    topic_configs: configs.ConfigsDescription | None,
    broker_min_isr: str,
) -> list[Topic]:
    effective: dict[str, dict[str, str]] = {}
    overrides: dict[str, dict[str, str]] = {}
    if topic_configs is not None:
        for entity in topic_configs.entities:
            if entity.entity_type == "topics" and entity.entity_name:
                effective[entity.entity_name] = {k: e.value for k, e in entity.entries.items() if e.value is not None}
                overrides[entity.entity_name] = {
                    k: e.value for k, e in entity.entries.items()
                    if e.value is not None and e.source == _TOPIC_OVERRIDE
                }
    result = []
    for topic in sorted(described, key=lambda t: t.name):
        topic_config = {**effective.get(topic.name, {}), **topic.configs}
        min_isr = topic_config.get("min.insync.replicas", broker_min_isr)
        result.append(
            Topic(
                name=topic.name,
                internal=topic.name.startswith("__"),
                partition_count=topic.partition_count,
                replication_factor=topic.replication_factor,
                configs=topic_config,
                overrides=overrides.get(topic.name, {}) if topic_configs is not None else {},
                min_insync_replicas=int(min_isr) if str(min_isr).isdigit() else None,
                partitions=Partitions(topic.columns, topic.start, topic.stop),
            )
        )
    return result


def _reassigning(columns: topics.PartitionColumns) -> list[str]:
    """`topic-partition` of the rows printed with Adding or Removing Replicas (extras are sparse)."""
    return [
        f"{columns.topics[columns.topic_index[row]]}-{columns.number[row]}"
        for row in sorted(columns.extras)
        if columns.extras[row].get("adding_replicas") or columns.extras[row].get("removing_replicas")
    ]


def _groups(reader: FactReader) -> list[ConsumerGroup] | None:
    offsets = reader.read("consumer_groups", "consumer_groups", consumer_groups.parse_consumer_groups)
    if offsets is None:
        return None
    states = reader.read("consumer_group_states", "consumer_groups_state", consumer_groups.parse_consumer_groups_state)
    state_by_group = {s.group: s for s in states or ()}
    groups = []
    for group in sorted(offsets, key=lambda g: g.group):
        state = state_by_group.get(group.group)
        lags = [r.lag for r in group.rows if r.lag is not None]
        groups.append(
            ConsumerGroup(
                group=group.group,
                state=state.state if state else None,
                members=state.members if state else None,
                has_active_members=group.has_active_members,
                assigned_members=len({r.consumer_id for r in group.rows if r.consumer_id and r.topic}),
                lag=sum(lags),
                max_partition_lag=max(lags, default=0),
                topics=sorted({r.topic for r in group.rows if r.topic}),
            )
        )
    return groups


def _partition_sizes(reader: FactReader) -> PartitionSizes | None:
    """Every partition found in kafka-log-dirs: its largest replica (bytes), where that replica
    lives, and how many replicas reported a size (merged per partition when asked)."""
    described: LogDirs | None = reader.read("partition_sizes", "log_dirs", cluster_tools.parse_log_dirs)
    return PartitionSizes(described.replicas) if described is not None else None


def _quorum(reader: FactReader) -> Quorum | None:
    status = reader.read("quorum", "metadata_quorum_status", quorum.parse_quorum_status)
    if status is None:
        return None
    replication = reader.read("quorum_replication", "metadata_quorum_replication", quorum.parse_quorum_replication)
    return Quorum(
        cluster_id=status.cluster_id,
        leader_id=status.leader_id,
        leader_epoch=status.leader_epoch,
        voters=list(status.current_voters),
        observers=list(status.current_observers),
        max_follower_lag=status.max_follower_lag,
        replicas=[QuorumReplica(node_id=r.node_id, lag=r.lag, status=r.status) for r in replication or ()],
    )


def _features(reader: FactReader) -> list[Feature] | None:
    features = reader.read("features", "features", cluster_tools.parse_features)
    if features is None:
        return None
    return [
        Feature(name=f.name, supported_min=f.supported_min, supported_max=f.supported_max, finalized=f.finalized_level)
        for f in features
    ]
