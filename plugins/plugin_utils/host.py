"""Collect one host in three round trips, over any transport (the module, or raw commands).

Phase A finds the JVMs and reads the host's OS facts and candidate systemd units; phase B
reads what the command lines name (configs, units, env files, java -version, jstat, jars,
GC log, metrics); phase C reads what the configs name (log files in the time window,
meta.properties, keystores' metadata, data dir usage and df). Every decision between the
phases is made here, on the controller, with kafkapilot's parsers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils import plan
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.store import ArtifactStore

__all__ = ["HostOptions", "TransportError", "collect_host"]

Execute = Callable[[list[dict[str, Any]]], dict[str, dict[str, Any]]]

UNIT_DIRS: Final = ("/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system")
SYSCTL_KEYS: Final = (
    "vm.swappiness", "vm.max_map_count", "vm.dirty_ratio", "vm.dirty_background_ratio",
    "vm.dirty_expire_centisecs", "vm.overcommit_memory", "net.core.rmem_max", "net.core.wmem_max",
    "net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
    "fs.file-max", "fs.nr_open", "kernel.pid_max",
)
_NO_PERF: Final = "-XX:-UsePerfData"  # a JVM must not leave /tmp/hsperfdata_<user> behind


@dataclass(frozen=True)
class HostOptions:
    """Collection settings (the role's variables)."""

    log_window_hours: float = 24.0
    log_max_bytes: int = 20 * 1024 * 1024
    log_max_total: int = 100 * 1024 * 1024
    command_timeout: float = 60.0
    jstat: bool = True
    prometheus: bool = True
    journal: bool = True
    concurrency: int = 4
    become: bool = False
    unit_dirs: tuple[str, ...] = UNIT_DIRS
    process_filter: tuple[str, ...] = ()  # substrings every collected JVM's command line must contain


@dataclass
class _Host:
    store: ArtifactStore
    options: HostOptions
    notes: list[str] = field(default_factory=list)
    systemd_running: bool = False
    processes: list[plan.Process] = field(default_factory=list)
    configs: dict[str, dict[str, str]] = field(default_factory=dict)
    phase_s: dict[str, float] = field(default_factory=dict)
    idle_units: dict[str, str] = field(default_factory=dict)  # unit → config of a service not running
    idle_configs: dict[str, dict[str, str]] = field(default_factory=dict)


def _host_ops(options: HostOptions) -> list[dict[str, Any]]:
    run = [
        ("hostname", ["hostname", "-f"], [["hostname", "-f"], ["hostname"]]),
        ("uname", ["uname", "-a"], None),
        ("processes", ["ps", "-eo", "pid,user,rss,args"], None),
        ("listening_sockets", ["ss", "-ltnp"], [["ss", "-ltnp"], ["ss", "-ltn"], ["netstat", "-ltn"]]),
    ]
    ops: list[dict[str, Any]] = [
        {"id": name, "op": "run", "argv": argv, "alternatives": alt, "timeout": 20, "max_bytes": 4 * 1024 * 1024}
        for name, argv, alt in run
    ]
    reads = {
        "os_release": "/etc/os-release", "meminfo": "/proc/meminfo", "mounts": "/proc/mounts",
        "uptime": "/proc/uptime", "thp_enabled": "/sys/kernel/mm/transparent_hugepage/enabled",
        "thp_defrag": "/sys/kernel/mm/transparent_hugepage/defrag",
    }
    ops += [{"id": name, "op": "read", "path": path} for name, path in reads.items()]
    ops += [
        {"id": "nproc", "op": "nproc"},
        {"id": "sysctl", "op": "sysctl", "keys": list(SYSCTL_KEYS)},
        {"id": "clock_sync", "op": "clock",
         "alternatives": [["timedatectl", "show"], ["chronyc", "-n", "tracking"], ["ntpq", "-pn"]]},
        {"id": "procs", "op": "procs", "match": list(plan.PROCESS_MATCH), "require": list(options.process_filter)},
        {"id": "units", "op": "units", "dirs": list(options.unit_dirs), "match": ["kafka", "zookeeper", "QuorumPeerMain"]},
        {"id": "systemd", "op": "stat", "path": "/run/systemd/system"},
    ]
    return ops


def _phase_a(host: _Host, results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    store = host.store
    for name, source in (("hostname", "hostname -f"), ("uname", "uname -a"), ("processes", "ps -eo pid,user,rss,args"),
                         ("listening_sockets", "ss -ltnp")):
        result = results[name]
        used = " ".join(result.get("argv") or []) or source
        store.add_result(name, result, text_key="stdout", source=used, source_type="command",
                         kind="cmdline" if name == "processes" else "text")
    for name in ("os_release", "meminfo", "mounts", "uptime", "thp_enabled", "thp_defrag"):
        path = {"os_release": "/etc/os-release", "meminfo": "/proc/meminfo", "mounts": "/proc/mounts",
                "uptime": "/proc/uptime", "thp_enabled": "/sys/kernel/mm/transparent_hugepage/enabled",
                "thp_defrag": "/sys/kernel/mm/transparent_hugepage/defrag"}[name]
        store.add_result(name, results[name], source=path)
    store.add_result("nproc", results["nproc"], source="nproc", source_type="command")
    store.add_result("sysctl", results["sysctl"], source="sysctl " + " ".join(SYSCTL_KEYS) + " (read from /proc/sys)",
                     source_type="command")
    clock = results["clock_sync"]
    store.add_result("clock_sync", clock, text_key="stdout", source=clock.get("source", "timedatectl show"),
                     source_type="command")
    host.systemd_running = results["systemd"].get("status") == "ok"
    host.processes = plan.classify_processes(results["procs"].get("processes", []))
    units = results["units"].get("units", [])
    for process in host.processes:
        process.unit = plan.match_unit(process, units, systemd_running=host.systemd_running)
    running = {p.unit["name"] for p in host.processes if p.unit}
    host.idle_units = {name: path for name, path in plan.unit_config_paths(units).items() if name not in running}
    for name in sorted(host.idle_units):
        host.notes.append(f"{name} exists but its JVM is not running")
    return units


def _process_artifacts(host: _Host, process: plan.Process) -> None:
    store, inst, raw = host.store, process.instance, process.raw
    store.add("process_cmdline", content="\n".join(process.args) + "\n", source=f"/proc/{process.pid}/cmdline",
              source_type="command", instance=inst, kind="cmdline")
    for name, key, path in (("process_status", "status", "status"), ("process_limits", "limits", "limits")):
        store.add_result(name, raw[key], source=f"/proc/{process.pid}/{path}", source_type="command", instance=inst)
    for name, key, source in (("process_fd_count", "fd_count", f"ls /proc/{process.pid}/fd | wc -l"),
                              ("process_map_count", "map_count", f"wc -l < /proc/{process.pid}/maps")):
        result = dict(raw[key])
        if result.get("status") == "ok":
            result["content"] = f"{result['content']}\n"
        elif result.get("status") == "denied":
            result["error"] = _denied(host)
        store.add_result(name, result, source=source, source_type="command", instance=inst)


def _denied(host: _Host) -> str:
    return "permission denied" + ("" if host.options.become else " (collect with -e kafkapilot_become=true to read it)")


def _java(process: plan.Process) -> str:
    exe = (process.raw.get("exe") or {}).get("content")
    if exe and not exe.endswith(" (deleted)"):
        return exe
    return process.command.java or "java"


def _keytool(process: plan.Process) -> str:
    """The keytool next to the process's java (the same JDK), else the one on PATH."""
    java = _java(process)
    return java.rsplit("/", 1)[0] + "/keytool" if "/" in java else "keytool"


def _phase_b_ops(host: _Host) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = [{"id": f"idle:{unit}", "op": "read", "path": path} for unit, path in host.idle_units.items()]
    opts = host.options
    for process in host.processes:
        inst = process.instance
        home = plan.kafka_home(process)
        if process.config_path:
            ops.append({"id": f"{inst}:config", "op": "read", "path": process.config_path})
        for name, paths in plan.config_paths(process, home).items():
            ops += [{"id": f"{inst}:{name}:{p}", "op": "read", "path": p} for p in paths]
        unit = process.unit
        if unit and host.systemd_running:
            ops.append({"id": f"{inst}:systemctl", "op": "run", "argv": ["systemctl", "cat", "--no-pager", unit["name"]],
                        "timeout": 20})
        if unit:
            ops += [{"id": f"{inst}:dropin:{d['path']}", "op": "read", "path": d["path"]} for d in unit.get("dropins", [])]
            _env, env_files = plan.unit_environment(unit.get("content") or "", {})
            ops += [{"id": f"{inst}:env:{p}", "op": "read", "path": p} for p in env_files]
            if host.systemd_running and opts.journal:
                ops.append({"id": f"{inst}:journal", "op": "run", "tail": True, "max_bytes": opts.log_max_bytes,
                            "timeout": opts.command_timeout,
                            "argv": ["journalctl", "--no-pager", "-o", "short-iso", "-u", unit["name"],
                                     f"--since=-{int(opts.log_window_hours * 60)}min"]})
        java = _java(process)
        ops.append({"id": f"{inst}:java", "op": "run", "argv": [java, _NO_PERF, "-version"], "timeout": 30,
                    "any_rc": False})
        if opts.jstat and process.user:
            ops.append({"id": f"{inst}:jstat", "op": "perfdata", "path": _perf_path(process),
                        "expect_command": process.main_class, "pid": process.pid})
        ops.append({"id": f"{inst}:jars", "op": "glob", "patterns": plan.classpath_globs(process)})
        if process.command.gc_log_path:
            ops.append({"id": f"{inst}:gc_log", "op": "logs", "window_hours": opts.log_window_hours,
                        "max_bytes": opts.log_max_bytes, "max_total": opts.log_max_bytes,
                        "files": [{"path": process.command.gc_log_path, "rotated": []}]})
        url = plan.prometheus_url(process)
        if url and opts.prometheus:
            ops.append({"id": f"{inst}:prometheus", "op": "http", "url": url, "timeout": 15,
                        "max_bytes": 32 * 1024 * 1024})
    return ops


def _kind_of_log4j(path: str) -> str:
    return "properties" if path.endswith(".properties") else "log4j"


def _phase_b(host: _Host, results: dict[str, dict[str, Any]]) -> None:  # noqa: C901 - one artifact after another
    store = host.store
    for unit in host.idle_units:  # a stopped service's node id, so that discovery does not call it unknown
        host.idle_configs[unit] = plan.parse_props(results.get(f"idle:{unit}", {}).get("content"))
    for process in host.processes:
        inst = process.instance
        _process_artifacts(host, process)
        home = plan.kafka_home(process)
        if process.config_path:
            result = results[f"{inst}:config"]
            name = "server_properties" if process.kind == "kafka" else "zookeeper_properties"
            store.add_result(name, result, source=process.config_path, instance=inst, kind="properties")
            host.configs[inst] = plan.parse_props(result.get("content"))
        else:
            store.add("server_properties" if process.kind == "kafka" else "zookeeper_properties", status="missing",
                      instance=inst, error="no config file on the command line")
        log4j_texts: dict[str, str] = {}
        named = plan.config_paths(process, home)
        named_log4j = any(k in process.system_properties for k in plan.LOG4J_KEYS)
        for name, paths in named.items():
            for path in paths:
                result = results[f"{inst}:{name}:{path}"]
                if name == "log4j_config" and result.get("status") == "missing" and not named_log4j:
                    continue  # a default location that this distribution does not use
                kind = {"log4j_config": _kind_of_log4j(path), "jaas_config": "jaas", "jvm_options": "cmdline"}[name]
                store.add_result(name, result, source=path, instance=inst, key=path, kind=kind)
                if name == "log4j_config" and result.get("status") == "ok":
                    log4j_texts[path] = result["content"]
        _unit_artifacts(host, process, results)
        java = results[f"{inst}:java"]
        java = {**java, "status": "ok" if java.get("rc") == 0 else java.get("status"), "error": java.get("error")}
        store.add_result("java_version", java, text_key="stderr", source=" ".join(java.get("argv") or [_java(process)]),
                         source_type="command", instance=inst)
        _jstat_artifact(host, process, results.get(f"{inst}:jstat"))
        if process.kind == "kafka":
            jars = [p["path"] for p in results[f"{inst}:jars"].get("paths", [])]
            version = plan.kafka_version_from_jars(jars)
            source = "jar names in " + (", ".join(plan.classpath_globs(process)) or "the class path")
            if version:
                store.add("kafka_version", content=version + "\n", source=source, source_type="derived", instance=inst)
            else:
                store.add("kafka_version", status="missing", source=source, source_type="derived", instance=inst,
                          error="no Kafka jar on the class path")
        if process.command.gc_log_path:
            _log_artifacts(host, "gc_log", inst, results[f"{inst}:gc_log"])
        url = plan.prometheus_url(process)
        if url and host.options.prometheus:
            store.add_result("prometheus_metrics", results[f"{inst}:prometheus"], text_key="stdout", source=f"GET {url}",
                             source_type="command", instance=inst)
        process.raw["log4j_texts"] = log4j_texts


def _unit_artifacts(host: _Host, process: plan.Process, results: dict[str, dict[str, Any]]) -> None:
    store, inst, unit = host.store, process.instance, process.unit
    if unit is None:
        store.add("systemd_unit", status="missing", instance=inst, source=", ".join(UNIT_DIRS),
                  error="no systemd unit runs this process (none named by its cgroup, none on disk names it)")
        return
    env_texts: dict[str, str] = {}
    if host.systemd_running:
        result = results[f"{inst}:systemctl"]
        store.add_result("systemd_unit", result, text_key="stdout", source=f"systemctl cat {unit['name']}",
                         source_type="command", instance=inst, key=unit["name"], kind="unit")
        unit_text = result.get("stdout") or unit.get("content") or ""
    else:
        unit_text = unit.get("content") or ""
        store.add("systemd_unit", content=unit_text, source=unit.get("path") or unit["name"], instance=inst,
                  key=unit["name"], kind="unit", mode=unit.get("mode"), owner=unit.get("owner"), group=unit.get("group"),
                  mtime=unit.get("mtime"))
        for dropin in unit.get("dropins", []):
            result = results[f"{inst}:dropin:{dropin['path']}"]
            store.add_result("systemd_dropin", result, source=dropin["path"], instance=inst, key=dropin["path"], kind="unit")
            if result.get("content"):
                unit_text += "\n" + result["content"]
    _env, env_files = plan.unit_environment(unit.get("content") or "", {})
    for path in env_files:
        result = results[f"{inst}:env:{path}"]
        store.add_result("environment_file", result, source=path, instance=inst, key=path, kind="env")
        if result.get("content"):
            env_texts[path] = result["content"]
    process.env, _files = plan.unit_environment(unit_text, env_texts)
    if f"{inst}:journal" in results:
        journal = results[f"{inst}:journal"]
        store.add_result("journal", journal, text_key="stdout", source=" ".join(journal.get("argv") or []),
                         source_type="command", instance=inst, key=unit["name"])


def _perf_path(process: plan.Process) -> str:
    return f"/tmp/hsperfdata_{process.user}/{process.pid}"  # noqa: S108 - where HotSpot keeps it


def _jstat_artifact(host: _Host, process: plan.Process, result: dict[str, Any] | None) -> None:
    """jstat -gc figures, read from the JVM's perf data file (what jstat reads): no JVM is started."""
    source = f"jstat -gc {process.pid} (figures read from {_perf_path(process)})"
    inst = process.instance
    if not host.options.jstat:
        host.store.add("jstat_gc", status="skipped", instance=inst, source=source, source_type="derived",
                       error="disabled (kafkapilot_jstat: false)")
        return
    if result is None:
        host.store.add("jstat_gc", status="missing", instance=inst, source=source, source_type="derived",
                       error="the JVM's user is unknown")
        return
    result = dict(result)
    if process.command.xx_options.get("UsePerfData") is False:
        result = {"status": "skipped", "error": "the JVM runs with -XX:-UsePerfData: no GC figures to read"}
    elif result.get("status") == "denied":
        result["error"] = f"{_perf_path(process)} is readable only by {process.user}: " + _denied(host)
    elif result.get("status") == "missing":
        result["error"] = f"no {_perf_path(process)} (a JVM other than HotSpot, or perf data kept elsewhere)"
    host.store.add_result("jstat_gc", result, source=source, source_type="derived", instance=inst)


def _log_artifacts(host: _Host, name: str, inst: str, result: dict[str, Any]) -> None:
    for item in result.get("files", []):
        if item.get("status") == "missing" and item.get("rotated_of") is None and name == "log_file":
            host.notes.append(f"{inst}: log file {item['path']} does not exist")
        if item.get("status") == "missing" and name == "log_file":
            continue
        host.store.add_result(name, item, source=item["path"], instance=inst, key=item["path"])


def _phase_c_ops(host: _Host) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = []
    opts = host.options
    all_dirs: list[str] = []
    for process in host.processes:
        inst = process.instance
        config = host.configs.get(inst, {})
        files, notes = plan.log_targets(process, process.raw.get("log4j_texts", {}), plan.kafka_home(process))
        host.notes += [f"{inst}: {n}" for n in notes]
        ops.append({"id": f"{inst}:logs", "op": "logs", "files": files, "window_hours": opts.log_window_hours,
                    "max_bytes": opts.log_max_bytes, "max_total": opts.log_max_total})
        dirs = plan.data_dirs(config, process.kind) if config else []
        all_dirs += dirs + sorted({f["path"].rsplit("/", 1)[0] for f in files})
        if process.kind == "kafka":
            ops += [{"id": f"{inst}:meta:{d}", "op": "read", "path": f"{d.rstrip('/')}/meta.properties"} for d in dirs]
            ops.append({"id": f"{inst}:usage", "op": "dirusage", "dirs": dirs})
        else:
            port = config.get("clientPort", "").strip()
            if port.isdigit():
                address = config.get("clientPortAddress", "").strip() or "127.0.0.1"
                ops.append({"id": f"{inst}:srvr", "op": "fourlw", "host": address, "port": int(port), "word": "srvr"})
        ops += [{"id": f"{inst}:keystore:{p}", "op": "stat", "path": p, "sha256": True}
                for p in plan.keystore_paths(config)]
        if process.config_path:
            ops += [{"id": f"{inst}:certs:{k.path}", "op": "certs", "path": k.path, "type": k.type,
                     "config": process.config_path, "password_key": k.password_key,
                     "password_path_key": k.password_path_key, "providers": plan.config_providers(config),
                     "keytool": _keytool(process), "timeout": opts.command_timeout} for k in plan.keystores(config)]
    targets = list(dict.fromkeys(["/", *all_dirs]))
    ops.append({"id": "df", "op": "run", "argv": ["df", "-PT", *targets], "any_rc": True, "timeout": 20})
    ops.append({"id": "df_inodes", "op": "run", "argv": ["df", "-PTi", *targets], "any_rc": True, "timeout": 20})
    return ops


def _phase_c(host: _Host, results: dict[str, dict[str, Any]]) -> None:
    store = host.store
    for process in host.processes:
        inst = process.instance
        config = host.configs.get(inst, {})
        _log_artifacts(host, "log_file", inst, results[f"{inst}:logs"])
        if not any(a.fields["name"] == "log_file" and a.fields["instance"] == inst for a in store.pending):
            store.add("log_file", status="missing", instance=inst, source="log4j config, standard paths",
                      error="no log file found (see the notes)")
        dirs = plan.data_dirs(config, process.kind) if config else []
        if process.kind == "kafka":
            for directory in dirs:
                result = results[f"{inst}:meta:{directory}"]
                store.add_result("meta_properties", result, source=f"{directory.rstrip('/')}/meta.properties",
                                 instance=inst, key=directory, kind="properties")
            _usage(store, inst, results[f"{inst}:usage"])
        elif f"{inst}:srvr" in results:
            store.add_result("zookeeper_srvr", results[f"{inst}:srvr"], text_key="stdout", source_type="command",
                             source=f"echo srvr | nc {config.get('clientPortAddress') or '127.0.0.1'} {config.get('clientPort')}",
                             instance=inst)
        else:
            store.add("zookeeper_srvr", status="skipped", instance=inst, source_type="command", source="srvr",
                      error="no plaintext clientPort (secureClientPort only): four-letter words over TLS are not sent")
        for path in plan.keystore_paths(config):
            result = results[f"{inst}:keystore:{path}"]
            meta = {k: result.get(k) for k in ("mode", "owner", "group", "sha256", "mtime")}
            status = "skipped" if result.get("status") == "ok" else result.get("status", "failed")
            error = "keystore: never copied; metadata only" if status == "skipped" else result.get("error")
            store.add("keystore", status=status, source=path, instance=inst, key=path, error=error, **meta)
        for keystore in plan.keystores(config) if process.config_path else []:
            source = (f"CERTIFICATE blocks of {keystore.path}" if keystore.type == "PEM" else
                      f"keytool -list -rfc -keystore {keystore.path} -storetype {keystore.type}"
                      " (store password read on the host, never copied)")
            result = dict(results[f"{inst}:certs:{keystore.path}"])
            if result.get("status") == "denied":
                result["error"] = (result.get("error") or f"{keystore.path}: permission denied") + \
                    _denied(host).removeprefix("permission denied")
            store.add_result("keystore_certificates", result, source=source, source_type="command", instance=inst,
                             key=keystore.path, kind="certificates")
    for name in ("df", "df_inodes"):
        result = dict(results[name])
        if result.get("stdout"):
            result["status"] = "ok"
        store.add_result(name, result, text_key="stdout", source=" ".join(result.get("argv") or ["df"]),
                         source_type="command")


def _usage(store: ArtifactStore, inst: str, result: dict[str, Any]) -> None:
    import json  # noqa: PLC0415 - only here

    rows = result.get("rows", [])
    good = [{"dir": r["dir"], "kbytes": r["kbytes"], "partitions": r["partitions"]} for r in rows if r.get("status") == "ok"]
    bad = [f"{r['dir']}: {r.get('error')}" for r in rows if r.get("status") != "ok"]
    source = "du -sk and a count of partition directories per log dir"
    if good:
        store.add("log_dir_usage", content=json.dumps(good, indent=1) + "\n", source=source, source_type="derived",
                  instance=inst, error="; ".join(bad) or None)
    else:
        status = next((r.get("status") for r in rows if r.get("status") != "ok"), "missing")
        store.add("log_dir_usage", status=status, source=source, source_type="derived", instance=inst,
                  error="; ".join(bad) or "no log dir")


class TransportError(Exception):
    """The connection or the module failed; one line, never any collected content."""


def collect_host(execute: Execute, root: Path, name: str, options: HostOptions) -> dict[str, Any]:
    """Collect host `name` through `execute`; write its artifacts under root; return its manifest entry.

    A TransportError in a phase ends the collection there; what was read before is kept.
    """
    host = _Host(ArtifactStore(root, f"hosts/{name}"), options)
    started = time.monotonic()
    phases = (
        ("processes_and_os", lambda: _host_ops(options), _phase_a),
        ("command_line_files", lambda: _phase_b_ops(host), _phase_b),
        ("logs_and_data_dirs", lambda: _phase_c_ops(host), _phase_c),
    )
    broken: str | None = None
    for index, (phase, make_ops, apply) in enumerate(phases):
        mark = time.monotonic()
        try:
            ops = make_ops()
            results = execute(ops) if ops else {}
        except TransportError as exc:
            broken = f"{'collection failed' if index == 0 else 'collection stopped'} in phase {phase}: {exc}"
            break
        apply(host, results)
        host.phase_s[phase] = round(time.monotonic() - mark, 2)
    artifacts = host.store.finish()
    problems = [a for a in artifacts if a["status"] in ("denied", "failed")]
    entry: dict[str, Any] = {
        "status": ("failed" if not artifacts else "partial") if broken else "partial" if problems else "ok",
        "processes": [
            {"instance": p.instance, "kind": p.kind, "pid": p.pid, "user": p.user, "main_class": p.main_class}
            for p in host.processes
        ],
        "artifacts": artifacts,
        "duration_s": round(time.monotonic() - started, 2),
        "phases_s": host.phase_s,
        "notes": host.notes,
    }
    if broken:
        entry["reason"] = broken
    elif problems:
        names = sorted({a["name"] + (f"/{a['instance']}" if a.get("instance") else "") for a in problems})
        kinds = sorted({a["status"] for a in problems})
        entry["reason"] = f"{len(problems)} artifact(s) {' or '.join(kinds)}: {', '.join(names[:8])}" + (
            " …" if len(names) > 8 else "")
    if not host.processes:
        host.notes.append("no Kafka or ZooKeeper process is running on this host")
    entry["cluster_hints"] = _cluster_hints(host)
    configs = [*host.configs.values(), *host.idle_configs.values()]
    entry["node_ids"] = sorted({c.get("node.id") or c.get("broker.id") for c in configs if c.get("node.id") or c.get("broker.id")})
    return entry


def _cluster_hints(host: _Host) -> dict[str, Any]:
    """What the cluster-wide play needs from this host (no secrets): CLI dir, mode, listeners."""
    for process in host.processes:
        config = host.configs.get(process.instance, {})
        if process.kind != "kafka" or "broker" not in config.get("process.roles", "broker"):
            continue
        home = plan.kafka_home(process)
        return {
            "kafka_home": home,
            "java": _java(process),
            "mode": "kraft" if config.get("process.roles") else "zookeeper" if config.get("zookeeper.connect") else "unknown",
            "listeners": config.get("listeners", ""),
            "advertised_listeners": config.get("advertised.listeners", ""),
            "protocol_map": config.get("listener.security.protocol.map", ""),
            "node_id": config.get("node.id") or config.get("broker.id"),
            "instance": process.instance,
        }
    return {}
