"""Kafka and ZooKeeper nodes: one per JVM found on a host."""

from __future__ import annotations

from dataclasses import dataclass

from kafkapilot.facts.model.base import Record, fact
from kafkapilot.facts.model.cluster_records import MetadataBroker
from kafkapilot.facts.model.metrics import BrokerMetrics
from kafkapilot.facts.model.process import NodeBase

__all__ = [
    "Certificate",
    "DynamicOverride",
    "KafkaNode",
    "KafkaRelease",
    "Keystore",
    "KeystoreFile",
    "Listener",
    "LogDirFilesystem",
    "LogDirMount",
    "LogDirUsage",
    "MetadataDir",
    "ZooKeeperNode",
]


@dataclass(slots=True, kw_only=True)
class Listener(Record):
    """One entry of `listeners`, with `listener.security.protocol.map`, `controller.listener.names`
    and `inter.broker.listener.name` of server.properties."""

    name: str = fact("upper-cased listener name (`CLIENT`)")
    protocol: str = fact(
        "`PLAINTEXT`, `SSL`, `SASL_PLAINTEXT`, `SASL_SSL` (from the map; the four protocol names map to "
        "themselves), `UNKNOWN` when unmapped"
    )
    host: str = fact("bind address (`''` for all interfaces)")
    port: int | None = fact("port")
    loopback: bool = fact("bound to localhost, 127.0.0.0/8 or ::1 only", default=False)
    wildcard: bool = fact("bound to all interfaces (`''`, `0.0.0.0`, `::`)", default=False)
    role: str = fact(
        "`controller` (in `controller.listener.names`), `inter_broker` (named by `inter.broker.listener.name`, "
        "or when that is unset by `security.inter.broker.protocol`, default PLAINTEXT), else `client`"
    )
    encrypted: bool = fact("protocol is `SSL` or `SASL_SSL`", default=False)
    authenticated: bool = fact(
        "SASL, or SSL with `ssl.client.auth=required` (per listener `listener.name.<name>.ssl.client.auth` first)",
        default=False,
    )


@dataclass(slots=True, kw_only=True)
class DynamicOverride(Record):
    """A key whose running value comes from a dynamic config."""

    key: str = fact("the config key")
    value: str = fact("its dynamic value")
    source: str = fact("`DYNAMIC_BROKER_CONFIG`, `DYNAMIC_DEFAULT_BROKER_CONFIG` …")
    static_source: str | None = fact(
        "`STATIC_BROKER_CONFIG` (server.properties) or `DEFAULT_CONFIG` (Kafka's default); `None` when neither"
    )
    static_key: str | None = fact("the key of that synonym")
    static_value: str | None = fact("the value without the dynamic config")


@dataclass(slots=True, kw_only=True)
class LogDirUsage(Record):
    """`du` of one log dir."""

    dir: str = fact("the log dir")
    kbytes: int = fact("its size", unit="KiB", default=0)
    partitions: int = fact("partition directories in it", default=0)


@dataclass(slots=True, kw_only=True)
class Keystore(Record):
    """A keystore or truststore named in the config, as collected (never copied)."""

    path: str = fact("its path")
    mode: str | None = fact("file mode as octal text (`0600`)")
    owner: str | None = fact("owner")
    group: str | None = fact("group")


@dataclass(slots=True, kw_only=True)
class KeystoreFile(Record):
    """A keystore named by a key ending in `ssl.keystore.location`, with its file mode."""

    key: str = fact("the config key")
    path: str = fact("the keystore's path")
    mode: str = fact("file mode as octal text (`0600`)")
    owner: str | None = fact("owner")
    group: str | None = fact("group")
    world_readable: bool = fact("mode has o+r", default=False)
    world_writable: bool = fact("mode has o+w", default=False)
    group_writable: bool = fact("mode has g+w", default=False)


@dataclass(slots=True, kw_only=True)
class Certificate(Record):
    """One certificate of a keystore the config names."""

    keystore: str = fact("the keystore's path")
    alias: str | None = fact("the entry")
    position: int = fact("1 = the entry's own, 2… its chain", default=1)
    subject: str = fact("subject DN")
    issuer: str = fact("issuer DN")
    serial: str = fact("serial number")
    not_before: str = fact("ISO, UTC")
    not_after: str = fact("ISO, UTC")
    days_left: float = fact("from the end of the collection, one decimal", unit="days", default=0.0)
    expired: bool = fact("`days_left < 0`", default=False)
    self_signed: bool = fact("subject equals issuer", default=False)


@dataclass(slots=True, kw_only=True)
class KafkaRelease(Record):
    """Support status of the node's Kafka version on the day the snapshot was collected, from the
    release table `kafkapilot/data/kafka_versions.py`."""

    version: str = fact("`3.9.1`")
    minor: str = fact("`3.9`")
    released: str = fact("release date of the minor version (YYYY-MM-DD)")
    age_days: int = fact("days from the release to the collection", unit="days", default=0)
    newer_minors: int = fact("feature releases published since, by the collection day", default=0)
    supported_until: str | None = fact(
        "release date of the third newer feature release (or a longer promise, 3.9); `None` while fewer "
        "have been released"
    )
    supported: bool = fact("the collection day is not after `supported_until`", default=True)
    as_of: str = fact("the collection day")
    table_as_of: str = fact("when the release table was last updated")


@dataclass(slots=True, kw_only=True)
class LogDirFilesystem(Record):
    """The df row of the filesystem that holds one data dir (`role` `data`) or the metadata dir
    (`role` `metadata`); sizes in KiB (inodes in `log_dir_df_inodes`). When no row holds the dir,
    `found` is false and the df keys are `None`."""

    dir: str = fact("the dir")
    role: str = fact("`data` or `metadata`")
    found: bool = fact("a df row holds the dir", default=False)
    filesystem: str | None = fact("device or filesystem name")
    fstype: str | None = fact("filesystem type")
    total: int | None = fact("size", unit="KiB, or inodes")
    used: int | None = fact("used", unit="KiB, or inodes")
    available: int | None = fact("available", unit="KiB, or inodes")
    use_percent: int | None = fact("use", unit="%")
    mountpoint: str | None = fact("mount point")
    root: bool = fact("the filesystem is `/`", default=False)
    with_application_logs: bool = fact("the JVM's `-Dkafka.logs.dir` is on the same filesystem", default=False)


@dataclass(slots=True, kw_only=True)
class MetadataDir(LogDirFilesystem):
    """The `log_dir_df` entry of the dir that holds the KRaft metadata log."""

    in_data_dir: bool = fact("`metadata.log.dir` is unset: the metadata log is in the first log dir", default=False)
    shares_data_filesystem: bool = fact(
        "it is on the filesystem of a data dir (always true with `in_data_dir`)", default=False
    )


@dataclass(slots=True, kw_only=True)
class LogDirMount(Record):
    """The /proc/mounts entry that holds one data or metadata dir."""

    dir: str = fact("the dir")
    role: str = fact("`data` or `metadata`")
    found: bool = fact("a mount holds the dir", default=False)
    device: str | None = fact("the device")
    mountpoint: str | None = fact("mount point")
    fstype: str | None = fact("filesystem type")
    options: list[str] = fact("mount options", factory=list)
    root: bool = fact("the mount is `/`", default=False)
    with_application_logs: bool = fact("the JVM's `-Dkafka.logs.dir` is on the same mount", default=False)


_CONFIG_DOC = (
    "the **effective** configuration: Kafka's defaults for the keys in `kafka_defaults.py`, overlaid by "
    "server.properties, overlaid by the running values of `kafka-configs --describe --all --entity-type brokers` "
    "for this `node_id` (when collected; sensitive values are left out). `log.dirs` takes `log.dir` when only "
    "that is set. All values are strings. `None` when server.properties is unknown"
)


@dataclass(slots=True, kw_only=True)
class KafkaNode(NodeBase):
    """One Kafka JVM (`kind: kafka`), in `cluster.nodes` (and `cluster.brokers`,
    `cluster.controllers` by role), ordered by host name then instance."""

    node_id: int | None = fact(
        "`node.id` or `broker.id` of server.properties, else of meta.properties",
        source=("server_properties", "meta_properties"),
    )
    kafka_version: str | None = fact("`4.1.0`, from the jar names on the class path", source="kafka_version")
    config_explicit: dict[str, str] | None = fact("server.properties alone, as written", source="server_properties")
    config_file: str | None = fact("its path on the host", source="server_properties")
    config_file_mode: int | None = fact(
        "its mode as a number (`0o640` = 416): `(node.config_file_mode // 4) % 2 == 1` is world-readable",
        source="server_properties",
    )
    config_lines: dict[str, int] = fact(
        "line number of each key in the file (`{}` when unknown)", source="server_properties", factory=dict
    )
    config_duplicates: list[str] = fact(
        "keys set more than once in the file (the last wins)", source="server_properties", factory=list
    )
    dynamic_config: dict[str, str] = fact(
        "keys whose running value comes from a dynamic config (source `DYNAMIC_…`); `{}` without `broker_configs`",
        source="broker_configs",
        factory=dict,
    )
    dynamic_overrides: list[DynamicOverride] | None = fact(
        "per key of `dynamic_config`, the dynamic value and the value without it; sensitive keys are left out. "
        "`None` when `broker_configs` was not collected or does not describe this node (dedicated controllers)",
        source="broker_configs",
    )
    listeners: list[Listener] | None = fact("one per entry of `listeners`", source="server_properties")
    log_dirs: list[str] | None = fact(
        "`log.dirs`, else `log.dir`, else Kafka's default `/tmp/kafka-logs`", source="server_properties"
    )
    metadata_log_dir: str | None = fact(
        "`metadata.log.dir`; `None` when unset (KRaft then keeps metadata in the first log dir)",
        source="server_properties",
    )
    zookeeper_connect_hosts: list[str] | None = fact(
        "the distinct servers of this node's `zookeeper.connect`, in the order written: `host:port` (chroot "
        "removed, host lower-cased, port 2181 when none is given); `None` when unset",
        source="server_properties",
    )
    inline_secrets: list[str] = fact(
        "keys whose value the collection redacted (`[REDACTED]`): a password written in the file",
        source="server_properties",
        factory=list,
    )
    provider_secrets: list[str] = fact(
        "keys whose value is a config provider reference (`${file:…:key}`)", source="server_properties", factory=list
    )
    meta_properties: dict[str, dict[str, str]] | None = fact(
        "each log dir's meta.properties (`node.id`, `cluster.id`, `directory.id`, `version`)", source="meta_properties"
    )
    log_dir_usage: list[LogDirUsage] | None = fact("one per log dir", source="log_dir_usage")
    log4j_files: list[str] = fact(
        "paths of the log4j files collected (not parsed into facts)", source="log4j_config", factory=list
    )
    jaas_files: list[str] = fact(
        "paths of the JAAS files collected (not parsed into facts)", source="jaas_config", factory=list
    )
    jaas_redactions: int = fact("passwords redacted in the JAAS files", source="jaas_config", default=0)
    keystores: list[Keystore] = fact("keystores and truststores named in the config", source="keystore", factory=list)
    certificates: list[Certificate] | None = fact(
        "the certificates of each keystore the config names; `[]` when the config names none; `None` when no "
        "keystore's certificates could be read (the reason names the artifact's status, e.g. a password from an "
        "unresolved config provider)",
        source="keystore_certificates",
    )
    meta_cluster_ids: list[str] | None = fact(
        "distinct `cluster.id` values of the node's meta.properties files (more than one: the dirs were formatted "
        "for different clusters)",
        source="meta_properties",
        derived=True,
    )
    log_dir_df: list[LogDirFilesystem] | None = fact(
        "per data dir and the metadata dir, the df row of the filesystem that holds it",
        source=("server_properties", "df", "process_cmdline"),
        derived=True,
    )
    log_dir_df_inodes: list[LogDirFilesystem] | None = fact(
        "the same from `df -PTi` (counts of inodes)", source=("server_properties", "df_inodes"), derived=True
    )
    metadata_dir_df: MetadataDir | None = fact(
        "the `log_dir_df` entry of the dir that holds the KRaft metadata log: `metadata_log_dir`, "
        "else the first log dir",
        source=("server_properties", "df"),
        derived=True,
    )
    log_dir_mounts: list[LogDirMount] | None = fact(
        "per data and metadata dir, the mount that holds it", source=("server_properties", "mounts"), derived=True
    )
    keystore_files: list[KeystoreFile] | None = fact(
        "each keystore named in server.properties (keys ending in `ssl.keystore.location`) with its file mode; "
        "`None` when a named keystore has no `keystore` artifact with a mode",
        source=("server_properties", "keystore"),
        derived=True,
    )
    kafka_release: KafkaRelease | None = fact(
        "support status of `kafka_version` on the day the snapshot was collected; `None` when the version is not "
        "in the table",
        source=("kafka_version", "manifest"),
        derived=True,
    )
    data_kbytes: int | None = fact(
        "data over the node's log dirs (sum of `log_dir_usage`)", source="log_dir_usage", unit="KiB", derived=True
    )
    node_id_shared_with: list[str] = fact(
        "labels of the other Kafka nodes that use the same `node_id` (`[]` when none, or the id is unknown)",
        source=("server_properties", "meta_properties"),
        derived=True,
        factory=list,
    )
    metadata_broker: MetadataBroker | None = fact(
        "the cluster metadata's entry for this `node_id`; `None` when the metadata does not list it (or is "
        "unknown: then `unavailable` says why)",
        source="broker_api_versions",
        derived=True,
    )
    metrics: BrokerMetrics | None = fact(
        "what the node's Prometheus JMX exporter said: gauges of its last scrape, rates between the collection's "
        "two scrapes; `None` when no `jmx_prometheus_javaagent` is on its command line, or its scrape failed (the "
        "reason says which)",
        source="prometheus_metrics",
    )


@dataclass(slots=True, kw_only=True)
class ZooKeeperNode(NodeBase):
    """One ZooKeeper JVM (`kind: zookeeper`), in `cluster.zookeepers`; the subjects of the `zookeeper`
    scope. `mode` is `zookeeper`, `roles` `['zookeeper']`; `is_broker` and `is_controller` are false;
    `config` is zookeeper.properties / zoo.cfg as written (no defaults)."""

    ensemble_size: int | None = fact(
        "number of `server.N` entries (0 for a standalone server)", source="zookeeper_properties"
    )
    srvr: dict[str, str] | None = fact(
        "the `srvr` answer: `Mode` (`leader`, `follower`, `standalone`), `Zookeeper version`, "
        "`Latency min/avg/max`, `Node count` …; `error` when not serving",
        source="zookeeper_srvr",
    )
