"""Kafka's own defaults for the broker keys the checks read, used when a key is not set.

Values from the broker configuration reference (kafka.apache.org/documentation/#brokerconfigs).
Only keys whose default is the same in Kafka 3.x and 4.x are listed; the effective value
from `kafka-configs --describe --all` always wins over this table.
"""

from __future__ import annotations

from typing import Final

__all__ = ["BROKER_DEFAULTS", "DEFAULT_PROTOCOL_MAP", "TOPIC_BROKER_SYNONYMS", "TOPIC_BROKER_SYNONYMS_VERSIONED"]

BROKER_DEFAULTS: Final[dict[str, str]] = {
    "allow.everyone.if.no.acl.found": "false",
    "auto.create.topics.enable": "true",
    "auto.leader.rebalance.enable": "true",
    "background.threads": "10",
    "compression.type": "producer",
    "controlled.shutdown.enable": "true",
    "default.replication.factor": "1",
    "delete.topic.enable": "true",
    "group.initial.rebalance.delay.ms": "3000",
    "log.dirs": "/tmp/kafka-logs",  # noqa: S108 - Kafka's documented default, a value compared, not a file we open
    "log.retention.bytes": "-1",
    "log.retention.check.interval.ms": "300000",
    "log.segment.bytes": "1073741824",
    "message.max.bytes": "1048588",
    "min.insync.replicas": "1",
    "num.io.threads": "8",
    "num.network.threads": "3",
    "num.partitions": "1",
    "num.recovery.threads.per.data.dir": "2",
    "num.replica.fetchers": "1",
    "offsets.retention.minutes": "10080",
    "offsets.topic.num.partitions": "50",
    "offsets.topic.replication.factor": "3",
    "replica.lag.time.max.ms": "30000",
    "socket.receive.buffer.bytes": "102400",
    "socket.request.max.bytes": "104857600",
    "socket.send.buffer.bytes": "102400",
    "ssl.endpoint.identification.algorithm": "https",
    "transaction.state.log.min.isr": "2",
    "transaction.state.log.replication.factor": "3",
    "unclean.leader.election.enable": "false",
}

DEFAULT_PROTOCOL_MAP: Final[dict[str, str]] = {
    "PLAINTEXT": "PLAINTEXT",
    "SSL": "SSL",
    "SASL_PLAINTEXT": "SASL_PLAINTEXT",
    "SASL_SSL": "SASL_SSL",
}

#: Topic-level setting → (the broker setting that gives its default, Kafka's default when neither is
#: set), for the topic settings whose default is the same in Kafka 3.x and 4.x (LogConfig,
#: ServerTopicConfigSynonyms). retention.ms and segment.ms also read the broker's .minutes/.hours forms.
TOPIC_BROKER_SYNONYMS: Final[dict[str, tuple[str, str]]] = {
    "cleanup.policy": ("log.cleanup.policy", "delete"),
    "compression.type": ("compression.type", "producer"),
    "delete.retention.ms": ("log.cleaner.delete.retention.ms", "86400000"),
    "file.delete.delay.ms": ("log.segment.delete.delay.ms", "60000"),
    "flush.messages": ("log.flush.interval.messages", "9223372036854775807"),
    "flush.ms": ("log.flush.interval.ms", "9223372036854775807"),
    "index.interval.bytes": ("log.index.interval.bytes", "4096"),
    "max.compaction.lag.ms": ("log.cleaner.max.compaction.lag.ms", "9223372036854775807"),
    "max.message.bytes": ("message.max.bytes", "1048588"),
    "message.timestamp.type": ("log.message.timestamp.type", "CreateTime"),
    "min.cleanable.dirty.ratio": ("log.cleaner.min.cleanable.ratio", "0.5"),
    "min.compaction.lag.ms": ("log.cleaner.min.compaction.lag.ms", "0"),
    "min.insync.replicas": ("min.insync.replicas", "1"),
    "preallocate": ("log.preallocate", "false"),
    "retention.bytes": ("log.retention.bytes", "-1"),
    "retention.ms": ("log.retention.ms", "604800000"),
    "segment.bytes": ("log.segment.bytes", "1073741824"),
    "segment.index.bytes": ("log.index.size.max.bytes", "10485760"),
    "segment.ms": ("log.roll.ms", "604800000"),
    "unclean.leader.election.enable": ("unclean.leader.election.enable", "false"),
}

#: Topic-level settings whose broker synonym's default differs between Kafka versions (or that 4.0
#: removed): the brokers' value counts when they set it, else the topic's value is its own.
TOPIC_BROKER_SYNONYMS_VERSIONED: Final[dict[str, str]] = {
    "local.retention.bytes": "log.local.retention.bytes",
    "local.retention.ms": "log.local.retention.ms",
    "message.downconversion.enable": "log.message.downconversion.enable",
    "message.format.version": "log.message.format.version",
    "message.timestamp.after.max.ms": "log.message.timestamp.after.max.ms",
    "message.timestamp.before.max.ms": "log.message.timestamp.before.max.ms",
    "message.timestamp.difference.max.ms": "log.message.timestamp.difference.max.ms",
}
