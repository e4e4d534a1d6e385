"""The typed fact models: the one place that says what each fact is (docs/facts.md is generated from them)."""

from __future__ import annotations

from typing import Final

from kafkapilot.facts.model.admin import HangingTransaction, QuotaEntity, Reassignment, Transaction
from kafkapilot.facts.model.base import FactInfo, Record, fact, iter_facts
from kafkapilot.facts.model.cluster import Cluster
from kafkapilot.facts.model.cluster_records import (
    AclRule,
    BrokerLoad,
    BrokerLogErrors,
    ConsumerGroup,
    Feature,
    MetadataBroker,
    Quorum,
    QuorumReplica,
    RackBrokers,
    Topic,
)
from kafkapilot.facts.model.host import DfRow, Host, Mount
from kafkapilot.facts.model.logs import (
    AuthFailureClient,
    GcFile,
    GcLongest,
    GcPauses,
    InvalidReceiveSize,
    IsrPartition,
    LogExample,
    LogFileInfo,
    Logs,
    MissingLogFile,
    RebalanceGroup,
)
from kafkapilot.facts.model.metrics import BrokerMetrics
from kafkapilot.facts.model.node import (
    Certificate,
    DynamicOverride,
    KafkaNode,
    KafkaRelease,
    Keystore,
    KeystoreFile,
    Listener,
    LogDirFilesystem,
    LogDirMount,
    LogDirUsage,
    MetadataDir,
    ZooKeeperNode,
)
from kafkapilot.facts.model.partitions import Partition, Partitions, PartitionSize, PartitionSizes
from kafkapilot.facts.model.process import JavaAgent, JavaVersion, Jvm, Limits, NodeBase, Systemd

__all__ = [
    "ALL_MODELS",
    "AclRule",
    "AuthFailureClient",
    "BrokerLoad",
    "BrokerLogErrors",
    "BrokerMetrics",
    "Certificate",
    "Cluster",
    "ConsumerGroup",
    "DfRow",
    "DynamicOverride",
    "FactInfo",
    "Feature",
    "GcFile",
    "GcLongest",
    "GcPauses",
    "HangingTransaction",
    "Host",
    "InvalidReceiveSize",
    "IsrPartition",
    "JavaAgent",
    "JavaVersion",
    "Jvm",
    "KafkaNode",
    "KafkaRelease",
    "Keystore",
    "KeystoreFile",
    "Limits",
    "Listener",
    "LogDirFilesystem",
    "LogDirMount",
    "LogDirUsage",
    "LogExample",
    "LogFileInfo",
    "Logs",
    "MetadataBroker",
    "MetadataDir",
    "MissingLogFile",
    "Mount",
    "NodeBase",
    "Partition",
    "PartitionSize",
    "PartitionSizes",
    "Partitions",
    "Quorum",
    "QuorumReplica",
    "QuotaEntity",
    "RackBrokers",
    "Reassignment",
    "Record",
    "RebalanceGroup",
    "Systemd",
    "Topic",
    "Transaction",
    "ZooKeeperNode",
    "fact",
    "iter_facts",
]

# In the order docs/facts.md presents them: the scope variables first, then what they hold.
ALL_MODELS: Final[tuple[type[Record], ...]] = (
    Host, Mount, DfRow,
    KafkaNode, ZooKeeperNode, Jvm, JavaAgent, JavaVersion, Limits, Systemd, GcPauses, GcFile, GcLongest,
    Logs, LogFileInfo, MissingLogFile, LogExample, IsrPartition, RebalanceGroup, InvalidReceiveSize,
    AuthFailureClient, Listener, DynamicOverride, LogDirUsage, Keystore, KeystoreFile, Certificate,
    KafkaRelease, LogDirFilesystem, MetadataDir, LogDirMount, BrokerMetrics,
    Cluster, Topic, Partition, PartitionSize, ConsumerGroup, Quorum, QuorumReplica, Feature, MetadataBroker,
    BrokerLoad, BrokerLogErrors, RackBrokers, AclRule,
    Transaction, HangingTransaction, QuotaEntity, Reassignment,  # issue 14: transactions, quotas, reassignments
)
