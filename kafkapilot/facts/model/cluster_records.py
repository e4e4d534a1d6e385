"""The records inside the cluster facts: topics, consumer groups, quorum, metadata brokers, loads."""

from __future__ import annotations

from dataclasses import dataclass

from kafkapilot.facts.model.base import Record, fact
from kafkapilot.facts.model.partitions import Partitions

__all__ = [
    "AclRule",
    "BrokerLoad",
    "BrokerLogErrors",
    "ConsumerGroup",
    "Feature",
    "MetadataBroker",
    "Quorum",
    "QuorumReplica",
    "RackBrokers",
    "Topic",
]


@dataclass(slots=True, kw_only=True)
class MetadataBroker(Record):
    """A broker the cluster metadata knows (`kafka-broker-api-versions`)."""

    id: int = fact("broker id", default=0)
    host: str = fact("advertised host")
    port: int | None = fact("advertised port")
    rack: str | None = fact("`None` for null")
    fenced: bool | None = fact("`None` before Kafka 4.0")


@dataclass(slots=True, kw_only=True)
class Topic(Record):
    """One topic (`cluster.topics[]`), by name."""

    name: str = fact("topic name", source="topics_describe")
    internal: bool = fact("the name starts with `__`", source="topics_describe", default=False)
    partition_count: int = fact("from the describe header", source="topics_describe", default=0)
    replication_factor: int = fact("from the describe header", source="topics_describe", default=0)
    configs: dict[str, str] = fact(
        "effective values from `topic_configs` (when collected), overlaid by the describe's `Configs:` overrides",
        source=("topic_configs", "topics_describe"),
        factory=dict,
    )
    overrides: dict[str, str] = fact(
        "the settings set on the topic itself (`kafka-configs --alter --entity-type topics`): those whose source "
        "in `topic_configs` is `DYNAMIC_TOPIC_CONFIG`; when `topic_configs` was not collected, the describe's "
        "`Configs:` values that differ from what the brokers give (the describe also prints non-default broker "
        "settings, so one equal to the brokers' cannot be told apart, and judging it at broker level is the same)",
        source=("topic_configs", "topics_describe"),
        derived=True,
        factory=dict,
    )
    effective_config: dict[str, str] = fact(
        "the value in effect for each topic-level setting: the topic's own value, else the brokers' setting that "
        "gives its default (`log.segment.bytes` for `segment.bytes`, `message.max.bytes` for `max.message.bytes`, "
        "`log.retention.hours` … for `retention.ms`), else Kafka's default; every key of `configs` is in it, and "
        "the settings of kafkapilot/facts/kafka_defaults.py `TOPIC_BROKER_SYNONYMS` always are (those of "
        "`TOPIC_BROKER_SYNONYMS_VERSIONED`, whose defaults differ between versions, when the brokers set them)",
        source=("topic_configs", "topics_describe", "server_properties", "broker_configs"),
        derived=True,
        factory=dict,
    )
    min_insync_replicas: int | None = fact(
        "the topic's `min.insync.replicas`, else the brokers' (when they differ: the first of their values in "
        "string order), else 1",
        source=("topics_describe", "topic_configs", "server_properties"),
    )
    partitions: Partitions = fact("its [partitions](#partition), in printed order", source="topics_describe")
    retention_ms: int = fact(
        "the topic's `retention.ms`, else the brokers' `log.retention.ms` (or `.minutes`, `.hours`; 168 h by "
        "default); `-1` is unlimited",
        source=("topics_describe", "topic_configs", "server_properties"),
        unit="ms",
        derived=True,
        default=-1,
    )
    retention_bytes: int = fact(
        "the topic's `retention.bytes`, else the brokers' `log.retention.bytes`; `-1` is unlimited",
        source=("topics_describe", "topic_configs", "server_properties"),
        unit="bytes",
        derived=True,
        default=-1,
    )
    cleanup_policy: list[str] = fact(
        "`cleanup.policy` of the topic, else the brokers' `log.cleanup.policy` (default `delete`)",
        source=("topics_describe", "topic_configs", "server_properties"),
        derived=True,
        factory=list,
    )
    name_collisions: list[str] = fact(
        "the other topics whose name differs only by `.` versus `_` (Kafka's metric names turn `.` into `_`, "
        "so they share metrics)",
        source="topics_describe",
        derived=True,
        factory=list,
    )


@dataclass(slots=True, kw_only=True)
class ConsumerGroup(Record):
    """One consumer group (`cluster.consumer_groups[]`)."""

    group: str = fact("group id", source="consumer_groups")
    state: str | None = fact(
        "`Stable`, `Empty`, `PreparingRebalance`, `CompletingRebalance`, `Dead` …; `None` when the `--state` "
        "output is missing or unreadable (its reason is `cluster.unavailable.consumer_group_states`)",
        source="consumer_groups_state",
    )
    members: int | None = fact("`#MEMBERS` of the state output", source="consumer_groups_state")
    assigned_members: int = fact(
        "distinct consumer ids that own at least one partition in the offsets output (the tool lists only "
        "members with partitions, so `members - assigned_members` are idle)",
        source="consumer_groups",
        default=0,
    )
    has_active_members: bool = fact(
        "false when the tool printed *has no active members* or no row names a consumer",
        source="consumer_groups",
        default=False,
    )
    lag: int = fact("sum of the partitions' known lags", source="consumer_groups", default=0)
    max_partition_lag: int = fact("largest partition lag", source="consumer_groups", default=0)
    topics: list[str] = fact("topics the group has offsets for", source="consumer_groups", factory=list)


@dataclass(slots=True, kw_only=True)
class QuorumReplica(Record):
    """One replica of the KRaft metadata log (`kafka-metadata-quorum describe --replication`)."""

    node_id: int = fact("node id", default=0)
    lag: int | None = fact("records behind the leader")
    status: str = fact("`Leader`, `Follower`, `Observer`")


@dataclass(slots=True, kw_only=True)
class Quorum(Record):
    """The KRaft quorum (`cluster.quorum`); `None` in ZooKeeper mode."""

    cluster_id: str | None = fact("`ClusterId`", source="metadata_quorum_status")
    leader_id: int | None = fact("the active controller's id; `None` without a leader", source="metadata_quorum_status")
    leader_epoch: int | None = fact("`LeaderEpoch`", source="metadata_quorum_status")
    voters: list[int] = fact("ids of the voters", source="metadata_quorum_status", factory=list)
    observers: list[int] = fact("ids of the observers", source="metadata_quorum_status", factory=list)
    max_follower_lag: int | None = fact("`MaxFollowerLag`", source="metadata_quorum_status")
    replicas: list[QuorumReplica] = fact(
        "empty when `metadata_quorum_replication` was not collected", source="metadata_quorum_replication", factory=list
    )


@dataclass(slots=True, kw_only=True)
class Feature(Record):
    """One feature of `kafka-features describe` (strings, as printed)."""

    name: str = fact("`metadata.version` …")
    supported_min: str = fact("lowest level the nodes support")
    supported_max: str = fact("highest level the nodes support")
    finalized: str | None = fact("the level the cluster runs at")


@dataclass(slots=True, kw_only=True)
class BrokerLoad(Record):
    """The partitions one broker id holds (`cluster.partition_load[]`)."""

    id: int = fact("broker id", default=0)
    replicas: int = fact("replicas it holds", default=0)
    leaders: int = fact("partitions it leads", default=0)
    preferred: int = fact("partitions whose first replica it is", default=0)
    preferred_not_leading: int = fact("of those, the ones led by another broker", default=0)


@dataclass(slots=True, kw_only=True)
class BrokerLogErrors(Record):
    """ERROR and FATAL lines of one broker whose logs were collected."""

    label: str = fact("the broker's label")
    errors: int = fact("`node.logs.errors`", default=0)


@dataclass(slots=True, kw_only=True)
class RackBrokers(Record):
    """The brokers of one rack, as the cluster metadata knows them."""

    rack: str = fact("rack name")
    broker_ids: list[int] = fact("ids of its brokers", factory=list)
    count: int = fact("how many", default=0)


@dataclass(slots=True, kw_only=True)
class AclRule(Record):
    """One ACL binding of `kafka-acls --list` (`cluster.acls[]`); enum names as Kafka prints them."""

    resource_type: str = fact(
        "`TOPIC`, `GROUP`, `CLUSTER`, `TRANSACTIONAL_ID`, `DELEGATION_TOKEN`, `USER`", source="acls"
    )
    resource_name: str = fact(
        "topic, group … name; `*` is every resource of the type; `kafka-cluster` for CLUSTER", source="acls"
    )
    pattern_type: str = fact("`LITERAL` or `PREFIXED`", source="acls")
    principal: str = fact("`User:alice`, `User:CN=app,OU=eng`, `User:*` …", source="acls")
    host: str = fact("the client address it applies to; `*` for any", source="acls")
    operation: str = fact("`ALL`, `READ`, `WRITE`, `CREATE`, `DELETE`, `ALTER`, `DESCRIBE`, `CLUSTER_ACTION`, "
                          "`DESCRIBE_CONFIGS`, `ALTER_CONFIGS`, `IDEMPOTENT_WRITE` …", source="acls")
    permission: str = fact("`ALLOW` or `DENY`", source="acls")
    principal_kind: str = fact(
        "what kind of authentication yields the principal: `everyone` (`User:*`), `anonymous` (`User:ANONYMOUS`), "
        "`certificate` (a `User:` distinguished name, `CN=…`), `name` (any other `User:` name: SASL, or a "
        "certificate mapped by `ssl.principal.mapping.rules`), `other` (not a `User:` principal)",
        source="acls",
        derived=True,
    )
