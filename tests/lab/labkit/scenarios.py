"""Scenarios: named overlays of planted problems (tests/lab/scenarios/NAME.toml) on the healthy base.

A scenario file has a `description`, a list of `[[change]]` records (each a `kind` the lab knows how
to apply, see CHANGE_KINDS) and a list of `[[planted]]` records naming the check ids that must fire.
File changes are applied before the hosts boot; `topic` changes once the cluster is up;
`stop_service` changes last, after the data is in.
"""
from __future__ import annotations

import os
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LabError
from .paths import host_root
from .pki import Pki, issue_keystore
from .topology import Host

__all__ = ["Scenario", "for_topology", "load_scenario", "scenario_names", "apply_file_changes", "CHANGE_KINDS",
           "SCENARIO_DIR"]

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
# kind -> required keys (besides `kind`)
CHANGE_KINDS: dict[str, tuple[str, ...]] = {
    "server_property": ("hosts", "key"),          # value = "..." to set, remove = true to delete
    "client_property": ("hosts", "key", "value"),
    "jvm": ("hosts",),                            # xms / xmx; service = "kafka" (default) or "zookeeper"
    "jvm_option": ("hosts", "option"),            # appended to KAFKA_OPTS in /etc/default/kafka
    "env": ("hosts", "key", "value"),             # a variable in /etc/default/kafka
    "unit_environment": ("hosts", "key", "value"),  # Environment="KEY=VALUE" in kafka.service
    "limit_nofile": ("hosts", "value"),
    "listener": ("hosts", "name", "port", "protocol"),
    "file": ("hosts", "path", "content"),         # mode (octal string), owner ("kafka"|"root"); under /etc/kafka,
                                                  # /etc/default, /var/lib/kafka or /var/log/kafka (a rotated log)
    "mode": ("hosts", "path", "mode"),            # chmod an existing file (octal string)
    "log4j_property": ("hosts", "key", "value"),
    "inline_ssl_passwords": ("hosts", "keystore_password", "key_password", "truststore_password"),
    "certificate_days": ("hosts", "days"),        # re-issue the host's keystore: a certificate valid `days` more days
    "topic": ("name", "partitions", "replication_factor"),  # config = {key = "value"}
    "stop_service": ("hosts",),                   # service = "kafka" (default)
    "consumer_group": ("name", "topic", "consume", "produce_after"),  # a group that consumed, then lag
    "traffic": ("hosts", "port", "send", "count"),  # once up: `count` connections of `send` (traffic.SENDS)
    "dynamic_config": ("hosts", "key", "value"),  # once up: kafka-configs --alter for these brokers
    "acl": ("principal", "operation", "resource"),  # once up: kafka-acls --add; resource topic:NAME, group:NAME,
                                                    # cluster; permission = "allow" (default) or "deny"
    "pause_service": ("hosts", "seconds"),        # once up: SIGSTOP the service, SIGCONT after `seconds`
    "metadata_version": ("version",),             # KRaft: kafka-storage format --release-version VERSION
    # issue 14 (admin): once up
    "open_transaction": ("topic", "transactional_id"),  # a transactional producer killed mid-transaction
    "quota": ("entity_type", "config"),           # kafka-configs --alter: entity_name = "..." or default = true
    "reassignment": ("topic", "from_broker", "to_broker"),  # a 1-partition topic on from_broker, moved at 1 B/s
    "journal_logging": ("hosts",),                # systemd-journald runs on the host; Kafka logs to the console only
}


#: kinds applied to the running cluster (by lab.py), not to the host trees before boot
RUNTIME_KINDS = ("topic", "stop_service", "metadata_version", "consumer_group", "traffic", "dynamic_config", "acl",
                 "pause_service", "open_transaction", "quota", "reassignment")


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    planted: list[dict[str, Any]] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)  # where -> planted secret string
    params: dict[str, Any] = field(default_factory=dict)  # "check.param" -> value: the lab proof's --param

    def of_kind(self, *kinds: str) -> list[dict[str, Any]]:
        return [c for c in self.changes if c["kind"] in kinds]


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def for_topology(entry: dict[str, Any], topology: str | None) -> bool:
    """A change or planted record applies to every topology unless it lists `topologies`."""
    return topology is None or topology in entry.get("topologies", [topology])


def load_scenario(name: str, hosts: list[Host] | None = None, topology: str | None = None) -> Scenario:
    path = SCENARIO_DIR / f"{name}.toml"
    if not path.exists():
        msg = f"unknown scenario {name!r}; choose one of: {', '.join(scenario_names())}"
        raise LabError(msg)
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        msg = f"{path}: {exc}"
        raise LabError(msg) from exc
    scenario = Scenario(name, data.get("description", ""),
                        [c for c in data.get("change", []) if for_topology(c, topology)],
                        [p for p in data.get("planted", []) if for_topology(p, topology)],
                        data.get("secrets", {}), data.get("params", {}))
    wrong = [k for k in scenario.params if k.count(".") != 1]
    if wrong:
        msg = f"{path}: params {', '.join(wrong)}: name them CHECK.PARAM"
        raise LabError(msg)
    names = {h.name for h in hosts} if hosts is not None else None
    for i, change in enumerate(scenario.changes, 1):
        kind = change.get("kind")
        if kind not in CHANGE_KINDS:
            msg = f"{path}: change #{i}: unknown kind {kind!r}; known kinds: {', '.join(CHANGE_KINDS)}"
            raise LabError(msg)
        missing = [k for k in CHANGE_KINDS[kind] if k not in change]
        if missing:
            msg = f"{path}: change #{i} ({kind}) lacks {', '.join(missing)}"
            raise LabError(msg)
        for host in change.get("hosts", []):
            if names is not None and host != "*" and host not in names:
                msg = (f"{path}: change #{i} ({kind}) names host {host!r}, not in this topology "
                       f"({', '.join(sorted(names))})")
                raise LabError(msg)
    for i, planted in enumerate(scenario.planted, 1):
        if "check" not in planted:
            msg = f"{path}: planted #{i} lacks `check`"
            raise LabError(msg)
    return scenario


def target_hosts(change: dict[str, Any], hosts: list[Host]) -> list[Host]:
    wanted = change.get("hosts", [])
    return [h for h in hosts if ("*" in wanted and "broker" in h.roles) or h.name in wanted]


# --- small file editors ------------------------------------------------------------------------
def set_property(path: Path, key: str, value: str | None, note: str) -> None:
    """Set (or with value None remove) `key` in a Java properties file, keeping everything else."""
    lines = path.read_text().splitlines()
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*[=:]")
    kept = [ln for ln in lines if not pattern.match(ln)]
    if value is not None:
        hit = next((i for i, ln in enumerate(lines) if pattern.match(ln)), None)
        if hit is None:
            kept += [f"# {note}", f"{key}={value}"]
        else:
            kept.insert(len([ln for ln in lines[:hit] if not pattern.match(ln)]), f"{key}={value}")
    path.write_text("\n".join(kept) + "\n")


def get_property(path: Path, key: str) -> str | None:
    for line in path.read_text().splitlines():
        if re.match(rf"^\s*{re.escape(key)}\s*[=:]", line):
            return re.split(r"[=:]", line, maxsplit=1)[1].strip()
    return None


def set_env(path: Path, key: str, value: str) -> None:
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith(f"{key}=")]
    path.write_text("\n".join([*lines, f'{key}="{value}"']) + "\n")


def get_env(path: Path, key: str) -> str:
    for line in path.read_text().splitlines():
        if line.startswith(f"{key}="):
            return line.split("=", 1)[1].strip().strip('"')
    return ""


def set_unit(path: Path, key: str, value: str, *, replace: bool) -> None:
    lines = path.read_text().splitlines()
    if replace:
        lines = [ln for ln in lines if not ln.startswith(f"{key}=")]
    at = next(i for i, ln in enumerate(lines) if ln.startswith("ExecStart="))
    lines.insert(at + 1, f"{key}={value}")
    path.write_text("\n".join(lines) + "\n")


def _keytool(*args: str) -> None:
    out = subprocess.run(["keytool", "-J-XX:TieredStopAtLevel=1", *args], capture_output=True, text=True,
                         timeout=120, check=False)
    if out.returncode != 0:
        msg = f"keytool {args[0]} failed: {(out.stdout + out.stderr).strip()[:300]}"
        raise LabError(msg)


def _inline_ssl(root: Path, host: Host, change: dict[str, Any], pki: Pki, note: str) -> None:
    """Re-key the host's stores as JKS with the scenario's passwords and write them inline."""
    ssl = root / "etc/kafka/ssl"
    jks, trust = ssl / f"{host.name}.keystore.jks", ssl / "truststore.jks"
    jks.unlink(missing_ok=True)
    trust.unlink(missing_ok=True)
    _keytool("-importkeystore", "-srckeystore", str(pki.keystore(host.name)), "-srcstoretype", "PKCS12",
             "-srcstorepass", pki.passwords[host.name], "-srcalias", host.name, "-destalias", host.name,
             "-destkeystore", str(jks), "-deststoretype", "JKS", "-deststorepass", change["keystore_password"],
             "-destkeypass", change["key_password"], "-noprompt")
    _keytool("-importcert", "-noprompt", "-alias", "lab-ca", "-file", str(pki.ca_pem), "-keystore", str(trust),
             "-storetype", "JKS", "-storepass", change["truststore_password"])
    owner = (ssl / "truststore.p12").stat()
    for f in (jks, trust):
        f.chmod(0o640)
        os.chown(f, owner.st_uid, owner.st_gid)
    props = root / "etc/kafka/server.properties"
    for key, value in (("ssl.keystore.type", "JKS"), ("ssl.keystore.location", f"/etc/kafka/ssl/{jks.name}"),
                       ("ssl.keystore.password", change["keystore_password"]),
                       ("ssl.key.password", change["key_password"]), ("ssl.truststore.type", "JKS"),
                       ("ssl.truststore.location", f"/etc/kafka/ssl/{trust.name}"),
                       ("ssl.truststore.password", change["truststore_password"])):
        set_property(props, key, value, note)


def _listener(props: Path, host: Host, change: dict[str, Any], note: str) -> None:
    name, port, proto = change["name"].upper(), int(change["port"]), change["protocol"].upper()
    for key in ("listeners", "advertised.listeners"):
        current = get_property(props, key)
        if current is not None:
            set_property(props, key, f"{current},{name}://{host.name}:{port}", note)
    current = get_property(props, "listener.security.protocol.map") or ""
    set_property(props, "listener.security.protocol.map", f"{current},{name}:{proto}".lstrip(","), note)


def _log4j(root: Path, key: str, value: str) -> None:
    yaml = root / "etc/kafka/log4j2.yaml"
    if yaml.exists():
        text = yaml.read_text().replace("    Property:\n",
                                        f'    Property:\n      - name: "{key}"\n        value: "{value}"\n', 1)
        yaml.write_text(text)
    props = root / "etc/kafka/log4j.properties"
    if props.exists():
        props.write_text(props.read_text() + f"{key}={value}\n")


JOURNALD_UNIT = """[Unit]
Description=Journal Service
[Service]
ExecStart=/lib/systemd/systemd-journald
"""
_CONSOLE_LOG4J = """# Kafka logs to the console only: under systemd, its stdout is the journal
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
"""
_CONSOLE_LOG4J2 = """# Kafka logs to the console only: under systemd, its stdout is the journal
Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: STDOUT
"""


def _journal_logging(root: Path) -> None:
    """A host whose systemd-journald runs (the lab's init starts it from its unit and hands each service's stdout
    to it, as systemd does) and whose broker logs to the console only: its journal is its only log."""
    (root / "etc/systemd/system/systemd-journald.service").write_text(JOURNALD_UNIT)
    for name, text in (("log4j.properties", _CONSOLE_LOG4J), ("log4j2.yaml", _CONSOLE_LOG4J2)):
        path = root / "etc/kafka" / name
        if path.exists():
            path.write_text(text)


def _apply_one(root: Path, host: Host, change: dict[str, Any], pki: Pki, note: str) -> None:  # noqa: C901, PLR0912, PLR0915
    """One scenario change: a branch per kind, read top to bottom as the list of what a scenario can plant."""
    kind = change["kind"]
    props, env = root / "etc/kafka/server.properties", root / "etc/default/kafka"
    unit = root / "etc/systemd/system/kafka.service"
    if kind == "server_property":
        set_property(props, change["key"], None if change.get("remove") else str(change["value"]), note)
    elif kind == "client_property":
        set_property(root / "etc/kafka/client.properties", change["key"], str(change["value"]), note)
    elif kind == "jvm":
        env = root / f"etc/default/{change.get('service', 'kafka')}"
        heap = get_env(env, "KAFKA_HEAP_OPTS").split()
        for flag in ("xms", "xmx"):
            if flag in change:
                heap = [f for f in heap if not f.startswith(f"-X{flag[1:]}")] + [f"-X{flag[1:]}{change[flag]}"]
        set_env(env, "KAFKA_HEAP_OPTS", " ".join(heap))
    elif kind == "jvm_option":
        set_env(env, "KAFKA_OPTS", f"{get_env(env, 'KAFKA_OPTS')} {change['option']}".strip())
    elif kind == "env":
        set_env(env, change["key"], str(change["value"]))
    elif kind == "unit_environment":
        set_unit(unit, "Environment", f'"{change["key"]}={change["value"]}"', replace=False)
    elif kind == "limit_nofile":
        set_unit(unit, "LimitNOFILE", str(change["value"]), replace=True)
    elif kind == "listener":
        _listener(props, host, change, note)
    elif kind == "journal_logging":
        _journal_logging(root)
    elif kind == "file":
        path = root / change["path"].lstrip("/")
        if not any(str(path).startswith(str(root / d))
                   for d in ("etc/kafka", "etc/default", "var/lib/kafka", "var/log/kafka")):
            msg = f"scenario file change outside the host's private dirs: {change['path']}"
            raise LabError(msg)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change["content"])
        path.chmod(int(str(change.get("mode", "0640")), 8))
        kafka = (root / "etc/kafka/ssl").stat()  # kafka:kafka
        os.chown(path, kafka.st_uid if change.get("owner") == "kafka" else 0, kafka.st_gid)
    elif kind == "mode":
        path = root / change["path"].lstrip("/")
        if not path.is_file() or not str(path).startswith(str(root / "etc/kafka")):
            msg = f"scenario mode change: {change['path']} is not a file under /etc/kafka of {host.name}"
            raise LabError(msg)
        path.chmod(int(str(change["mode"]), 8))
    elif kind == "log4j_property":
        _log4j(root, change["key"], str(change["value"]))
    elif kind == "inline_ssl_passwords":
        _inline_ssl(root, host, change, pki, note)
    elif kind == "certificate_days":
        store = root / f"etc/kafka/ssl/{host.name}.keystore.p12"
        owner = store.stat()
        issue_keystore(pki, host.name, int(change["days"]), store)
        store.chmod(owner.st_mode & 0o777)
        os.chown(store, owner.st_uid, owner.st_gid)


def apply_file_changes(scenario: Scenario, hosts: list[Host], pki: Pki) -> int:
    """Apply every change that edits files on the hosts; return how many host edits were made."""
    note = f"planted by the lab scenario {scenario.name!r}"
    count = 0
    for change in scenario.changes:
        if change["kind"] in RUNTIME_KINDS:
            continue
        for host in target_hosts(change, hosts):
            _apply_one(host_root(host.name), host, change, pki, note)
            count += 1
    return count
