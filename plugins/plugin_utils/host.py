"""Collect one host in three round trips, over any transport (the module, or raw commands).

What is collected is declared in the artifact registry (meta/artifacts.yml, plugin_utils/registry.py).
Phase A reads the host's declared files and commands and finds the JVMs and candidate systemd
units; phase B (`command_line_files`) reads what the command lines and units name; phase C
(`logs_and_data_dirs`) what the configs name. In phases B and C each declared process artifact
is found by its named locator (plugin_utils/locators.py), process by process, in the registry's
order. Every decision between the phases is made here, on the controller, with the collection's
parsers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils import plan, registry
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.locators import (
    COMMAND_LINE_FILES,
    LOCATORS,
    LOGS_AND_DATA_DIRS,
    UNIT_DIRS,
    HostState,
    Locator,
    java_of,
)
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.store import ArtifactStore

__all__ = ["HostOptions", "TransportError", "collect_host"]

Execute = Callable[[list[dict[str, Any]]], dict[str, dict[str, Any]]]

SYSTEMD_DIR: Final = "/run/systemd/system"  # exists where systemd runs
JOURNALD_SOCKET: Final = "/run/systemd/journal/stdout"  # exists where systemd-journald runs


@dataclass(frozen=True)
class HostOptions:
    """Collection settings (the role's variables)."""

    log_window_hours: float = 24.0
    log_max_bytes: int = 20 * 1024 * 1024
    log_max_total: int = 100 * 1024 * 1024
    command_timeout: float = 60.0
    jstat: bool = True
    prometheus: bool = True
    metrics_interval: float = 15.0  # seconds between the two scrapes of a metrics agent; 0: one scrape
    journal: bool = True
    concurrency: int = 4
    become: bool = False
    unit_dirs: tuple[str, ...] = UNIT_DIRS
    process_filter: tuple[str, ...] = ()  # substrings every collected JVM's command line must contain


_STDOUT_OPS: Final = ("run", "clock", "http", "fourlw")  # requests whose text is the command's stdout


def _host_ops(host: HostState) -> list[dict[str, Any]]:
    """Phase A: the host's declared files and commands, and the search for JVMs and their units."""
    options = host.options
    ops = [d.host_request(options) for d in registry.declarations("host") if d.request is not None]
    ops += [
        {"id": "procs", "op": "procs", "match": list(plan.PROCESS_MATCH), "require": list(options.process_filter)},
        {"id": "units", "op": "units", "dirs": list(options.unit_dirs), "match": ["kafka", "zookeeper", "QuorumPeerMain"]},
        {"id": "systemd", "op": "stat", "path": SYSTEMD_DIR},
        {"id": "journald", "op": "stat", "path": JOURNALD_SOCKET},
    ]
    return ops


def _source(declaration: registry.Declaration, result: dict[str, Any]) -> str:
    """The manifest's `source` of a declared file or command: what ran (the alternative that answered)."""
    request = declaration.request or {}
    if request["op"] == "read":
        return request["path"]
    if request["op"] == "run":
        return " ".join(result.get("argv") or []) or " ".join(request["argv"])
    if result.get("source"):
        return result["source"]
    words = {k: " ".join(v) for k, v in request.items() if isinstance(v, list) and all(isinstance(w, str) for w in v)}
    return (declaration.source or request["op"]).format(**words)


def _phase_a(host: HostState, results: dict[str, dict[str, Any]]) -> None:
    for declaration in registry.declarations("host"):
        if declaration.request is not None:
            text_key = "stdout" if declaration.request["op"] in _STDOUT_OPS else "content"
            host.store.add_result(declaration.name, results[declaration.name], text_key=text_key,
                                  source=_source(declaration, results[declaration.name]))
    host.systemd_running = results["systemd"].get("status") == "ok"
    host.journald_running = host.systemd_running or results.get("journald", {}).get("status") == "ok"
    host.processes = plan.classify_processes(results["procs"].get("processes", []))
    units = results["units"].get("units", [])
    for process in host.processes:
        process.unit = plan.match_unit(process, units, systemd_running=host.systemd_running)
    running = {p.unit["name"] for p in host.processes if p.unit}
    host.idle_units = {name: path for name, path in plan.unit_config_paths(units).items() if name not in running}
    for name in sorted(host.idle_units):
        host.notes.append(f"{name} exists but its JVM is not running")


def _located(host: HostState, phase: str) -> list[tuple[plan.Process | None, registry.Declaration, Locator]]:
    """(process or None for the host, declaration, locator) of the artifacts found in `phase`, in the
    registry's order: each process's, then the host's."""
    found: list[tuple[plan.Process | None, registry.Declaration, Locator]] = []
    for process in host.processes:
        for declaration in registry.declarations("process", process.kind):
            locator = LOCATORS.get(declaration.locator or "")
            if locator is not None and locator.runs_in(phase):
                found.append((process, declaration, locator))
    for declaration in registry.declarations("host"):
        locator = LOCATORS.get(declaration.locator or "")
        if locator is not None and locator.runs_in(phase):
            found.append((None, declaration, locator))
    return found


def _phase_ops(phase: str) -> Callable[[HostState], list[dict[str, Any]]]:
    def ops(host: HostState) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if phase == COMMAND_LINE_FILES:  # a stopped service's node id, so that discovery does not call it unknown
            found += [{"id": f"idle:{unit}", "op": "read", "path": path} for unit, path in host.idle_units.items()]
        for process, declaration, locator in _located(host, phase):
            found += locator.requests(host, process, declaration)
        return found
    return ops


def _phase_store(phase: str) -> Callable[[HostState, dict[str, dict[str, Any]]], None]:
    def store(host: HostState, results: dict[str, dict[str, Any]]) -> None:
        if phase == COMMAND_LINE_FILES:
            for unit in host.idle_units:
                host.idle_configs[unit] = plan.parse_props(results.get(f"idle:{unit}", {}).get("content"))
        for process, declaration, locator in _located(host, phase):
            locator.store(host, process, declaration, results)
    return store


class TransportError(Exception):
    """The connection or the module failed; one line, never any collected content."""


def collect_host(execute: Execute, root: Path, name: str, options: HostOptions) -> dict[str, Any]:
    """Collect host `name` through `execute`; write its artifacts under root; return its manifest entry.

    A TransportError in a phase ends the collection there; what was read before is kept.
    """
    host = HostState(ArtifactStore(root, f"hosts/{name}"), options)
    started = time.monotonic()
    phases = (
        ("processes_and_os", _host_ops, _phase_a),
        (COMMAND_LINE_FILES, _phase_ops(COMMAND_LINE_FILES), _phase_store(COMMAND_LINE_FILES)),
        (LOGS_AND_DATA_DIRS, _phase_ops(LOGS_AND_DATA_DIRS), _phase_store(LOGS_AND_DATA_DIRS)),
    )
    broken: str | None = None
    for index, (phase, make_ops, apply) in enumerate(phases):
        mark = time.monotonic()
        try:
            ops = make_ops(host)
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
    entry["redaction_handover"] = host.store.handover  # keyed digests for the snapshot-wide pass, no value
    configs = [*host.configs.values(), *host.idle_configs.values()]
    entry["node_ids"] = sorted({c.get("node.id") or c.get("broker.id") for c in configs if c.get("node.id") or c.get("broker.id")})
    return entry


def _cluster_hints(host: HostState) -> dict[str, Any]:
    """What the cluster-wide play needs from this host (no secrets): CLI dir, mode, listeners."""
    for process in host.processes:
        config = host.configs.get(process.instance, {})
        if process.kind != "kafka" or "broker" not in config.get("process.roles", "broker"):
            continue
        home = plan.kafka_home(process)
        return {
            "kafka_home": home,
            "java": java_of(process),
            "mode": "kraft" if config.get("process.roles") else "zookeeper" if config.get("zookeeper.connect") else "unknown",
            "listeners": config.get("listeners", ""),
            "advertised_listeners": config.get("advertised.listeners", ""),
            "protocol_map": config.get("listener.security.protocol.map", ""),
            "node_id": config.get("node.id") or config.get("broker.id"),
            "instance": process.instance,
        }
    return {}
