"""Kafka's own defaults for the broker keys the checks read, used when a key is not set.

Values from the broker configuration reference (kafka.apache.org/documentation/#brokerconfigs).
Only keys whose default is the same in Kafka 3.x and 4.x are listed; the effective value
from `kafka-configs --describe --all` always wins over this table.
"""

from __future__ import annotations

from typing import Final

__all__ = ["BROKER_DEFAULTS", "DEFAULT_PROTOCOL_MAP"]

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
