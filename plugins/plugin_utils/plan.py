"""What to read next on a host, decided on the controller from what was read before.

The discovery chain of the original tool, done by our parsers: process command line →
config files named on it → systemd unit → its EnvironmentFile → log4j config → log files
(with their rotated siblings), falling back to standard paths. Pure functions over the
module's results; nothing here talks to a host.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Final

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils import jvm, log4j, systemd
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.properties import parse_properties

__all__ = [
    "KAFKA_MAIN_CLASSES",
    "LOG4J_KEYS",
    "PROCESS_MATCH",
    "ZOOKEEPER_MAIN_CLASSES",
    "Process",
    "classify_processes",
    "data_dirs",
    "jaas_paths",
    "jvm_option_paths",
    "kafka_home",
    "keystore_paths",
    "log4j_paths",
    "log_targets",
    "match_unit",
    "prometheus_url",
]

KAFKA_MAIN_CLASSES: Final = ("kafka.Kafka", "io.confluent.support.metrics.SupportedKafka")
ZOOKEEPER_MAIN_CLASSES: Final = (
    "org.apache.zookeeper.server.quorum.QuorumPeerMain",
    "org.apache.zookeeper.server.ZooKeeperServerMain",
)
PROCESS_MATCH: Final = KAFKA_MAIN_CLASSES + ZOOKEEPER_MAIN_CLASSES
LOG4J_KEYS: Final = ("log4j2.configurationFile", "log4j.configurationFile", "log4j.configuration")
_STANDARD_LOGS: Final = {
    "kafka": ("server.log", "controller.log", "state-change.log", "kafkaServer.out"),
    "zookeeper": ("zookeeper.log", "server.log", "zookeeper.out"),
}
_KEYSTORE_KEY: Final = re.compile(r"(?i)(keystore|truststore|key\.?store|trust\.?store)\.location$|\.keytab$|keyTab$")


@dataclass
class Process:
    """A Kafka or ZooKeeper JVM found on the host, with what its command line names."""

    instance: str
    kind: str
    pid: int
    user: str | None
    main_class: str
    args: list[str]
    command: jvm.JavaCommand
    raw: dict[str, Any] = field(default_factory=dict)
    config_path: str | None = None
    unit: dict[str, Any] | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def system_properties(self) -> dict[str, str]:
        return dict(self.command.system_properties)


def classify_processes(found: list[dict[str, Any]]) -> list[Process]:
    """The JVMs of the procs op as Processes with stable instance ids (kafka, kafka-2, zookeeper …)."""
    processes: list[Process] = []
    for raw in found:
        try:
            command = jvm.parse_java_command(raw["args"])
        except (ValueError, TypeError):
            continue
        main = command.main_class or ""
        if main in KAFKA_MAIN_CLASSES:
            kind = "kafka"
        elif main in ZOOKEEPER_MAIN_CLASSES:
            kind = "zookeeper"
        else:
            continue
        processes.append(Process("", kind, int(raw["pid"]), raw.get("user"), main, list(raw["args"]), command, raw))
    processes.sort(key=lambda p: (p.kind, _first_config(p) or "", p.pid))
    counts: dict[str, int] = {}
    for process in processes:
        counts[process.kind] = counts.get(process.kind, 0) + 1
        number = counts[process.kind]
        process.instance = process.kind if number == 1 else f"{process.kind}-{number}"
        process.config_path = config_path(process)
    return processes


def _first_config(process: Process) -> str | None:
    args = [a for a in process.command.program_args if not a.startswith("-")]
    return args[0] if args else None


def _absolute(path: str, process: Process) -> str:
    if path.startswith("/"):
        return os.path.normpath(path)
    cwd = (process.raw.get("cwd") or {}).get("content")
    return os.path.normpath(os.path.join(cwd, path)) if cwd else path


def config_path(process: Process) -> str | None:
    """server.properties (broker/controller .properties) or zookeeper.properties/zoo.cfg: the first program argument."""
    first = _first_config(process)
    return _absolute(first, process) if first else None


def _strip_file_url(value: str) -> str:
    value = value.strip()
    if value.startswith("file://"):
        return value[len("file://") :]
    if value.startswith("file:"):
        return value[len("file:") :]
    return value


def log4j_paths(process: Process, kafka_home_dir: str | None) -> list[str]:
    """The log4j configs named on the command line; the distribution's defaults when none is named."""
    props = process.system_properties
    log4j_files: list[str] = []
    for key in LOG4J_KEYS:
        for item in props.get(key, "").split(","):
            if item.strip() and not item.strip().startswith("classpath:"):
                log4j_files.append(_absolute(_strip_file_url(item), process))
    if not log4j_files and kafka_home_dir:
        log4j_files = [f"{kafka_home_dir}/config/log4j2.yaml", f"{kafka_home_dir}/config/log4j.properties"]
    return list(dict.fromkeys(log4j_files))


def jaas_paths(process: Process) -> list[str]:
    """The JAAS file of -Djava.security.auth.login.config."""
    jaas = process.system_properties.get("java.security.auth.login.config", "").lstrip("=")
    return [_absolute(_strip_file_url(jaas), process)] if jaas else []


def jvm_option_paths(process: Process) -> list[str]:
    """JVM option files named on the command line: @argfiles and -XX:Flags=."""
    paths = [_absolute(a, process) for a in process.command.argfiles]
    flags = process.command.xx_options.get("Flags")
    if isinstance(flags, str) and flags:
        paths.append(_absolute(flags, process))
    return paths


def kafka_home(process: Process) -> str | None:
    """The distribution's root from the class path: /opt/kafka/libs/* → /opt/kafka."""
    for entry in process.command.classpath:
        directory = entry[:-2] if entry.endswith("/*") else os.path.dirname(entry)
        if directory.rstrip("/").endswith("/libs"):
            return os.path.dirname(directory.rstrip("/"))
        if re.search(r"/share/java/kafka/?$", directory):  # Confluent packages: /usr/share/java/kafka
            return os.path.dirname(os.path.dirname(os.path.dirname(directory.rstrip("/"))))
    return None


def classpath_globs(process: Process) -> list[str]:
    """Glob patterns listing the jars of the class path (for the Kafka version)."""
    patterns = []
    for entry in process.command.classpath:
        if entry.endswith("/*"):
            patterns.append(entry[:-1] + "*.jar")
        elif entry.endswith(".jar"):
            patterns.append(entry)
    return patterns


def match_unit(process: Process, units: list[dict[str, Any]], *, systemd_running: bool = True) -> dict[str, Any] | None:
    """The systemd unit that runs `process`: named by its cgroup (where systemd runs), else the
    unit file whose ExecStart names its config file (or main class, or start script)."""
    cgroup = (process.raw.get("cgroup") or {}).get("content") or "" if systemd_running else ""
    named = re.findall(r"/([^/\s]+\.service)(?:/|$)", cgroup, re.MULTILINE)
    by_name = {u["name"]: u for u in units}
    for name in reversed(named):
        if name in by_name:
            return by_name[name]
    if named:
        return {"name": named[-1], "path": None, "content": None, "dropins": []}
    scored = []
    for unit in units:
        try:
            parsed = systemd.parse_unit(unit.get("content") or "")
        except ValueError:
            continue
        exec_start = parsed.exec_start or ""
        score = 0
        if process.config_path and process.config_path in exec_start:
            score += 4
        if process.main_class in exec_start:
            score += 2
        start_script = "zookeeper-server-start" if process.kind == "zookeeper" else "kafka-server-start"
        if start_script in exec_start:
            score += 2
        if process.kind == "kafka" and "zookeeper" in unit["name"]:
            score -= 3
        if process.kind == "zookeeper" and "zookeeper" not in unit["name"] and process.main_class not in exec_start:
            score -= 3
        if parsed.user and process.user and parsed.user == process.user:
            score += 1
        if score > 1:
            scored.append((score, unit["name"], unit))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored[0][2] if scored else None


def unit_config_paths(units: list[dict[str, Any]]) -> dict[str, str]:
    """unit name → the .properties/.cfg file its ExecStart names (for services whose JVM is not running)."""
    found = {}
    for unit in units:
        try:
            exec_start = systemd.parse_unit(unit.get("content") or "").exec_start or ""
        except ValueError:
            continue
        names = [w for w in exec_start.split() if w.startswith("/") and w.endswith((".properties", ".cfg"))]
        if names and any(c in exec_start for c in PROCESS_MATCH + ("kafka-server-start", "zookeeper-server-start")):
            found[unit["name"]] = names[-1]
    return found


def unit_environment(unit_text: str, env_files: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """(Environment= and EnvironmentFile= variables, EnvironmentFile paths) of a unit's text."""
    try:
        parsed = systemd.parse_unit(unit_text)
    except ValueError:
        return {}, []
    env = dict(parsed.environment)
    for path in parsed.environment_files:
        if env_files.get(path):
            env.update(systemd.parse_environment_file(env_files[path]))
    return env, parsed.environment_files


def parse_props(text: str | None) -> dict[str, str]:
    return parse_properties(text) if text else {}


def data_dirs(config: dict[str, str], kind: str) -> list[str]:
    """Kafka log.dirs (+ metadata.log.dir), or ZooKeeper dataDir/dataLogDir."""
    if kind == "zookeeper":
        keys = ("dataDir", "dataLogDir")
        return list(dict.fromkeys(config[k].strip() for k in keys if config.get(k, "").strip()))
    dirs = config.get("log.dirs") or config.get("log.dir") or "/tmp/kafka-logs"
    found = [d.strip() for d in dirs.split(",") if d.strip()]
    meta = config.get("metadata.log.dir", "").strip()
    if meta and meta not in found:
        found.append(meta)
    return found


def keystore_paths(config: dict[str, str]) -> list[str]:
    """Keystores, truststores and keytabs a config names (never copied: stat and sha256 only)."""
    paths = []
    for key, value in config.items():
        if _KEYSTORE_KEY.search(key) and value.strip().startswith("/"):
            paths.append(value.strip())
    for value in config.values():
        for match in re.finditer(r"""keyTab\s*=\s*"([^"]+)\"""", value):
            paths.append(match.group(1))
    return sorted(set(paths))


_KEYSTORE_LOCATION: Final = re.compile(r"(?i)(^|\.)ssl\.key\.?store\.location$")
_STORE_TYPES: Final = {".p12": "PKCS12", ".pfx": "PKCS12", ".pem": "PEM", ".bcfks": "BCFKS"}


@dataclass(frozen=True)
class Keystore:
    """A keystore a config names (`key`), with what keytool needs to list its certificates."""

    key: str
    path: str
    type: str
    password_key: str
    password_path_key: str  # ZooKeeper's ssl.keyStore.passwordPath: a file holding the password


def keystores(config: dict[str, str]) -> list[Keystore]:
    """The keystores (not truststores) a Kafka or ZooKeeper config names, one per path: their
    certificates are listed on the host. The type is the config's (`…type`), else the file name's,
    else JKS (the default of both)."""
    found: dict[str, Keystore] = {}
    for key in sorted(config):
        path = config[key].strip()
        if not _KEYSTORE_LOCATION.search(key) or not path.startswith("/") or path in found:
            continue
        stem = key[: -len("location")]
        kind = config.get(stem + "type", "").strip().upper()
        kind = kind or next((t for suffix, t in _STORE_TYPES.items() if path.lower().endswith(suffix)), "JKS")
        found[path] = Keystore(key, path, kind, stem + "password", stem + "passwordPath")
    return list(found.values())


def config_providers(config: dict[str, str]) -> dict[str, str]:
    """Config provider name -> class (config.providers=file + config.providers.file.class=…)."""
    names = [n.strip() for n in config.get("config.providers", "").split(",") if n.strip()]
    return {n: config.get(f"config.providers.{n}.class", "").strip() for n in names}


def log_targets(
    process: Process, log4j_texts: dict[str, str], kafka_home_dir: str | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """({path, rotated globs} of the log files, notes): from the log4j configs, else standard paths."""
    notes: list[str] = []
    files: dict[str, list[str]] = {}
    for path, text in log4j_texts.items():
        try:
            config = log4j.parse_log4j(text, path)
        except ValueError as exc:
            notes.append(f"log4j config {path} could not be parsed ({exc}); standard log paths used")
            continue
        for appender in config.appenders:
            if not appender.file:
                continue
            resolved = log4j.substitute(appender.file, config, process.system_properties, process.env)
            if "${" in resolved or not resolved.startswith("/"):
                notes.append(f"log file {appender.file} of appender {appender.name} could not be resolved")
                continue
            rotated = [f"{resolved}.*", f"{resolved}-*"]
            if appender.file_pattern:
                pattern = log4j.substitute(appender.file_pattern, config, process.system_properties, process.env)
                rotated.append(re.sub(r"%d\{[^}]*\}|%d|%i|%\w+", "*", pattern))
            files[resolved] = list(dict.fromkeys(rotated))
    if not files:
        logs_dir = process.system_properties.get("kafka.logs.dir") or process.env.get("LOG_DIR")
        candidates = [logs_dir] if logs_dir else []
        if kafka_home_dir:
            candidates.append(f"{kafka_home_dir}/logs")
        candidates.append("/var/log/kafka" if process.kind == "kafka" else "/var/log/zookeeper")
        for directory in candidates:
            for name in _STANDARD_LOGS[process.kind]:
                files[f"{directory}/{name}"] = [f"{directory}/{name}.*"]
        notes.append("no log file named by a log4j config; standard paths tried: " + ", ".join(candidates))
    return [{"path": p, "rotated": r} for p, r in files.items()], notes


_JAR_VERSION: Final = r"(?P<version>\d+\.\d+(?:\.\d+)*(?:[.-][0-9A-Za-z][0-9A-Za-z.-]*)?)"
#: the Kafka jars, most telling first (lean copy of kafkapilot.parsers.kafka_version; a test keeps them equal)
_KAFKA_JARS: Final = (
    re.compile(rf"^kafka_\d+\.\d+(?:\.\d+)?-{_JAR_VERSION}\.jar$"),
    re.compile(rf"^kafka-server-{_JAR_VERSION}\.jar$"),
    re.compile(rf"^kafka-clients-{_JAR_VERSION}\.jar$"),
    re.compile(rf"^kafka-(?:server-common|metadata|raft|storage|group-coordinator)-{_JAR_VERSION}\.jar$"),
)
_NOT_RUNTIME_JAR: Final = re.compile(r"-(?:test|test-sources|sources|javadoc|scaladoc)\.jar$")


def kafka_version_from_jars(paths: list[str]) -> str | None:
    """The Kafka version the best jar among `paths` names (kafka_2.13-4.1.0.jar → 4.1.0), else None."""
    names = [p.rstrip("/").rsplit("/", 1)[-1].strip() for p in paths]
    names = [n for n in names if not _NOT_RUNTIME_JAR.search(n)]
    for pattern in _KAFKA_JARS:
        for name in names:
            match = pattern.match(name)
            if match:
                return match.group("version")
    return None


def prometheus_url(process: Process) -> str | None:
    """The /metrics URL of a jmx_prometheus_javaagent on the command line (port[:config] or host:port:config)."""
    for agent in process.command.javaagents:
        if "jmx_prometheus" not in os.path.basename(agent.jar) or not agent.options:
            continue
        parts = agent.options.split(":")
        if parts[0].isdigit():
            return f"http://127.0.0.1:{parts[0]}/metrics"
        if len(parts) > 1 and parts[1].isdigit():
            host = parts[0] if parts[0] not in ("", "0.0.0.0") else "127.0.0.1"  # noqa: S104 - a bind address
            return f"http://{host}:{parts[1]}/metrics"
    return None
