"""What every JVM node has, Kafka or ZooKeeper: the process, its JVM, limits and systemd unit."""

from __future__ import annotations

from dataclasses import dataclass

from kafkapilot.facts.model.base import Record, fact
from kafkapilot.facts.model.host import Host
from kafkapilot.facts.model.logs import GcPauses, Logs

__all__ = ["JavaAgent", "JavaVersion", "Jvm", "Limits", "NodeBase", "Systemd"]


@dataclass(slots=True, kw_only=True)
class JavaAgent(Record):
    """One `-javaagent:` option."""

    jar: str = fact("the agent's jar")
    options: str | None = fact("what follows `=`")


@dataclass(slots=True, kw_only=True)
class Jvm(Record):
    """The JVM options of the process (`node.jvm`), as the JVM applies them: the command line with
    each `@argfile` expanded in place (before the main class) and the options of a `-XX:Flags=` file
    first (HotSpot reads it before all others), their content read from the `jvm_options` artifacts.
    `node.jvm` is `None` when one of those files is not in the snapshot (the reason names it)."""

    java: str = fact("path of the java launcher")
    xms_bytes: int | None = fact(
        "-Xms (or -XX:InitialHeapSize); last occurrence wins; `None` when not given", unit="bytes"
    )
    xmx_bytes: int | None = fact(
        "-Xmx (or -XX:MaxHeapSize); last occurrence wins; `None` when not given", unit="bytes"
    )
    heap_initial_bytes: int | None = fact(
        "the initial heap the JVM sizes: `xms_bytes`; without -Xms, -XX:InitialRAMPercentage (default "
        "1.5625, or 100/-XX:InitialRAMFraction) of the memory, at most `heap_max_bytes`. The memory is "
        "-XX:MaxRAM when given, else the host's MemTotal (capped at 128 GiB when no RAM flag is given); "
        "a container's or cgroup's memory limit, which the JVM would use instead, is not collected. `None` "
        "when it depends on an unknown MemTotal",
        source=("process_cmdline", "jvm_options", "meminfo"),
        unit="bytes",
        derived=True,
    )
    heap_max_bytes: int | None = fact(
        "the maximum heap the JVM sizes: `xmx_bytes`; without -Xmx, -XX:MaxRAMPercentage (default 25, or "
        "100/-XX:MaxRAMFraction) of the memory (as for `heap_initial_bytes`), at least -Xms. `None` when it "
        "depends on an unknown MemTotal",
        source=("process_cmdline", "jvm_options", "meminfo"),
        unit="bytes",
        derived=True,
    )
    gc: str | None = fact(
        "`G1`, `ZGC`, `Shenandoah`, `Parallel`, `Serial`, `CMS`, `Epsilon` from `-XX:+Use…GC`; "
        "`None` when no flag chooses one (the JVM's default, G1 on servers)"
    )
    gc_logging: bool = fact("GC logging is on (`-Xlog:gc…`, `-Xloggc:`, `-verbose:gc`, `-XX:+PrintGC…`)", default=False)
    gc_log_path: str | None = fact("the GC log file")
    system_properties: dict[str, str] = fact("`-Dkey=value` (`''` for `-Dkey`)", factory=dict)
    xx_options: dict[str, bool | str] = fact(
        "`-XX:+Name` → true, `-XX:-Name` → false, `-XX:Name=v` → `'v'`", factory=dict
    )
    javaagents: list[JavaAgent] = fact("one per `-javaagent:`", factory=list)
    classpath: list[str] = fact("`-cp` entries", factory=list)
    main_class: str | None = fact("main class")
    program_args: list[str] = fact("arguments of the main class (the properties file)", factory=list)
    options: list[str] = fact("every other option (`-server` …)", factory=list)


@dataclass(slots=True, kw_only=True)
class JavaVersion(Record):
    """`java -version` of the JVM's launcher (`node.java`)."""

    version: str = fact("`17.0.15`")
    major: int = fact("17")
    vendor: str | None = fact("`Debian`, `Eclipse Adoptium` … when the output names one")


@dataclass(slots=True, kw_only=True)
class Limits(Record):
    """Limits of the running process (`node.limits`); `None` inside for `unlimited`."""

    nofile_soft: int | None = fact("open files, soft limit")
    nofile_hard: int | None = fact("open files, hard limit")
    nproc_soft: int | None = fact("processes, soft limit")


@dataclass(slots=True, kw_only=True)
class Systemd(Record):
    """The unit that starts the process (`node.systemd`), with its drop-ins and environment files."""

    unit: str | None = fact("unit name (`kafka.service`)")
    user: str | None = fact("`User=`")
    exec_start: str | None = fact("last `ExecStart=`, without `-@+!:` prefixes")
    limit_nofile: list[int | None] | None = fact("`LimitNOFILE=` as [soft, hard]; `None` inside for `infinity`")
    environment_files: list[str] = fact("`EnvironmentFile=` paths", factory=list)
    environment: dict[str, str] = fact(
        "`Environment=` variables, then the environment files' (`KAFKA_HEAP_OPTS` …)", factory=dict
    )


@dataclass(slots=True, kw_only=True)
class NodeBase(Record):
    """The process and JVM facts of a Kafka or ZooKeeper node."""

    label: str = fact("the host name, or `host/instance` when a host runs several instances", source="manifest")
    host: str = fact("inventory hostname", source="manifest")
    address: str | None = fact("the host's address", source="manifest")
    instance: str = fact("`kafka`, `zookeeper`, or e.g. `kafka-2`", source="manifest")
    kind: str = fact("`kafka` or `zookeeper`", source="manifest")
    pid: int = fact("process id, as the collection found it", source="manifest")
    user: str | None = fact("user the process runs as", source="manifest")
    main_class: str = fact("the JVM's main class", source="manifest")
    os: Host = fact("the [host](#host) it runs on (also the variable `host`)")
    cluster_mode: str = fact("`cluster.mode`, copied for convenience", default="unknown")
    mode: str = fact(
        "Kafka: `kraft` (`process.roles` set), `zookeeper` (`zookeeper.connect` set), else `unknown`; "
        "ZooKeeper: `zookeeper`",
        source="server_properties",
        default="unknown",
    )
    roles: list[str] = fact(
        "Kafka: sorted `process.roles` (`['broker', 'controller']`); `['broker']` in ZooKeeper mode; when "
        "server.properties is unknown, from the host's inventory groups (`kafka_brokers` → broker, "
        "`kafka_controllers` → controller, neither → broker), so the node stays a subject and is reported as "
        "not collected. ZooKeeper: `['zookeeper']`",
        source=("server_properties", "manifest"),
        factory=list,
    )
    is_broker: bool = fact("`'broker' in roles`", default=False)
    is_controller: bool = fact("`'controller' in roles`", default=False)
    jvm: Jvm | None = fact(
        "the JVM's options: the java command line and the options files it names",
        source=("process_cmdline", "jvm_options"),
    )
    java: JavaVersion | None = fact("the Java version", source="java_version")
    limits: Limits | None = fact("limits of the running process", source="process_limits")
    fd_count: int | None = fact("open file descriptors", source="process_fd_count")
    map_count: int | None = fact("memory map areas (compare with `vm.max_map_count`)", source="process_map_count")
    rss_bytes: int | None = fact("VmRSS", source="process_status", unit="bytes")
    swap_bytes: int | None = fact("VmSwap", source="process_status", unit="bytes")
    threads: int | None = fact("thread count", source="process_status")
    systemd: Systemd | None = fact(
        "the unit that starts the process", source=("systemd_unit", "systemd_dropin", "environment_file")
    )
    config: dict[str, str] | None = fact(
        "Kafka: the **effective** configuration, see [below](#kafka-configuration-and-roles); ZooKeeper: "
        "zookeeper.properties / zoo.cfg as written. `None` when the file is unknown",
        source=("server_properties", "broker_configs", "zookeeper_properties"),
    )
    gc_pauses: GcPauses | None = fact(
        "stop-the-world pauses in the collected GC log (unified logging, `-Xlog:gc…`; the tail over the "
        "collection's window); `None` when the JVM writes no GC log, the log was not collected, is empty or is "
        "in the legacy `-Xloggc` format of Java 8",
        source="gc_log",
    )
    logs: Logs | None = fact(
        "lines per level and per known pattern in the collected log files; `None` when no log file of the "
        "process was collected (the reason names the artifact's status)",
        source="log_file",
    )
    unavailable: dict[str, str] = fact("fact → why it is unknown", factory=dict)
    sources: dict[str, str] = fact(
        "artifact → its path or command on the host, e.g. `server_properties` → `/etc/kafka/server.properties`",
        factory=dict,
    )
