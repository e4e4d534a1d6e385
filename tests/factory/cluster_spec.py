"""Generate snapshot specs of realistic Kafka clusters (see kafkapilot.snapshot.write).

The content follows what Kafka 4.1 / 3.9 and Linux really print: server.properties of a
KRaft combined node or a ZooKeeper-mode broker, /proc files, the CLI tools' output.
`cluster_spec()` is healthy by default: RF 3, min ISR 2, racks, TLS listeners, Xms = Xmx.
"""

from __future__ import annotations

import json
from typing import Any

from tests.factory import certificates
from tests.factory.metrics import prometheus_artifacts

__all__ = ["DEFAULT_TOPICS", "cluster_spec"]

_GIB = 1024**3

# (name, partitions, replication factor) of the healthy cluster: 71 partitions, 213 replicas.
DEFAULT_TOPICS: tuple[tuple[str, int, int], ...] = (
    ("__consumer_offsets", 50, 3), ("orders", 12, 3), ("payments", 6, 3), ("audit", 3, 3),
)



#: mutual TLS with the store passwords behind a FileConfigProvider, and the super users: every Kafka node
_MTLS_LINES = (
    "ssl.client.auth=required",
    "ssl.keystore.location=/etc/kafka/ssl/kafka.keystore.p12",
    "ssl.keystore.password=${file:/etc/kafka/secrets/ssl.properties:keystore.password}",
    "ssl.truststore.location=/etc/kafka/ssl/kafka.truststore.p12",
    "ssl.truststore.password=${file:/etc/kafka/secrets/ssl.properties:truststore.password}",
    "config.providers=file",
    "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
    "super.users=User:CN=kafka-1;User:CN=kafka-2;User:CN=kafka-3;User:CN=admin",
)

def _server_properties(i: int, n: int, mode: str, rack: str | None, controllers: int = 0) -> str:
    host = f"kafka-{i}"
    lines = [
        "# Managed by configuration management",
        f"node.id={i}" if mode == "kraft" else f"broker.id={i}",
    ]
    if mode == "kraft":
        combined = not controllers and i <= 3
        voters = (
            ",".join(f"{100 + j}@controller-{j}:9093" for j in range(1, controllers + 1)) if controllers
            else ",".join(f"{j}@kafka-{j}:9093" for j in range(1, min(n, 3) + 1))
        )
        lines += [
            "process.roles=broker,controller" if combined else "process.roles=broker",
            f"controller.quorum.voters={voters}",
            "controller.listener.names=CONTROLLER",
            f"listeners=CLIENT://{host}:9092,BROKER://{host}:9094" + (f",CONTROLLER://{host}:9093" if combined else ""),
            "listener.security.protocol.map=CLIENT:SSL,BROKER:SSL,CONTROLLER:SSL",
            "metadata.log.dir=/var/lib/kafka/meta",
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        ]
    else:
        lines += [
            "zookeeper.connect=zk-1:2181,zk-2:2181,zk-3:2181/kafka",
            f"listeners=CLIENT://{host}:9092,BROKER://{host}:9094",
            "listener.security.protocol.map=CLIENT:SSL,BROKER:SSL",
            "authorizer.class.name=kafka.security.authorizer.AclAuthorizer",
            "zookeeper.set.acl=true",
            # zookeeper.set.acl=true makes the broker refuse to start without SASL or TLS to ZooKeeper
            "zookeeper.ssl.client.enable=true",
            "zookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty",
            "zookeeper.ssl.keystore.location=/etc/kafka/ssl/kafka.keystore.p12",
            "zookeeper.ssl.keystore.password=${file:/etc/kafka/secrets/ssl.properties:keystore.password}",
            "zookeeper.ssl.truststore.location=/etc/kafka/ssl/kafka.truststore.p12",
            "zookeeper.ssl.truststore.password=${file:/etc/kafka/secrets/ssl.properties:truststore.password}",
        ]
    lines += [
        f"advertised.listeners=CLIENT://{host}:9092,BROKER://{host}:9094",
        "inter.broker.listener.name=BROKER",
        *_MTLS_LINES,
        "allow.everyone.if.no.acl.found=false",
        "num.network.threads=3",
        "num.io.threads=8",
        "socket.send.buffer.bytes=102400",
        "socket.receive.buffer.bytes=102400",
        "socket.request.max.bytes=104857600",
        "log.dirs=/var/lib/kafka/data",
        "num.partitions=6",
        "default.replication.factor=3",
        "min.insync.replicas=2",
        "offsets.topic.replication.factor=3",
        "transaction.state.log.replication.factor=3",
        "transaction.state.log.min.isr=2",
        "unclean.leader.election.enable=false",
        "auto.create.topics.enable=false",
        "log.retention.hours=168",
        "log.segment.bytes=1073741824",
    ]
    if rack:
        lines.append(f"broker.rack={rack}")
    return "\n".join(lines) + "\n"


def _cmdline(xms: str, xmx: str, log4j: str) -> str:
    args = [
        "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", f"-Xms{xms}", f"-Xmx{xmx}", "-server",
        "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
        "-XX:+ExplicitGCInvokesConcurrent", "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true",
        "-Xlog:gc*:file=/var/log/kafka/kafkaServer-gc.log:time,tags:filecount=10,filesize=100M",
        "-Dcom.sun.management.jmxremote", "-Dcom.sun.management.jmxremote.authenticate=false",
        "-Dcom.sun.management.jmxremote.ssl=false", "-Dkafka.logs.dir=/var/log/kafka", log4j,
        "-cp", "/opt/kafka/libs/*", "kafka.Kafka", "/etc/kafka/server.properties",
    ]
    return "\n".join(args) + "\n"


def _gc_log(pauses: int = 120) -> str:
    """The tail of a healthy G1 log (-Xlog:gc*:file=…:time,tags): young pauses of 4-24 ms, one concurrent cycle."""
    lines = ["[2026-11-26T09:12:03.101+0000][gc          ] Using G1"]
    for n in range(pauses):
        stamp = f"2026-11-26T{10 + n // 40:02d}:{(n % 40) + 10:02d}:{(7 * n) % 60:02d}.{(37 * n) % 1000:03d}+0000"
        ms = 4 + (n * 7) % 21 + ((n * 13) % 1000) / 1000
        lines += [
            f"[{stamp}][gc,start    ] GC({n}) Pause Young (Normal) (G1 Evacuation Pause)",
            f"[{stamp}][gc,phases   ] GC({n})   Evacuate Collection Set: {ms - 1:.1f}ms",
            f"[{stamp}][gc          ] GC({n}) Pause Young (Normal) (G1 Evacuation Pause) 3120M->1450M(6144M) "
            f"{ms:.3f}ms",
        ]
    lines += [
        f"[2026-11-26T13:20:00.000+0000][gc          ] GC({pauses}) Concurrent Mark Cycle",
        f"[2026-11-26T13:20:00.200+0000][gc          ] GC({pauses}) Pause Remark 3200M->3180M(6144M) 6.512ms",
        f"[2026-11-26T13:20:00.300+0000][gc          ] GC({pauses}) Pause Cleanup 3180M->3180M(6144M) 0.204ms",
        f"[2026-11-26T13:20:00.310+0000][gc          ] GC({pauses}) Concurrent Mark Cycle 310.122ms",
    ]
    return "\n".join(lines) + "\n"


def _limits(nofile: int) -> str:
    rows = [
        ("Max cpu time", "unlimited", "unlimited", "seconds"),
        ("Max file size", "unlimited", "unlimited", "bytes"),
        ("Max data size", "unlimited", "unlimited", "bytes"),
        ("Max stack size", "8388608", "unlimited", "bytes"),
        ("Max core file size", "0", "unlimited", "bytes"),
        ("Max resident set", "unlimited", "unlimited", "bytes"),
        ("Max processes", "127557", "127557", "processes"),
        ("Max open files", str(nofile), str(nofile), "files"),
        ("Max locked memory", "8388608", "8388608", "bytes"),
        ("Max address space", "unlimited", "unlimited", "bytes"),
        ("Max file locks", "unlimited", "unlimited", "locks"),
        ("Max pending signals", "127557", "127557", "signals"),
        ("Max msgqueue size", "819200", "819200", "bytes"),
        ("Max nice priority", "0", "0", ""),
        ("Max realtime priority", "0", "0", ""),
        ("Max realtime timeout", "unlimited", "unlimited", "us"),
    ]
    lines = [f"{'Limit':<26}{'Soft Limit':<21}{'Hard Limit':<21}Units     "]
    lines += [f"{name:<26}{soft:<21}{hard:<21}{unit:<10}" for name, soft, hard, unit in rows]
    return "\n".join(lines) + "\n"


def _meminfo(total_gib: int) -> str:
    total = total_gib * 1024 * 1024
    return (
        f"MemTotal:       {total} kB\nMemFree:        {total // 8} kB\nMemAvailable:   {total // 2} kB\n"
        f"Buffers:          204800 kB\nCached:         {total // 3} kB\nSwapCached:            0 kB\n"
        "SwapTotal:             0 kB\nSwapFree:              0 kB\n"
    )


def _unit() -> str:
    return (
        "[Unit]\nDescription=Apache Kafka\nAfter=network-online.target\nWants=network-online.target\n\n"
        "[Service]\nType=simple\nUser=kafka\nGroup=kafka\nEnvironmentFile=/etc/default/kafka\n"
        "ExecStart=/opt/kafka/bin/kafka-server-start.sh /etc/kafka/server.properties\n"
        "ExecStop=/opt/kafka/bin/kafka-server-stop.sh\nLimitNOFILE=100000\nRestart=on-failure\n"
        "TimeoutStopSec=180\n\n[Install]\nWantedBy=multi-user.target\n"
    )


def _keystores(instance: str) -> list[dict[str, Any]]:
    """The keystore (private key, owner-only) and truststore (public certificates) of a node."""
    return [
        {"name": "keystore", "instance": instance, "key": "/etc/kafka/ssl/kafka.keystore.p12",
         "source": "/etc/kafka/ssl/kafka.keystore.p12", "status": "skipped", "error": "keystores are never copied",
         "mode": "0600", "owner": "kafka", "group": "kafka"},
        {"name": "keystore", "instance": instance, "key": "/etc/kafka/ssl/kafka.truststore.p12",
         "source": "/etc/kafka/ssl/kafka.truststore.p12", "status": "skipped", "error": "keystores are never copied",
         "mode": "0644", "owner": "kafka", "group": "kafka"},
        {"name": "keystore_certificates", "instance": instance, "key": "/etc/kafka/ssl/kafka.keystore.p12",
         "source": "keytool -list -rfc -keystore /etc/kafka/ssl/kafka.keystore.p12 -storetype PKCS12",
         "source_type": "command", "content": certificates.keytool_listing(certificates.HEALTHY)},
    ]


def _host(i: int, n: int, mode: str, version: str, nofile: int, controllers: int = 0) -> dict[str, Any]:
    rack = f"rack-{'abc'[(i - 1) % 3]}"
    log4j = (
        "-Dlog4j2.configurationFile=/etc/kafka/log4j2.yaml" if mode == "kraft"
        else "-Dlog4j.configuration=file:/etc/kafka/log4j.properties"
    )
    kafka = "kafka"
    artifacts: list[dict[str, Any]] = [
        {"name": "hostname", "source": "hostname -f", "content": f"kafka-{i}.example.internal\n"},
        {"name": "nproc", "source": "nproc", "content": "8\n"},
        {"name": "meminfo", "source": "/proc/meminfo", "content": _meminfo(32)},
        {"name": "sysctl",
         "source": "sysctl vm.swappiness vm.max_map_count vm.dirty_ratio vm.dirty_background_ratio net.core.rmem_max "
                   "net.core.wmem_max",
         "content": "vm.swappiness = 1\nvm.max_map_count = 262144\nvm.dirty_ratio = 60\nvm.dirty_background_ratio = 5\n"
                    "net.core.rmem_max = 4194304\nnet.core.wmem_max = 4194304\n"},
        {"name": "thp_enabled", "source": "/sys/kernel/mm/transparent_hugepage/enabled",
         "content": "always madvise [never]\n"},
        {"name": "df", "source": "df -PT /var/lib/kafka/data /var/log/kafka /",
         "content": "Filesystem     Type 1024-blocks      Used Available Capacity Mounted on\n"
                    "/dev/nvme0n1p1 ext4    52428800  10485760  41943040      20% /\n"
                    "/dev/nvme1n1   xfs   1048576000 314572800 733003200      30% /var/lib/kafka\n"},
        {"name": "df_inodes", "source": "df -PTi /var/lib/kafka/data /var/log/kafka /",
         "content": "Filesystem     Type    Inodes  IUsed     IFree IUse% Mounted on\n"
                    "/dev/nvme0n1p1 ext4   3276800 182044   3094756    6% /\n"
                    "/dev/nvme1n1   xfs  524288000  48213 524239787    1% /var/lib/kafka\n"},
        {"name": "mounts", "source": "/proc/mounts",
         "content": "/dev/nvme0n1p1 / ext4 rw,relatime 0 0\n"
                    "/dev/nvme1n1 /var/lib/kafka xfs rw,noatime,attr2,inode64 0 0\n"
                    "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"},
        {"name": "clock_sync", "source": "timedatectl show",
         "content": "Timezone=UTC\nNTP=yes\nNTPSynchronized=yes\nTimeUSec=Thu 2026-11-26 13:30:00 UTC\n"},
        {"name": "process_cmdline", "instance": kafka, "source": "/proc/812/cmdline", "source_type": "command",
         "content": _cmdline("6g", "6g", log4j)},
        {"name": "process_limits", "instance": kafka, "source": "/proc/812/limits", "source_type": "command",
         "content": _limits(nofile)},
        {"name": "process_status", "instance": kafka, "source": "/proc/812/status", "source_type": "command",
         "content": "Name:\tjava\nState:\tS (sleeping)\nVmRSS:\t 7340032 kB\nVmSwap:\t       0 kB\nThreads:\t187\n"},
        {"name": "process_fd_count", "instance": kafka, "source": "ls /proc/812/fd | wc -l", "content": "1830\n"},
        {"name": "process_map_count", "instance": kafka, "source": "wc -l < /proc/812/maps", "content": "2410\n"},
        {"name": "java_version", "instance": kafka, "source_type": "command",
         "source": "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -version",
         "content": 'openjdk version "17.0.15" 2025-04-15\n'
                    'OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n'
                    "OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)\n"},
        {"name": "kafka_version", "instance": kafka, "source": "/opt/kafka/libs", "source_type": "derived",
         "content": f"{version}\n"},
        {"name": "server_properties", "instance": kafka, "source": "/etc/kafka/server.properties",
         "mode": "0640", "owner": "kafka", "group": "kafka",
         "content": _server_properties(i, n, mode, rack, controllers)},
        {"name": "systemd_unit", "instance": kafka, "key": "kafka.service",
         "source": "/etc/systemd/system/kafka.service",
         "content": _unit()},
        {"name": "environment_file", "instance": kafka, "key": "/etc/default/kafka", "source": "/etc/default/kafka",
         "content": 'KAFKA_HEAP_OPTS="-Xms6g -Xmx6g"\nKAFKA_LOG4J_OPTS="' + log4j + '"\nLOG_DIR=/var/log/kafka\n'},
        {"name": "meta_properties", "instance": kafka, "key": "/var/lib/kafka/data",
         "source": "/var/lib/kafka/data/meta.properties",
         "content": f"#\n#Thu Nov 26 09:12:01 UTC 2026\nnode.id={i}\ndirectory.id=Q{i}xJ7Zt3Qm2a5l6Vw0bKhg\nversion=1\n"
                    "cluster.id=MkU3OEVBNTcwNTJENDM2Qk\n"},
        {"name": "log_dir_usage", "instance": kafka, "source": "du -sk /var/lib/kafka/data", "source_type": "derived",
         "content": json.dumps([{"dir": "/var/lib/kafka/data", "kbytes": 314572800, "partitions": 0}]) + "\n"},
        {"name": "gc_log", "instance": kafka, "key": "/var/log/kafka/kafkaServer-gc.log",
         "source": "/var/log/kafka/kafkaServer-gc.log", "content": _gc_log()},
        *_keystores(kafka),
        # the node's Prometheus JMX exporter, scraped twice; node 1 is the active controller (without dedicated ones)
        *prometheus_artifacts(kafka, f"10.20.0.{10 + i}", active=i == 1 and not controllers),
    ]
    return {
        "address": f"10.20.0.{10 + i}",
        "groups": ["kafka_brokers"],
        "processes": [{"instance": kafka, "kind": "kafka", "pid": 812, "user": "kafka", "main_class": "kafka.Kafka"}],
        "artifacts": artifacts,
    }


def _zookeeper_host(i: int) -> dict[str, Any]:
    servers = "".join(f"server.{j}=zk-{j}:2888:3888\n" for j in range(1, 4))
    cmdline = "\n".join([
        "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "-Xms1g", "-Xmx1g", "-server", "-XX:+UseG1GC",
        "-Dkafka.logs.dir=/var/log/kafka", "-Dlog4j.configuration=file:/etc/kafka/log4j.properties",
        "-cp", "/opt/kafka/libs/*", "org.apache.zookeeper.server.quorum.QuorumPeerMain",
        "/etc/kafka/zookeeper.properties",
    ]) + "\n"
    return {
        "address": f"10.20.0.{30 + i}",
        "groups": ["zookeeper"],
        "processes": [{"instance": "zookeeper", "kind": "zookeeper", "pid": 655, "user": "kafka",
                       "main_class": "org.apache.zookeeper.server.quorum.QuorumPeerMain"}],
        "artifacts": [
            {"name": "hostname", "source": "hostname -f", "content": f"zk-{i}.example.internal\n"},
            {"name": "nproc", "source": "nproc", "content": "4\n"},
            {"name": "meminfo", "source": "/proc/meminfo", "content": _meminfo(8)},
            {"name": "sysctl",
             "source": "sysctl vm.swappiness vm.max_map_count vm.dirty_ratio vm.dirty_background_ratio",
             "content": "vm.swappiness = 1\nvm.max_map_count = 262144\nvm.dirty_ratio = 20\n"
                        "vm.dirty_background_ratio = 10\n"},
            {"name": "thp_enabled", "source": "/sys/kernel/mm/transparent_hugepage/enabled",
             "content": "always madvise [never]\n"},
            {"name": "df", "source": "df -PT /var/lib/zookeeper /var/log/kafka /",
             "content": "Filesystem     Type 1024-blocks      Used Available Capacity Mounted on\n"
                        "/dev/nvme0n1p1 ext4    52428800   8388608  44040192      17% /\n"
                        "/dev/nvme1n1   xfs    104857600   2097152 102760448       2% /var/lib/zookeeper\n"},
            {"name": "mounts", "source": "/proc/mounts",
             "content": "/dev/nvme0n1p1 / ext4 rw,relatime 0 0\n"
                        "/dev/nvme1n1 /var/lib/zookeeper xfs rw,noatime,attr2,inode64 0 0\n"},
            {"name": "clock_sync", "source": "timedatectl show",
             "content": "Timezone=UTC\nNTP=yes\nNTPSynchronized=yes\nTimeUSec=Thu 2026-11-26 13:30:00 UTC\n"},
            {"name": "process_cmdline", "instance": "zookeeper", "source": "/proc/655/cmdline",
             "source_type": "command",
             "content": cmdline},
            {"name": "process_limits", "instance": "zookeeper", "source": "/proc/655/limits", "source_type": "command",
             "content": _limits(100000)},
            {"name": "zookeeper_properties", "instance": "zookeeper", "source": "/etc/kafka/zookeeper.properties",
             "content": "dataDir=/var/lib/zookeeper\nclientPort=2181\ntickTime=2000\ninitLimit=10\nsyncLimit=5\n"
                        "4lw.commands.whitelist=srvr,mntr,ruok\n" + servers},
        ],
    }


def _features(version: str) -> str:
    """kafka-features.sh describe after an upgrade that was finalized: metadata.version at its maximum."""
    level = ".".join(version.split(".")[:2]) + "-IV1"
    return (
        "Feature: group.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\t"
        "FinalizedVersionLevel: 1\tEpoch: 1245\n"
        "Feature: kraft.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\t"
        "FinalizedVersionLevel: 1\tEpoch: 1245\n"
        f"Feature: metadata.version\tSupportedMinVersion: 3.3-IV3\tSupportedMaxVersion: {level}\t"
        f"FinalizedVersionLevel: {level}\tEpoch: 1245\n"
        "Feature: transaction.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 2\t"
        "FinalizedVersionLevel: 2\tEpoch: 1245\n"
    )


def _topics_describe(topics: list[tuple[str, int, int]], brokers: int) -> str:
    lines = []
    for t, (name, partitions, rf) in enumerate(topics):
        configs = "min.insync.replicas=2,cleanup.policy=compact" if name == "__consumer_offsets" else ""
        lines.append(
            f"Topic: {name}\tTopicId: {t:03d}AbCdEfGhIjKlMnOpQr\tPartitionCount: {partitions}\t"
            f"ReplicationFactor: {rf}\tConfigs: {configs}"
        )
        for p in range(partitions):
            replicas = [((p + t + k) % brokers) + 1 for k in range(rf)]
            ids = ",".join(map(str, replicas))
            lines.append(
                f"\tTopic: {name}\tPartition: {p}\tLeader: {replicas[0]}\tReplicas: {ids}\tIsr: {ids}"
                "\tElr: \tLastKnownElr: "
            )
    return "\n".join(lines) + "\n"


def _partition_bytes(name: str, partition: int) -> int:
    """A plausible, deterministic size for a partition: internal topics small, others 1-4 GiB."""
    if name.startswith("__"):
        return 1_048_576 * (1 + partition % 7)
    return _GIB * (1 + (partition + len(name)) % 4) + 4096 * partition


def _log_dirs(topics: list[tuple[str, int, int]], brokers: int) -> str:
    """kafka-log-dirs.sh --describe: every replica of `_topics_describe`'s placement in /var/lib/kafka/data."""
    held: dict[int, list[dict[str, Any]]] = {b: [] for b in range(1, brokers + 1)}
    for t, (name, partitions, rf) in enumerate(topics):
        for p in range(partitions):
            for k in range(rf):
                held[((p + t + k) % brokers) + 1].append(
                    {"partition": f"{name}-{p}", "size": _partition_bytes(name, p), "offsetLag": 0, "isFuture": False}
                )
    document = {
        "version": 1,
        "brokers": [
            {"broker": b, "logDirs": [{"logDir": "/var/lib/kafka/data", "error": None, "partitions": held[b]}]}
            for b in sorted(held)
        ],
    }
    return (
        "Querying brokers for log directories information\n"
        f"Received log directory information from brokers {','.join(map(str, sorted(held)))}\n"
        + json.dumps(document, separators=(",", ":")) + "\n"
    )


#: kafka-acls.sh --list of Kafka 4.x: the applications' least-privilege ACLs, for the mTLS principals
#: the listeners authenticate (the brokers and User:CN=admin are super users and need none).
ACLS = (
    "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`:\n"
    "\t(principal=User:CN=orders-app, host=*, operation=WRITE, permissionType=ALLOW)\n"
    "\t(principal=User:CN=orders-app, host=*, operation=DESCRIBE, permissionType=ALLOW)\n"
    "\t(principal=User:CN=billing, host=*, operation=READ, permissionType=ALLOW)\n"
    "\n"
    "Current ACLs for resource `ResourcePattern(resourceType=GROUP, name=billing, patternType=PREFIXED)`:\n"
    "\t(principal=User:CN=billing, host=*, operation=READ, permissionType=ALLOW)\n"
    "\n"
    "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=payments, patternType=LITERAL)`:\n"
    "\t(principal=User:CN=billing, host=*, operation=READ, permissionType=ALLOW)\n"
    "\t(principal=User:CN=billing, host=*, operation=WRITE, permissionType=ALLOW)\n"
    "\n"
)


def _table(rows: list[list[str]]) -> str:
    """kafka-transactions.sh's tables (ToolsUtils.prettyPrintTable): cells padded to the column, each then a tab."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "".join("".join(cell.ljust(widths[i]) + "\t" for i, cell in enumerate(row)) + "\n" for row in rows)


TXN_LIST_HEADER = ["TransactionalId", "Coordinator", "ProducerId", "TransactionState"]
TXN_HANGING_HEADER = ["Topic", "Partition", "ProducerId", "ProducerEpoch", "CoordinatorEpoch", "StartOffset",
                      "LastTimestamp", "Duration(min)"]


def _admin_artifacts(brokers: int) -> list[dict[str, Any]]:
    """Transactions (the orders writer's last one committed, nothing hanging) and quotas (none) of a healthy cluster."""
    found: list[dict[str, Any]] = [
        {"name": "transactions_list", "source": "kafka-transactions.sh list",
         "content": _table([TXN_LIST_HEADER, ["orders-writer-0", "2", "3000", "CompleteCommit"]])},
        *({"name": "quotas_" + kind, "source": f"kafka-configs.sh --describe {args}", "content": ""}
          for kind, args in (("users", "--entity-type users"), ("clients", "--entity-type clients"),
                             ("user_clients", "--entity-type users --entity-type clients"),
                             ("ips", "--entity-type ips"))),
    ]
    found += [{"name": "transactions_hanging", "key": str(i), "source_type": "command",
               "source": f"kafka-transactions.sh find-hanging --broker-id {i}", "content": _table([TXN_HANGING_HEADER])}
              for i in range(1, brokers + 1)]
    return found


def _controller_host(j: int, controllers: int, version: str, nofile: int) -> dict[str, Any]:
    """A dedicated KRaft controller (process.roles=controller), node id 100 + j, on host controller-j."""
    host = _host(j, 3, "kraft", version, nofile)
    name, node_id = f"controller-{j}", 100 + j
    voters = ",".join(f"{100 + k}@controller-{k}:9093" for k in range(1, controllers + 1))
    properties = "\n".join([
        "# Managed by configuration management", f"node.id={node_id}", "process.roles=controller",
        f"controller.quorum.voters={voters}", "controller.listener.names=CONTROLLER",
        f"listeners=CONTROLLER://{name}:9093", "listener.security.protocol.map=CONTROLLER:SSL",
        "log.dirs=/var/lib/kafka/meta",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        *_MTLS_LINES,
    ]) + "\n"
    for artifact in host["artifacts"]:
        if artifact["name"] == "hostname":
            artifact["content"] = f"{name}.example.internal\n"
        elif artifact["name"] == "server_properties":
            artifact["content"] = properties
        elif artifact["name"] == "meta_properties":
            artifact.update(key="/var/lib/kafka/meta", source="/var/lib/kafka/meta/meta.properties",
                            content=artifact["content"].replace(f"node.id={j}\n", f"node.id={node_id}\n"))
        elif artifact["name"] == "process_cmdline":
            artifact["content"] = artifact["content"].replace("-Xms6g", "-Xms2g").replace("-Xmx6g", "-Xmx2g")
        elif artifact["name"] == "environment_file":
            artifact["content"] = artifact["content"].replace("-Xms6g -Xmx6g", "-Xms2g -Xmx2g")
    host["artifacts"] = [a for a in host["artifacts"] if a["name"] != "log_dir_usage"]
    host.update(address=f"10.20.0.{50 + j}", groups=["kafka_controllers"])
    return host


def _quorum_status(voters: list[int], observers: list[int], *, dedicated: bool) -> str:
    """kafka-metadata-quorum.sh describe --status: voters on controller-N (dedicated) or kafka-N."""
    def host(node: int) -> str:
        return f"controller-{node - 100}" if dedicated else f"kafka-{node}"

    current_voters = ", ".join(f'{{"id": {v}, "directoryId": "Q{v}xJ7Zt3Qm2a5l6Vw0bKhg", '
                               f'"endpoints": ["CONTROLLER://{host(v)}:9093"]}}' for v in voters)
    current_observers = ", ".join(f'{{"id": {b}, "directoryId": "Q{b}xJ7Zt3Qm2a5l6Vw0bKhg"}}' for b in observers)
    return (f"ClusterId:              MkU3OEVBNTcwNTJENDM2Qk\nLeaderId:               {voters[0]}\n"
            "LeaderEpoch:            7\nHighWatermark:          48213\nMaxFollowerLag:         0\n"
            f"MaxFollowerLagTimeMs:   12\nCurrentVoters:          [{current_voters}]\n"
            f"CurrentObservers:       [{current_observers}]\n")


def _quorum_replication(voters: list[int], observers: list[int]) -> str:
    lines = ["NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus  \t"]
    for n, node in enumerate(voters + observers):
        status = "Leader" if n == 0 else ("Follower" if node in voters else "Observer")
        lines.append(f"{node}\tQ{node}xJ7Zt3Qm2a5l6Vw0bKhg\t48213\t0\t1795786205000\t1795786205000\t{status}\t")
    return "\n".join(lines) + "\n"


def cluster_spec(
    *, brokers: int = 3, mode: str = "kraft", version: str = "4.1.0",
    topics: list[tuple[str, int, int]] | None = None, nofile: int = 100000, controllers: int = 0,
) -> dict[str, Any]:
    """A healthy cluster of `brokers` Kafka nodes (KRaft combined for the first 3, or ZooKeeper mode).

    With `controllers` (KRaft), the quorum runs on that many dedicated controller hosts
    (controller-1 …, node ids 101 …) and every kafka-N host is a broker only.
    """
    topics = topics if topics is not None else list(DEFAULT_TOPICS)
    hosts = {f"kafka-{i}": _host(i, brokers, mode, version, nofile, controllers) for i in range(1, brokers + 1)}
    if mode == "zookeeper":
        hosts.update({f"zk-{i}": _zookeeper_host(i) for i in range(1, 4)})
    hosts.update({f"controller-{j}": _controller_host(j, controllers, version, nofile)
                  for j in range(1, controllers + 1)})
    api_versions = "".join(
        f"kafka-{i}:9092 (id: {i} rack: rack-{'abc'[(i - 1) % 3]} isFenced: false) -> (\n"
        "\tProduce(0): 0 to 11 [usable: 11]\n)\n"
        for i in range(1, brokers + 1)
    )
    voters = [100 + j for j in range(1, controllers + 1)] if controllers else list(range(1, min(brokers, 3) + 1))
    observers = [b for b in range(1, brokers + 1) if b not in voters]
    cluster = [
        {"name": "topics_describe", "source": "kafka-topics.sh --describe",
         "content": _topics_describe(topics, brokers)},
        {"name": "topics_under_replicated", "source": "kafka-topics.sh --describe --under-replicated-partitions",
         "content": ""},
        {"name": "topics_under_min_isr", "source": "kafka-topics.sh --describe --under-min-isr-partitions",
         "content": ""},
        {"name": "topics_at_min_isr", "source": "kafka-topics.sh --describe --at-min-isr-partitions", "content": ""},
        {"name": "topics_unavailable", "source": "kafka-topics.sh --describe --unavailable-partitions", "content": ""},
        {"name": "broker_api_versions", "source": "kafka-broker-api-versions.sh", "content": api_versions},
        {"name": "log_dirs", "source": "kafka-log-dirs.sh --describe", "content": _log_dirs(topics, brokers)},
        {"name": "consumer_groups", "source": "kafka-consumer-groups.sh --describe --all-groups",
         "content": "\nGROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             "
                    "CONSUMER-ID     HOST            CLIENT-ID\n"
                    "billing         orders          0          1200            1200            0               "
                    "billing-1-4f1c  /10.20.1.5      billing-1\n"},
        {"name": "consumer_groups_state", "source": "kafka-consumer-groups.sh --describe --all-groups --state",
         "content": "\nGROUP                     COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           "
                    "#MEMBERS\n"
                    "billing                   kafka-2:9092 (2)          range                Stable          1\n"},
        {"name": "acls", "source": "kafka-acls.sh --list", "content": ACLS},
        *_admin_artifacts(brokers),
    ]
    if mode == "kraft":
        cluster += [
            {"name": "metadata_quorum_status", "source": "kafka-metadata-quorum.sh describe --status",
             "content": _quorum_status(voters, observers, dedicated=bool(controllers))},
            {"name": "metadata_quorum_replication", "source": "kafka-metadata-quorum.sh describe --replication",
             "content": _quorum_replication(voters, observers)},
            {"name": "features", "source": "kafka-features.sh describe", "content": _features(version)},
        ]
    return {
        "cluster_name": "demo",
        "started_at": "2026-11-26T13:29:41Z",
        "finished_at": "2026-11-26T13:30:05Z",
        "cluster_source_host": "kafka-1",
        "hosts": hosts,
        "cluster": cluster,
    }
