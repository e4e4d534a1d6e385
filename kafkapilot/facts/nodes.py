"""Kafka and ZooKeeper node facts: one model per JVM process found on a host."""

from __future__ import annotations

import json
import posixpath
from typing import Any, Final

from kafkapilot.facts.certificates import build_certificates
from kafkapilot.facts.gc import build_gc_facts
from kafkapilot.facts.kafka_defaults import BROKER_DEFAULTS
from kafkapilot.facts.listeners import parse_listeners
from kafkapilot.facts.logs import build_log_facts
from kafkapilot.facts.metrics import build_metrics_facts
from kafkapilot.facts.model import (
    Host,
    JavaAgent,
    JavaVersion,
    Jvm,
    KafkaNode,
    Keystore,
    Limits,
    LogDirUsage,
    NodeBase,
    Systemd,
    ZooKeeperNode,
)
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers import java_version, jvm, os_facts, properties, systemd
from kafkapilot.snapshot.load import Snapshot, unavailable_reason
from kafkapilot.snapshot.manifest import Artifact, ProcessEntry

__all__ = ["REDACTED", "build_node", "node_roles", "roles_from_groups", "zookeeper_connect_hosts"]

#: what every collection placeholder starts with: [REDACTED] (format 1.2) and [REDACTED:<kind>] (1.3)
REDACTED: Final = "[REDACTED"


def node_roles(config: dict[str, str]) -> tuple[str, list[str]]:
    """(mode, roles) of a Kafka node from its own config: KRaft if process.roles is set."""
    roles_text = config.get("process.roles", "").strip()
    if roles_text:
        roles = sorted({r.strip().lower() for r in roles_text.split(",") if r.strip()})
        return "kraft", roles
    if config.get("zookeeper.connect", "").strip():
        return "zookeeper", ["broker"]
    return "unknown", ["broker"]


def roles_from_groups(groups: list[str]) -> list[str]:
    """Roles of a Kafka node whose config is unknown, from its host's inventory groups.

    Without this a node whose server.properties was not collected would have no role and
    drop out of every broker check instead of being reported as not collected.
    """
    roles = [role for role, group in (("broker", "kafka_brokers"), ("controller", "kafka_controllers"))
             if group in groups]
    return roles or ["broker"]


def build_node(snapshot: Snapshot, host: Host, process: ProcessEntry) -> KafkaNode | ZooKeeperNode:
    """Facts of one Kafka or ZooKeeper process."""
    reader = FactReader(snapshot, host.name)
    instance = process.instance
    common: dict[str, Any] = {
        "label": host.name if instance in {"kafka", "zookeeper"} else f"{host.name}/{instance}",
        "host": host.name,
        "address": host.address,
        "instance": instance,
        "kind": process.kind,
        "pid": process.pid,
        "user": process.user,
        "main_class": process.main_class,
        "os": host,
        **_jvm_facts(reader, instance, host),
        **_process_facts(reader, instance),
        "systemd": _systemd_facts(reader, instance),
    }
    node: NodeBase
    if process.kind == "kafka":
        node = KafkaNode(**common, **_kafka_facts(snapshot, reader, instance, host.groups))
    else:
        node = ZooKeeperNode(**common, **_zookeeper_facts(reader, instance))
    node.logs = build_log_facts(reader, instance)
    node.gc_pauses = build_gc_facts(reader, instance, gc_logging=node.jvm.gc_logging if node.jvm else None)
    if isinstance(node, KafkaNode):
        node.metrics = build_metrics_facts(reader, instance)
    node.unavailable, node.sources = reader.bookkeeping()
    return node  # type: ignore[return-value]


def _jvm_facts(reader: FactReader, instance: str, host: Host) -> dict[str, Any]:
    command = reader.read("jvm", "process_cmdline", _java_command, instance=instance)
    if command is not None and (command.argfiles or "Flags" in command.xx_options):
        command = _with_options_files(reader, instance)
    java = reader.read("java", "java_version", java_version.parse_java_version, instance=instance)
    return {
        "jvm": _jvm(command, host, reader) if command else None,
        "java": JavaVersion(version=java.version, major=java.major, vendor=java.vendor) if java else None,
    }


def _java_command(text: str) -> jvm.JavaCommand:
    return jvm.parse_java_command(jvm.split_cmdline(text))


class _OptionsFileUnknownError(Exception):
    """A JVM options file named on the command line whose content is not in the snapshot."""


def _with_options_files(reader: FactReader, instance: str) -> jvm.JavaCommand | None:
    """The command as the JVM applies it: @argfiles expanded in place (the launcher), then a
    -XX:Flags= file's options before all others (HotSpot). Their content is the `jvm_options`
    artifacts; when one is unknown, so are the JVM's options (None, the reason noted)."""
    command_line = reader.read("jvm", "process_cmdline", jvm.split_cmdline, instance=instance) or ()
    files = reader.artifacts("jvm_options", instance)

    def read(path: str) -> str:
        found = _options_file(files, path)
        text = reader.text(found, source_key="jvm_options")
        if text is None:
            where = f"jvm_options {path}"
            reason = unavailable_reason(found, where) if found else f"not collected: {where} is not in the snapshot"
            raise _OptionsFileUnknownError(f"{reason} (JVM options file on the command line)")
        return text

    try:
        args = jvm.expand_argfiles(command_line, lambda path: jvm.split_argfile(read(path)))
        expanded = jvm.parse_java_command(args)
        flags = expanded.xx_options.get("Flags")
        if isinstance(flags, str) and flags:
            expanded = jvm.parse_java_command(jvm.with_flags_file(args, jvm.split_flags_file(read(flags))))
    except _OptionsFileUnknownError as unknown:
        reader.note("jvm", str(unknown))
        return None
    return expanded


def _options_file(files: list[Artifact], path: str) -> Artifact | None:
    """The jvm_options artifact of `path`: its key is the absolute path, a relative one is the
    process's working directory joined with it (unknown here: matched by the end of the key)."""
    wanted = posixpath.normpath(path)
    for artifact in files:
        key = posixpath.normpath(artifact.key or artifact.source or "")
        if key == wanted or (not wanted.startswith("/") and key.endswith("/" + wanted)):
            return artifact
    return None


def _version_text(text: str) -> str | None:
    return text.strip() or None


def _jvm(command: jvm.JavaCommand, host: Host, reader: FactReader) -> Jvm:
    heap_initial, heap_max = jvm.heap_sizes(command, host.mem_total_bytes)
    if heap_initial is None or heap_max is None:
        reason = host.unavailable.get("mem_total_bytes", "not collected: meminfo is not in the snapshot")
        for fact, size in (("heap_initial_bytes", heap_initial), ("heap_max_bytes", heap_max)):
            if size is None:
                reader.note(fact, f"{reason} (the heap is sized from the host's memory)")
    return Jvm(
        java=command.java,
        xms_bytes=command.xms_bytes,
        xmx_bytes=command.xmx_bytes,
        heap_initial_bytes=heap_initial,
        heap_max_bytes=heap_max,
        gc=command.gc,
        gc_logging=command.gc_logging,
        gc_log_path=command.gc_log_path,
        system_properties=dict(command.system_properties),
        xx_options=dict(command.xx_options),
        javaagents=[JavaAgent(jar=a.jar, options=a.options) for a in command.javaagents],
        classpath=list(command.classpath),
        main_class=command.main_class,
        program_args=list(command.program_args),
        options=list(command.other_options),
    )


def _process_facts(reader: FactReader, instance: str) -> dict[str, Any]:
    limits = reader.read("limits", "process_limits", os_facts.parse_limits, instance=instance)
    status = reader.read("rss_bytes", "process_status", os_facts.parse_proc_status, instance=instance)
    if status is None:
        for fact in ("swap_bytes", "threads"):
            reader.note(fact, reader.unavailable["rss_bytes"])
    nofile = limits.get("Max open files") if limits else None
    nproc = limits.get("Max processes") if limits else None
    return {
        "limits": Limits(
            nofile_soft=nofile.soft if nofile else None,
            nofile_hard=nofile.hard if nofile else None,
            nproc_soft=nproc.soft if nproc else None,
        )
        if limits is not None
        else None,
        "fd_count": reader.read("fd_count", "process_fd_count", os_facts.parse_int, instance=instance),
        "map_count": reader.read("map_count", "process_map_count", os_facts.parse_int, instance=instance),
        "rss_bytes": _kib_field(status, "VmRSS"),
        "swap_bytes": _kib_field(status, "VmSwap"),
        "threads": int(status["Threads"]) if status and status.get("Threads", "").isdigit() else None,
    }


def _kib_field(status: dict[str, str] | None, key: str) -> int | None:
    if not status or key not in status:
        return None
    number = status[key].split()[0]
    return int(number) * 1024 if number.isdigit() else None


def _systemd_facts(reader: FactReader, instance: str) -> Systemd | None:
    """The unit, its drop-ins appended (later lines win), and its environment files."""
    unit_artifact = reader.artifact("systemd_unit", instance)
    text = reader.text(unit_artifact)
    if text is None:
        reader.read("systemd", "systemd_unit", systemd.parse_unit, instance=instance)  # records the reason
        return None
    for dropin in reader.artifacts("systemd_dropin", instance):
        extra = reader.text(dropin)
        if extra:
            text += f"\n# {dropin.key or dropin.source}\n{extra}"
    unit = reader.read("systemd", "systemd_unit", systemd.parse_unit, artifact=unit_artifact, text=text)
    if unit is None:
        return None
    environment = dict(unit.environment)
    for env_artifact in reader.artifacts("environment_file", instance):
        env = reader.read("environment_file", "environment_file", systemd.parse_environment_file, artifact=env_artifact)
        environment.update(env or {})
    return Systemd(
        unit=unit_artifact.key if unit_artifact else None,
        user=unit.user,
        exec_start=unit.exec_start,
        limit_nofile=list(unit.limit_nofile) if unit.limit_nofile else None,
        environment_files=[ref.path for ref in unit.environment_files],
        environment=environment,
    )


def _kafka_facts(snapshot: Snapshot, reader: FactReader, instance: str, groups: list[str]) -> dict[str, Any]:
    props = reader.read("config", "server_properties", properties.parse_properties, instance=instance)
    explicit = props.as_dict() if props else {}
    mode, roles = node_roles(explicit) if props else ("unknown", roles_from_groups(groups))
    node_id_text = explicit.get("node.id") or explicit.get("broker.id")
    meta = _meta_properties(reader, instance)
    if not node_id_text and meta:
        node_id_text = next((m.get("node.id") or m.get("broker.id") for m in meta.values() if m), None)
    log_dirs_text = (explicit.get("log.dirs") or explicit.get("log.dir")
                     or (BROKER_DEFAULTS["log.dirs"] if props else ""))
    version = reader.read("kafka_version", "kafka_version", _version_text, instance=instance)
    config = {**BROKER_DEFAULTS, **explicit} if props else None
    if config is not None and "log.dirs" not in explicit and explicit.get("log.dir"):
        config["log.dirs"] = explicit["log.dir"]  # Kafka reads log.dir when log.dirs is unset
    usage = reader.read("log_dir_usage", "log_dir_usage", _parse_usage, instance=instance)
    jaas = reader.artifacts("jaas_config", instance)
    zookeeper_hosts = zookeeper_connect_hosts(explicit.get("zookeeper.connect", ""))
    if not zookeeper_hosts:
        reader.note("zookeeper_connect_hosts", reader.unavailable.get("config", "zookeeper.connect is not set"))
    return {
        "node_id": int(node_id_text) if node_id_text and node_id_text.strip().lstrip("-").isdigit() else None,
        "mode": mode,
        "roles": roles,
        "is_broker": "broker" in roles,
        "is_controller": "controller" in roles,
        "kafka_version": version,
        "config": config,
        "config_explicit": explicit if props else None,
        "config_file": reader.sources.get("server_properties"),
        "config_file_mode": _mode(reader.artifact("server_properties", instance)),
        "config_lines": {e.key: e.line for e in props.entries} if props else {},
        "config_duplicates": list(props.duplicates()) if props else [],
        "listeners": parse_listeners(explicit) if props else None,
        "log_dirs": [d.strip() for d in log_dirs_text.split(",") if d.strip()] if props else None,
        "metadata_log_dir": explicit.get("metadata.log.dir"),
        "zookeeper_connect_hosts": zookeeper_hosts or None,
        "inline_secrets": sorted(k for k, v in explicit.items() if REDACTED in v),
        "provider_secrets": sorted(k for k, v in explicit.items() if properties.provider_references(v)),
        "meta_properties": meta,
        "log_dir_usage": list(usage) if usage is not None else None,
        "log4j_files": [a.key or a.source for a in reader.artifacts("log4j_config", instance)],
        "jaas_files": [a.key or a.source for a in jaas],
        "jaas_redactions": sum(a.redactions for a in jaas),
        "keystores": [
            Keystore(path=a.key or a.source, mode=a.mode, owner=a.owner, group=a.group)
            for a in reader.artifacts("keystore", instance)
        ],
        "certificates": build_certificates(snapshot, reader, instance),
    }


def zookeeper_connect_hosts(connect: str) -> list[str]:
    """The distinct servers of a ZooKeeper connect string, in the order written: `host:port`
    (chroot removed, host lower-cased, ZooKeeper's client port 2181 when none is given)."""
    servers: dict[str, None] = {}
    for entry in connect.strip().split("/", 1)[0].split(","):
        server = entry.strip().lower()
        if server:
            has_port = "]:" in server if server.startswith("[") else ":" in server
            servers[server if has_port else f"{server}:2181"] = None
    return list(servers)


def _parse_usage(text: str) -> list[LogDirUsage]:
    """The collection's `du` summary: a JSON list of {dir, kbytes, partitions}."""
    rows = json.loads(text)
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        msg = "not a JSON list of {dir, kbytes, partitions}"
        raise ValueError(msg)
    return [
        LogDirUsage(dir=str(r.get("dir", "")), kbytes=int(r.get("kbytes") or 0),
                    partitions=int(r.get("partitions") or 0))
        for r in rows
    ]


def _mode(artifact: Artifact | None) -> int | None:
    """File mode as an int (0o640), or None when unknown."""
    if artifact is None or not artifact.mode:
        return None
    try:
        return int(artifact.mode, 8)
    except ValueError:
        return None


def _meta_properties(reader: FactReader, instance: str) -> dict[str, dict[str, str]] | None:
    artifacts = reader.artifacts("meta_properties", instance)
    if not artifacts:
        reader.note("meta_properties", "not collected: meta_properties is not in the snapshot")
        return None
    result: dict[str, dict[str, str]] = {}
    for artifact in artifacts:
        parsed = reader.read("meta_properties", "meta_properties", properties.parse_properties, artifact=artifact)
        result[artifact.key or artifact.source] = parsed.as_dict() if parsed else {}
    return result


def _zookeeper_facts(reader: FactReader, instance: str) -> dict[str, Any]:
    props = reader.read("config", "zookeeper_properties", properties.parse_properties, instance=instance)
    config = props.as_dict() if props else None
    servers = sorted(k for k in (config or {}) if k.startswith("server."))
    return {
        "mode": "zookeeper",
        "roles": ["zookeeper"],
        "is_broker": False,
        "is_controller": False,
        "config": config,
        "ensemble_size": len(servers) if config is not None else None,
        "srvr": dict(srvr) if (srvr := reader.read("srvr", "zookeeper_srvr", _srvr_dict)) is not None else None,
    }


def _srvr_dict(text: str) -> dict[str, str]:
    from kafkapilot.parsers.cluster_tools import parse_zookeeper_srvr  # noqa: PLC0415 - rare artifact

    return parse_zookeeper_srvr(text)
