"""Cluster-wide tool output in one namespace: features, log dirs, broker API versions,
the Kafka version from jar names and ZooKeeper ``srvr``.

The parsers live in small modules; this module re-exports them.
"""

from __future__ import annotations

from kafkapilot.parsers.broker_api_versions import BrokerEndpoint, parse_broker_api_versions
from kafkapilot.parsers.features import Feature, parse_features
from kafkapilot.parsers.kafka_version import kafka_version_from_jars
from kafkapilot.parsers.log_dirs import BrokerLogDirs, LogDir, parse_log_dirs
from kafkapilot.parsers.zookeeper import parse_zookeeper_srvr

__all__ = [
    "BrokerEndpoint",
    "BrokerLogDirs",
    "Feature",
    "LogDir",
    "kafka_version_from_jars",
    "parse_broker_api_versions",
    "parse_features",
    "parse_log_dirs",
    "parse_zookeeper_srvr",
]
