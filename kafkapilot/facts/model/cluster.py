"""The cluster: nodes and hosts joined with the output of the cluster-wide CLI tools."""

from __future__ import annotations

from dataclasses import dataclass

from kafkapilot.facts.model.admin import HangingTransaction, QuotaEntity, Reassignment, Transaction
from kafkapilot.facts.model.base import Record, fact
from kafkapilot.facts.model.cluster_records import (
    AclRule,
    BrokerLoad,
    BrokerLogErrors,
    ConsumerGroup,
    Feature,
    MetadataBroker,
    Quorum,
    RackBrokers,
    Topic,
)
from kafkapilot.facts.model.host import Host
from kafkapilot.facts.model.node import KafkaNode, ZooKeeperNode
from kafkapilot.facts.model.partitions import Partitions, PartitionSizes

__all__ = ["Cluster"]


@dataclass(slots=True, kw_only=True)
class Cluster(Record):
    """One per snapshot, the variable `cluster` of every scope."""

    name: str | None = fact("cluster name from the inventory", source="manifest")
    mode: str = fact(
        "`zookeeper` if any Kafka node runs in ZooKeeper mode, else `kraft` if any runs KRaft, else `zookeeper` "
        "when ZooKeeper processes were found, else `unknown`",
        default="unknown",
    )
    kafka_versions: list[str] = fact(
        "distinct `node.kafka_version` values, sorted", source="kafka_version", factory=list
    )
    nodes: list[KafkaNode] = fact("all Kafka nodes", factory=list)
    brokers: list[KafkaNode] = fact("Kafka nodes with the broker role", factory=list)
    controllers: list[KafkaNode] = fact("Kafka nodes with the controller role", factory=list)
    zookeepers: list[ZooKeeperNode] = fact("ZooKeeper nodes", factory=list)
    hosts: list[Host] = fact("every inventory host, reachable or not, by name", source="manifest", factory=list)
    unreachable_hosts: list[str] = fact("names of unreachable hosts", source="manifest", factory=list)
    metadata_brokers: list[MetadataBroker] | None = fact(
        "brokers the cluster metadata knows", source="broker_api_versions"
    )
    broker_count: int = fact(
        "brokers the cluster is meant to have: the largest of the `metadata_brokers` count, the distinct brokers "
        "found running, and the inventory's `kafka_brokers` hosts (a stopped broker still counts)",
        source=("broker_api_versions", "manifest"),
        default=0,
    )
    racks: list[str] = fact(
        "distinct `broker.rack` of the brokers whose config is known, sorted; `''` stands for unset",
        source="server_properties",
        factory=list,
    )
    zookeeper_connect_hosts: list[str] | None = fact(
        "the union of the brokers' `zookeeper_connect_hosts`, sorted (one server written two ways, a short name "
        "and an FQDN, counts twice: the size of the ensemble is each broker's list); `None` when no broker sets it",
        source="server_properties",
    )
    topics: list[Topic] | None = fact("one per topic, by name", source=("topics_describe", "topic_configs"))
    partition_count: int | None = fact("partitions of all topics, internal ones included", source="topics_describe")
    partition_sizes: PartitionSizes | None = fact(
        "one row per partition that `kafka-log-dirs` reports, largest first; "
        "`cluster.partition_sizes.larger_than(bytes)` gives those above a size without reading the others",
        source="log_dirs",
    )
    under_replicated: Partitions | None = fact("`--under-replicated-partitions`", source="topics_under_replicated")
    under_min_isr: Partitions | None = fact("`--under-min-isr-partitions`", source="topics_under_min_isr")
    at_min_isr: Partitions | None = fact("`--at-min-isr-partitions`", source="topics_at_min_isr")
    unavailable_partitions: Partitions | None = fact(
        "`--unavailable-partitions` (no leader)", source="topics_unavailable"
    )
    reassigning_partitions: list[str] | None = fact(
        "partitions (`orders-3`) being reassigned: those the describe prints with `Adding Replicas` or "
        "`Removing Replicas`, in printed order; `[]` when none is",
        source="topics_describe",
    )
    consumer_groups: list[ConsumerGroup] | None = fact(
        "one per group", source=("consumer_groups", "consumer_groups_state")
    )
    quorum: Quorum | None = fact(
        "the KRaft quorum; `None` in ZooKeeper mode", source=("metadata_quorum_status", "metadata_quorum_replication")
    )
    features: list[Feature] | None = fact("finalized feature levels", source="features")
    acls: list[AclRule] | None = fact(
        "every ACL binding the authorizer holds, in printed order; `[]` when it holds none; `None` when "
        "`kafka-acls --list` was not collected or failed (no authorizer, no Describe permission on the cluster)",
        source="acls",
    )
    # ------------------------------------------------------------- transactions, quotas (issue 14)
    transactions: list[Transaction] | None = fact(
        "every transactional id `kafka-transactions list` printed, in printed order, open ones with what "
        "`describe` said; `[]` when there is none; `None` when the list was not collected or failed (Kafka before "
        "3.0 has no kafka-transactions.sh)",
        source=("transactions_list", "transactions_describe"),
    )
    hanging_transactions: list[HangingTransaction] | None = fact(
        "what `kafka-transactions find-hanging` reported, over every broker the metadata knows; `None` unless it "
        "ran on each of them",
        source="transactions_hanging",
    )
    quotas: list[QuotaEntity] | None = fact(
        "every entity with a client quota (users, client ids, users with a client id, ips; defaults included), "
        "in that order; `[]` when none is set; `None` unless all four listings were collected",
        source=("quotas_users", "quotas_user_clients", "quotas_clients", "quotas_ips"),
    )
    reassignments: list[Reassignment] | None = fact(
        "the partitions being reassigned, in printed order, with throttle and start; `[]` when none is; `None` "
        "when the describe was not collected",
        source=("topics_describe", "broker_configs", "log_file"),
        derived=True,
    )
    collected_at: str | None = fact(
        "when the snapshot was collected (`finished_at`, else `started_at`)", source="manifest", derived=True
    )
    collected_date: str | None = fact(
        "its `YYYY-MM-DD`: the \"as of\" date of date-dependent checks, never the analysis day",
        source="manifest",
        derived=True,
    )
    cluster_id: str | None = fact(
        "the quorum's `ClusterId`, else the `cluster.id` most meta.properties files carry",
        source=("metadata_quorum_status", "meta_properties"),
        derived=True,
    )
    broker_ids: list[int] = fact(
        "ids of `metadata_brokers` when known, else `node_id` of the brokers found",
        source=("broker_api_versions", "server_properties"),
        derived=True,
        factory=list,
    )
    kafka_version_newest: str | None = fact(
        "the newest of `kafka_versions`, compared numerically (4.10 after 4.9)", source="kafka_version", derived=True
    )
    consumer_group_states: dict[str, str | None] | None = fact(
        "group → state from the `--state` output; `None` (with its reason) when that output is missing or "
        "unreadable, so that checks on states can require it",
        source="consumer_groups_state",
        derived=True,
    )
    partitions: Partitions | None = fact(
        "every partition of every topic, topic by topic", source="topics_describe", derived=True
    )
    topics_by_name: dict[str, Topic] | None = fact("topic name → topic", source="topics_describe", derived=True)
    node_labels: dict[int, str] = fact(
        "node id → label of the Kafka node that uses it (the first by host name); ids of stopped brokers are absent",
        source=("server_properties", "meta_properties"),
        derived=True,
        factory=dict,
    )
    partition_load: list[BrokerLoad] | None = fact(
        "per broker id (every id of `broker_ids`, plus any id found in a replica list), by id",
        source="topics_describe",
        derived=True,
    )
    mean_replicas_per_broker: float | None = fact(
        "mean `replicas` over `partition_load`", source="topics_describe", derived=True
    )
    mean_leaders_per_broker: float | None = fact(
        "mean `leaders` over `partition_load`", source="topics_describe", derived=True
    )
    metadata_racks: list[RackBrokers] | None = fact(
        "the racks of `metadata_brokers` (brokers without a rack left out), by rack name",
        source="broker_api_versions",
        derived=True,
    )
    reference_config: dict[str, str] | None = fact(
        "`config` of the first broker (by host name) whose server.properties is known: the brokers' defaults "
        "for cluster-wide settings",
        source=("server_properties", "broker_configs"),
        derived=True,
    )
    broker_data_kbytes_mean: float | None = fact(
        "mean `data_kbytes` over the brokers that have it", source="log_dir_usage", unit="KiB", derived=True
    )
    log_pattern_totals: dict[str, int] | None = fact(
        "`node.logs.patterns` summed over the Kafka nodes whose logs were collected; `None` when none was",
        source="log_file",
        derived=True,
    )
    broker_log_errors: list[BrokerLogErrors] = fact(
        "per broker whose logs were collected", source="log_file", derived=True, factory=list
    )
    broker_log_errors_median: float | None = fact(
        "median of those `errors`; `None` when no broker's logs were collected", source="log_file", derived=True
    )
    super_users: list[str] | None = fact(
        "the principals of `super.users` of every Kafka node whose config is known (their union, sorted); "
        "`None` when no node's config is known",
        source=("server_properties", "broker_configs"),
        derived=True,
    )
    principal_kinds: list[str] | None = fact(
        "the kinds of principal (see `AclRule.principal_kind`) that some listener of some Kafka node (broker or "
        "controller) can authenticate: `anonymous` (PLAINTEXT, or SSL without `ssl.client.auth=required`), "
        "`certificate` (SSL with `ssl.client.auth` `required` or `requested`), `name` (SASL, or SSL client "
        "certificates with `ssl.principal.mapping.rules` other than `DEFAULT`); all three when a node sets its own "
        "`principal.builder.class`; sorted; `None` when no node's listeners are known",
        source="server_properties",
        derived=True,
    )
    metrics_active_controllers: int | None = fact(
        "sum of `metrics.active_controller` over the running Kafka nodes; `None` unless every one of them was "
        "scraped", source="prometheus_metrics", derived=True)
    metrics_under_replicated: int | None = fact(
        "sum of `metrics.under_replicated_partitions` over the running Kafka nodes (each counts the partitions "
        "it leads); `None` unless every one of them was scraped", source="prometheus_metrics", derived=True)
    metrics_offline_partitions: int | None = fact(
        "sum of `metrics.offline_partitions` over the running Kafka nodes (the active controller's count); "
        "`None` unless every one of them was scraped", source="prometheus_metrics", derived=True)
    unavailable: dict[str, str] = fact("fact → why it is unknown", factory=dict)
    sources: dict[str, str] = fact("artifact → the command that produced it", factory=dict)
