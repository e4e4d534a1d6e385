"""The locators meta/artifacts.yml names: how each artifact of a process (and the df of the
data dirs) is found, and how its result goes into the store, by the artifact's name only.

A locator is the discovery chain's step for one kind of file or command: the config file the
command line names, the log4j configs, the unit's environment files, the log dirs the config
names … It runs in one of the host collection's round trips (plugin_utils/host.py):
`command_line_files` (what the command line and the unit name, once phase A found the JVMs
and the units) or `logs_and_data_dirs` (what the configs read in that round trip name). Its
`requests` are what it asks the host_requests module; its `store` records the results under
the declaration's name (redaction, limits and the usual source type come from the registry).
State that a later round trip needs (the parsed config, the log4j texts, the unit's
environment) goes on the host or into `process.raw`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils import plan
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.registry import Declaration
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.store import ArtifactStore

__all__ = ["COMMAND_LINE_FILES", "LOCATORS", "LOGS_AND_DATA_DIRS", "HostState", "Locator", "denied", "java_of"]

Results = dict[str, dict[str, Any]]
COMMAND_LINE_FILES: Final = "command_line_files"
LOGS_AND_DATA_DIRS: Final = "logs_and_data_dirs"
UNIT_DIRS: Final = ("/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system")
_NO_PERF: Final = "-XX:-UsePerfData"  # a JVM must not leave /tmp/hsperfdata_<user> behind


@dataclass
class HostState:
    """What the collection of one host knows so far."""

    store: ArtifactStore
    options: Any  # host.HostOptions
    notes: list[str] = field(default_factory=list)
    systemd_running: bool = False
    #: systemd-journald listens (with or without systemd as PID 1): `journalctl -u UNIT` reads the services' output
    journald_running: bool = False
    processes: list[plan.Process] = field(default_factory=list)
    configs: dict[str, dict[str, str]] = field(default_factory=dict)
    phase_s: dict[str, float] = field(default_factory=dict)
    idle_units: dict[str, str] = field(default_factory=dict)  # unit → config of a service not running
    idle_configs: dict[str, dict[str, str]] = field(default_factory=dict)


Requests = Callable[[HostState, Any, Declaration], list[dict[str, Any]]]
Store = Callable[[HostState, Any, Declaration, Results], None]


class Locator(NamedTuple):
    """One named locator: its round trip (or round trips: then requests and store run in each), the requests it
    makes, how it stores their results."""

    phase: str | tuple[str, ...]
    requests: Requests
    store: Store

    def runs_in(self, phase: str) -> bool:
        return phase in (self.phase if isinstance(self.phase, tuple) else (self.phase,))


def _id(process: plan.Process, declaration: Declaration, key: str | None = None) -> str:
    return f"{process.instance}:{declaration.name}" + (f":{key}" if key else "")


def _none(_host: HostState, _process: Any, _declaration: Declaration) -> list[dict[str, Any]]:
    return []


def denied(host: HostState) -> str:
    """The error of what the login user could not read, with the way round it."""
    return "permission denied" + ("" if host.options.become else " (collect with -e kafkapilot_become=true to read it)")


def java_of(process: plan.Process) -> str:
    """The process's own java (/proc/PID/exe), else the one its command line names."""
    exe = (process.raw.get("exe") or {}).get("content")
    if exe and not exe.endswith(" (deleted)"):
        return exe
    return process.command.java or "java"


# ------------------------------------------------------------------------------ the process itself (phase A's scan)
def _cmdline(host: HostState, process: plan.Process, declaration: Declaration, _results: Results) -> None:
    host.store.add(declaration.name, content="\n".join(process.args) + "\n", source=f"/proc/{process.pid}/cmdline",
                   instance=process.instance)


def _proc_file(host: HostState, process: plan.Process, declaration: Declaration, _results: Results) -> None:
    name = declaration.args["file"]
    host.store.add_result(declaration.name, process.raw[name], source=f"/proc/{process.pid}/{name}",
                          instance=process.instance)


def _count(key: str, source: str) -> Store:
    def store(host: HostState, process: plan.Process, declaration: Declaration, _results: Results) -> None:
        result = dict(process.raw[key])
        if result.get("status") == "ok":
            result["content"] = f"{result['content']}\n"
        elif result.get("status") == "denied":
            result["error"] = denied(host)
        host.store.add_result(declaration.name, result, source=source.format(pid=process.pid), instance=process.instance)
    return store


# ------------------------------------------------------------------------------ files the command line names
def _config_requests(_host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    return [{"id": _id(process, declaration), "op": "read", "path": process.config_path}] if process.config_path else []


def _config(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    if not process.config_path:
        host.store.add(declaration.name, status="missing", instance=process.instance,
                       error="no config file on the command line")
        return
    result = results[_id(process, declaration)]
    host.store.add_result(declaration.name, result, source=process.config_path, instance=process.instance)
    host.configs[process.instance] = plan.parse_props(result.get("content"))


def _reads(paths: Callable[[plan.Process], list[str]]) -> Requests:
    """The requests of a locator of files: one read per path (`key`: the path)."""
    def requests(_host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
        return [{"id": _id(process, declaration, p), "op": "read", "path": p} for p in paths(process)]
    return requests


def _each(paths: Callable[[plan.Process], list[str]]) -> Store:
    """The store of a locator of files: each file is its own artifact (`key`: its path)."""
    def store(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
        for path in paths(process):
            host.store.add_result(declaration.name, results[_id(process, declaration, path)], source=path,
                                  instance=process.instance, key=path)
    return store


def _log4j_paths(process: plan.Process) -> list[str]:
    return plan.log4j_paths(process, plan.kafka_home(process))


def _log4j(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    named = any(k in process.system_properties for k in plan.LOG4J_KEYS)
    texts: dict[str, str] = {}
    for path in _log4j_paths(process):
        result = results[_id(process, declaration, path)]
        if result.get("status") == "missing" and not named:
            continue  # a default location that this distribution does not use
        host.store.add_result(declaration.name, result, source=path, instance=process.instance, key=path)
        if result.get("status") == "ok":
            texts[path] = result["content"]
    process.raw["log4j_texts"] = texts  # for the log files (logs_and_data_dirs)


# ------------------------------------------------------------------------------ the unit
def _unit_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    unit = process.unit
    if not unit or not host.systemd_running:
        return []
    return [{"id": _id(process, declaration), "op": "run", "argv": ["systemctl", "cat", "--no-pager", unit["name"]],
             "timeout": declaration.limit("timeout", host.options)}]


def _unit(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    store, inst, unit = host.store, process.instance, process.unit
    if unit is None:
        store.add(declaration.name, status="missing", instance=inst, source=", ".join(UNIT_DIRS),
                  error="no systemd unit runs this process (none named by its cgroup, none on disk names it)")
        return
    if host.systemd_running:
        result = results[_id(process, declaration)]
        store.add_result(declaration.name, result, text_key="stdout", source=f"systemctl cat {unit['name']}",
                         instance=inst, key=unit["name"])
        process.raw["unit_text"] = result.get("stdout") or unit.get("content") or ""
    else:
        store.add(declaration.name, content=unit.get("content") or "", source=unit.get("path") or unit["name"],
                  source_type="file", instance=inst, key=unit["name"], mode=unit.get("mode"), owner=unit.get("owner"),
                  group=unit.get("group"), mtime=unit.get("mtime"))
        process.raw["unit_text"] = unit.get("content") or ""


def _dropin_paths(process: plan.Process) -> list[str]:
    return [d["path"] for d in (process.unit or {}).get("dropins", [])]


def _dropins(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    if process.unit is None or host.systemd_running:
        return  # `systemctl cat` holds the drop-ins where systemd runs
    for path in _dropin_paths(process):
        result = results[_id(process, declaration, path)]
        host.store.add_result(declaration.name, result, source=path, instance=process.instance, key=path)
        if result.get("content"):
            process.raw.setdefault("dropin_texts", []).append(result["content"])


def _env_paths(process: plan.Process) -> list[str]:
    return plan.unit_environment((process.unit or {}).get("content") or "", {})[1]


def _env_files(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    for path in _env_paths(process):
        result = results[_id(process, declaration, path)]
        host.store.add_result(declaration.name, result, source=path, instance=process.instance, key=path)
        if result.get("content"):
            process.raw.setdefault("env_texts", {})[path] = result["content"]


def _journal_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    opts = host.options
    if not process.unit or not host.journald_running or not opts.journal:
        return []
    hours = declaration.limit("window_hours", opts)
    return [{"id": _id(process, declaration), "op": "run", "tail": True, "max_bytes": declaration.limit("max_bytes", opts),
             "timeout": declaration.limit("timeout", opts),
             "argv": ["journalctl", "--no-pager", "-o", "short-iso", "-u", process.unit["name"],
                      f"--since=-{int(hours * 60)}min"]}]


def _journal(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    if _id(process, declaration) in results:
        journal = results[_id(process, declaration)]
        host.store.add_result(declaration.name, journal, text_key="stdout", source=" ".join(journal.get("argv") or []),
                              instance=process.instance, key=process.unit["name"])


# ------------------------------------------------------------------------------ the JVM
def _java_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    return [{"id": _id(process, declaration), "op": "run", "argv": [java_of(process), _NO_PERF, "-version"],
             "timeout": declaration.limit("timeout", host.options), "any_rc": False}]


def _java(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    java = results[_id(process, declaration)]
    java = {**java, "status": "ok" if java.get("rc") == 0 else java.get("status"), "error": java.get("error")}
    host.store.add_result(declaration.name, java, text_key="stderr",
                          source=" ".join(java.get("argv") or [java_of(process)]), instance=process.instance)


def _perf_path(process: plan.Process) -> str:
    return f"/tmp/hsperfdata_{process.user}/{process.pid}"  # noqa: S108 - where HotSpot keeps it


def _perfdata_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    if not host.options.jstat or not process.user:
        return []
    return [{"id": _id(process, declaration), "op": "perfdata", "path": _perf_path(process),
             "expect_command": process.main_class, "pid": process.pid}]


def _perfdata(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    """jstat -gc figures, read from the JVM's perf data file (what jstat reads): no JVM is started."""
    source = f"jstat -gc {process.pid} (figures read from {_perf_path(process)})"
    name, inst, result = declaration.name, process.instance, results.get(_id(process, declaration))
    if not host.options.jstat:
        host.store.add(name, status="skipped", instance=inst, source=source, error="disabled (kafkapilot_jstat: false)")
        return
    if result is None:
        host.store.add(name, status="missing", instance=inst, source=source, error="the JVM's user is unknown")
        return
    result = dict(result)
    if process.command.xx_options.get("UsePerfData") is False:
        result = {"status": "skipped", "error": "the JVM runs with -XX:-UsePerfData: no GC figures to read"}
    elif result.get("status") == "denied":
        result["error"] = f"{_perf_path(process)} is readable only by {process.user}: " + denied(host)
    elif result.get("status") == "missing":
        result["error"] = f"no {_perf_path(process)} (a JVM other than HotSpot, or perf data kept elsewhere)"
    host.store.add_result(name, result, source=source, instance=inst)


def _jars_requests(_host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    return [{"id": _id(process, declaration), "op": "glob", "patterns": plan.classpath_globs(process)}]


def _jars(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    jars = [p["path"] for p in results[_id(process, declaration)].get("paths", [])]
    version = plan.kafka_version_from_jars(jars)
    source = "jar names in " + (", ".join(plan.classpath_globs(process)) or "the class path")
    if version:
        host.store.add(declaration.name, content=version + "\n", source=source, instance=process.instance)
    else:
        host.store.add(declaration.name, status="missing", source=source, instance=process.instance,
                       error="no Kafka jar on the class path")


def _log_artifacts(host: HostState, declaration: Declaration, process: plan.Process, result: dict[str, Any]) -> None:
    for item in result.get("files", []):
        if item.get("status") == "missing" and declaration.name == "log_file":
            if item.get("rotated_of") is None:
                host.notes.append(f"{process.instance}: log file {item['path']} does not exist")
            continue
        host.store.add_result(declaration.name, item, source=item["path"], instance=process.instance, key=item["path"])


def _logs_request(host: HostState, process: plan.Process, declaration: Declaration,
                  files: list[dict[str, Any]]) -> dict[str, Any]:
    opts = host.options
    return {"id": _id(process, declaration), "op": "logs", "files": files,
            "window_hours": declaration.limit("window_hours", opts), "max_bytes": declaration.limit("max_bytes", opts),
            "max_total": declaration.limit("max_total", opts)}


def _gc_log_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    path = process.command.gc_log_path
    return [_logs_request(host, process, declaration, [{"path": path, "rotated": []}])] if path else []


def _gc_log(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    if process.command.gc_log_path:
        _log_artifacts(host, declaration, process, results[_id(process, declaration)])


def _prometheus_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    """Scrape 1 in the command line's round trip; scrape 2 in the next one, `metrics_interval` seconds after
    scrape 1 began (the module waits out what is left of it on the host), so that counters give rates."""
    url = plan.prometheus_url(process)
    if not url or not host.options.prometheus:
        return []
    request = {"id": _id(process, declaration), "op": "http", "url": url,
               "timeout": declaration.limit("timeout", host.options),
               "max_bytes": declaration.limit("max_bytes", host.options)}
    first = process.raw.get("prometheus_first")
    if first is None:
        return [request]
    interval = float(host.options.metrics_interval or 0)
    if interval <= 0 or not first.get("started"):
        return []
    return [{**request, "not_before": first["started"] + interval, "max_wait": interval}]


def _prometheus(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    url = plan.prometheus_url(process)
    if not url or not host.options.prometheus:
        return
    result = results.get(_id(process, declaration))
    first = "prometheus_first" not in process.raw
    if result is None:  # the second round trip asked for no second scrape
        if not first and host.options.prometheus:
            why = ("the raw transport scrapes once" if not process.raw["prometheus_first"].get("started")
                   else "kafkapilot_metrics_interval is 0")
            if process.raw["prometheus_first"].get("status") != "ok":
                why = "the first scrape failed"
            host.store.add(declaration.name, status="skipped", source=f"GET {url}", instance=process.instance,
                           key="2", error=f"one scrape only: {why}")
        return
    result = dict(result)
    if first:
        process.raw["prometheus_first"] = result if result.get("status") == "ok" else {"status": result.get("status")}
    if result.get("status") == "ok" and result.get("stdout") is not None and result.get("started"):
        # the scrape's time on the host's clock, as a comment line (the exposition format ignores it)
        result["stdout"] = f"# kafkapilot-scrape started={result['started']:.3f} duration_s={result.get('duration_s', 0)}\n" \
            + result["stdout"]
    host.store.add_result(declaration.name, result, text_key="stdout", source=f"GET {url}", instance=process.instance,
                          key="1" if first else "2")


# ------------------------------------------------------------------------------ what the configs name
def _log_files_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    unit_text = process.raw.get("unit_text", "") + "".join("\n" + t for t in process.raw.get("dropin_texts", []))
    process.env, _files = plan.unit_environment(unit_text, process.raw.get("env_texts", {}))
    files, notes = plan.log_targets(process, process.raw.get("log4j_texts", {}), plan.kafka_home(process))
    host.notes += [f"{process.instance}: {n}" for n in notes]
    process.raw["log_files"] = files
    return [_logs_request(host, process, declaration, files)]


def _log_files(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    _log_artifacts(host, declaration, process, results[_id(process, declaration)])
    if not any(a.fields["name"] == declaration.name and a.fields["instance"] == process.instance
               for a in host.store.pending):
        host.store.add(declaration.name, status="missing", instance=process.instance,
                       source="log4j config, standard paths", error="no log file found (see the notes)")


def _data_dirs(host: HostState, process: plan.Process) -> list[str]:
    config = host.configs.get(process.instance, {})
    return plan.data_dirs(config, process.kind) if config else []


def _meta_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    return [{"id": _id(process, declaration, d), "op": "read", "path": f"{d.rstrip('/')}/meta.properties"}
            for d in _data_dirs(host, process)]


def _meta(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    for directory in _data_dirs(host, process):
        host.store.add_result(declaration.name, results[_id(process, declaration, directory)],
                              source=f"{directory.rstrip('/')}/meta.properties", instance=process.instance, key=directory)


def _usage_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    return [{"id": _id(process, declaration), "op": "dirusage", "dirs": _data_dirs(host, process)}]


def _usage(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    rows = results[_id(process, declaration)].get("rows", [])
    good = [{"dir": r["dir"], "kbytes": r["kbytes"], "partitions": r["partitions"]} for r in rows if r.get("status") == "ok"]
    bad = [f"{r['dir']}: {r.get('error')}" for r in rows if r.get("status") != "ok"]
    source = "du -sk and a count of partition directories per log dir"
    if good:
        host.store.add(declaration.name, content=json.dumps(good, indent=1) + "\n", source=source,
                       instance=process.instance, error="; ".join(bad) or None)
    else:
        status = next((r.get("status") for r in rows if r.get("status") != "ok"), "missing")
        host.store.add(declaration.name, status=status, source=source, instance=process.instance,
                       error="; ".join(bad) or "no log dir")


def _client_port(host: HostState, process: plan.Process) -> tuple[str, str]:
    config = host.configs.get(process.instance, {})
    return config.get("clientPortAddress", "").strip() or "127.0.0.1", config.get("clientPort", "").strip()


def _srvr_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    address, port = _client_port(host, process)
    if not port.isdigit():
        return []
    return [{"id": _id(process, declaration), "op": "fourlw", "host": address, "port": int(port), "word": "srvr",
             "timeout": declaration.limit("timeout", host.options)}]


def _srvr(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    if _id(process, declaration) not in results:
        host.store.add(declaration.name, status="skipped", instance=process.instance, source="srvr",
                       error="no plaintext clientPort (secureClientPort only): four-letter words over TLS are not sent")
        return
    config = host.configs.get(process.instance, {})
    host.store.add_result(declaration.name, results[_id(process, declaration)], text_key="stdout",
                          source=f"echo srvr | nc {config.get('clientPortAddress') or '127.0.0.1'} {config.get('clientPort')}",
                          instance=process.instance)


def _keystore_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    return [{"id": _id(process, declaration, p), "op": "stat", "path": p, "sha256": True}
            for p in plan.keystore_paths(host.configs.get(process.instance, {}))]


def _keystore_files(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    for path in plan.keystore_paths(host.configs.get(process.instance, {})):
        result = results[_id(process, declaration, path)]
        meta = {k: result.get(k) for k in ("mode", "owner", "group", "sha256", "mtime")}
        status = "skipped" if result.get("status") == "ok" else result.get("status", "failed")
        error = "keystore: never copied; metadata only" if status == "skipped" else result.get("error")
        host.store.add(declaration.name, status=status, source=path, instance=process.instance, key=path, error=error,
                       **meta)


def _keytool(process: plan.Process) -> str:
    """The keytool next to the process's java (the same JDK), else the one on PATH."""
    java = java_of(process)
    return java.rsplit("/", 1)[0] + "/keytool" if "/" in java else "keytool"


def _keystores(host: HostState, process: plan.Process) -> list[plan.Keystore]:
    return plan.keystores(host.configs.get(process.instance, {})) if process.config_path else []


def _certs_requests(host: HostState, process: plan.Process, declaration: Declaration) -> list[dict[str, Any]]:
    config = host.configs.get(process.instance, {})
    return [{"id": _id(process, declaration, k.path), "op": "certs", "path": k.path, "type": k.type,
             "config": process.config_path, "password_key": k.password_key, "password_path_key": k.password_path_key,
             "providers": plan.config_providers(config), "keytool": _keytool(process),
             "timeout": declaration.limit("timeout", host.options)} for k in _keystores(host, process)]


def _certs(host: HostState, process: plan.Process, declaration: Declaration, results: Results) -> None:
    for keystore in _keystores(host, process):
        source = (f"CERTIFICATE blocks of {keystore.path}" if keystore.type == "PEM" else
                  f"keytool -list -rfc -keystore {keystore.path} -storetype {keystore.type}"
                  " (store password read on the host, never copied)")
        result = dict(results[_id(process, declaration, keystore.path)])
        if result.get("status") == "denied":
            result["error"] = (result.get("error") or f"{keystore.path}: permission denied") + \
                denied(host).removeprefix("permission denied")
        host.store.add_result(declaration.name, result, source=source, instance=process.instance, key=keystore.path)


# ------------------------------------------------------------------------------ the host, after its processes
def _df_targets(host: HostState) -> list[str]:
    found: list[str] = []
    for process in host.processes:
        files = process.raw.get("log_files", [])
        found += _data_dirs(host, process) + sorted({f["path"].rsplit("/", 1)[0] for f in files})
    return list(dict.fromkeys(["/", *found]))


def _df_requests(host: HostState, _process: None, declaration: Declaration) -> list[dict[str, Any]]:
    return [{"id": declaration.name, "op": "run", "argv": [*declaration.run, *_df_targets(host)], "any_rc": True,
             "timeout": declaration.limit("timeout", host.options)}]


def _df(host: HostState, _process: None, declaration: Declaration, results: Results) -> None:
    result = dict(results[declaration.name])
    if result.get("stdout"):
        result["status"] = "ok"
    host.store.add_result(declaration.name, result, text_key="stdout",
                          source=" ".join(result.get("argv") or [declaration.run[0]]))


#: every locator meta/artifacts.yml may name (setting.client_config is the cluster phase's: plugin_utils/cluster.py)
LOCATORS: Final[dict[str, Locator]] = {
    "process.cmdline": Locator(COMMAND_LINE_FILES, _none, _cmdline),
    "process.proc_file": Locator(COMMAND_LINE_FILES, _none, _proc_file),
    "process.fd_count": Locator(COMMAND_LINE_FILES, _none, _count("fd_count", "ls /proc/{pid}/fd | wc -l")),
    "process.map_count": Locator(COMMAND_LINE_FILES, _none, _count("map_count", "wc -l < /proc/{pid}/maps")),
    "command_line.config_file": Locator(COMMAND_LINE_FILES, _config_requests, _config),
    "command_line.log4j": Locator(COMMAND_LINE_FILES, _reads(_log4j_paths), _log4j),
    "command_line.jaas": Locator(COMMAND_LINE_FILES, _reads(plan.jaas_paths), _each(plan.jaas_paths)),
    "command_line.jvm_options": Locator(COMMAND_LINE_FILES, _reads(plan.jvm_option_paths), _each(plan.jvm_option_paths)),
    "unit.file": Locator(COMMAND_LINE_FILES, _unit_requests, _unit),
    "unit.dropins": Locator(COMMAND_LINE_FILES, _reads(_dropin_paths), _dropins),
    "unit.environment_files": Locator(COMMAND_LINE_FILES, _reads(_env_paths), _env_files),
    "unit.journal": Locator(COMMAND_LINE_FILES, _journal_requests, _journal),
    "process.java": Locator(COMMAND_LINE_FILES, _java_requests, _java),
    "process.perfdata": Locator(COMMAND_LINE_FILES, _perfdata_requests, _perfdata),
    "process.classpath_jars": Locator(COMMAND_LINE_FILES, _jars_requests, _jars),
    "command_line.gc_log": Locator(COMMAND_LINE_FILES, _gc_log_requests, _gc_log),
    "command_line.prometheus_agent": Locator((COMMAND_LINE_FILES, LOGS_AND_DATA_DIRS), _prometheus_requests, _prometheus),
    "log4j.appenders": Locator(LOGS_AND_DATA_DIRS, _log_files_requests, _log_files),
    "config.log_dirs/meta.properties": Locator(LOGS_AND_DATA_DIRS, _meta_requests, _meta),
    "config.log_dirs": Locator(LOGS_AND_DATA_DIRS, _usage_requests, _usage),
    "config.client_port": Locator(LOGS_AND_DATA_DIRS, _srvr_requests, _srvr),
    "config.keystore_files": Locator(LOGS_AND_DATA_DIRS, _keystore_requests, _keystore_files),
    "config.keystores": Locator(LOGS_AND_DATA_DIRS, _certs_requests, _certs),
    "host.data_dirs": Locator(LOGS_AND_DATA_DIRS, _df_requests, _df),
}
