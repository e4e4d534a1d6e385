"""Cluster-wide commands, run once on one broker with the distribution's own CLI tools.

The tools, their arguments, the modes they apply to and their limits are declared in the
artifact registry (meta/artifacts.yml: the artifacts of scope `cluster`, in its order).

The tools' directory comes from the running broker's class path (/opt/kafka/libs/* →
/opt/kafka/bin), `--command-config` from the user's client config, and each tool gets a
JVM tuned for a short run that leaves nothing behind (no hsperfdata, no log dir created).
After the run, the brokers the metadata knows are compared with the inventory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils import registry
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.store import ArtifactStore

__all__ = ["METRICS_ENDPOINT_LOCATOR", "ClusterOptions", "bootstrap_from_hints", "collect_cluster", "discovery_notes"]

Execute = Callable[[list[dict[str, Any]]], dict[str, dict[str, Any]]]

#: the locator (meta/artifacts.yml) of the admin client config the tools use (kafkapilot_client_config)
CLIENT_CONFIG_LOCATOR: Final = "setting.client_config"
#: the locator of the cluster's metrics endpoint (kafkapilot_metrics_endpoint: kafka_exporter, Cruise Control)
METRICS_ENDPOINT_LOCATOR: Final = "setting.metrics_endpoint"
#: A short-lived tool JVM: fast start, no /tmp/hsperfdata_<user>; LOG_DIR exists so kafka-run-class.sh creates nothing.
TOOL_ENV: Final = {
    "KAFKA_HEAP_OPTS": "-Xmx256m",
    "KAFKA_JVM_PERFORMANCE_OPTS": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto -Djava.awt.headless=true",
    "KAFKA_JMX_OPTS": " ",  # not empty: no JMX agent for a tool run
    "LOG_DIR": "/tmp",
}
_AUTH_ERRORS: Final = re.compile(
    r"(?i)(SaslAuthenticationException|SslAuthenticationException|AuthenticationException|"
    r"authentication failed|ClusterAuthorizationException|AuthorizationException|not authorized)"
)
_NOT_APPLICABLE: Final = re.compile(r"(?i)(UnsupportedVersionException|does not support|not supported)")


#: The one JVM that runs every tool (see java/ToolRunner.java): C1 only, no perf data file.
ONE_JVM_OPTS: Final = ("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
                       "-Djava.awt.headless=true")


def _runner_source() -> str:
    return (Path(__file__).parent / "java" / "ToolRunner.java").read_text(encoding="utf-8")


@dataclass(frozen=True)
class ClusterOptions:
    bootstrap_server: str | None = None
    client_config: str | None = None
    command_timeout: float = 60.0  # kafkapilot_command_timeout, each tool's
    concurrency: int = 4
    tool_env: dict[str, str] | None = None
    one_jvm: bool = True
    metrics_endpoint: str | None = None  # kafkapilot_metrics_endpoint: a URL read with one GET


def bootstrap_from_hints(hints: dict[str, Any], address: str | None) -> str | None:
    """host:port of the broker's own client listener (advertised first), used when none is given."""
    protocol_map = dict(
        item.split(":", 1) for item in hints.get("protocol_map", "").split(",") if ":" in item
    )
    for text in (hints.get("advertised_listeners", ""), hints.get("listeners", "")):
        for listener in (item.strip() for item in text.split(",") if item.strip()):
            match = re.match(r"^([A-Za-z0-9_]+)://\[?([^\]]*?)\]?:(\d+)$", listener)
            if match is None or match.group(1).upper() == "CONTROLLER":
                continue
            name, host, port = match.groups()
            if protocol_map and name.upper() in {"CONTROLLER"}:
                continue
            return f"{host or address or 'localhost'}:{port}"
    return None


def _classify(name: str, result: dict[str, Any], mode: str) -> tuple[str, str | None]:
    status = result.get("status", "failed")
    text = (result.get("stderr", "") + "\n" + result.get("stdout", ""))
    if status == "missing":
        return "missing", result.get("error")
    if status == "ok":
        return "ok", None
    if _AUTH_ERRORS.search(text):
        first = _AUTH_ERRORS.search(text)
        return "denied", f"authentication or authorization failed ({first.group(1) if first else 'auth'}); " \
                         "set kafkapilot_client_config to an admin client config"
    if name.startswith("metadata_quorum") and (_NOT_APPLICABLE.search(text) or mode == "zookeeper"):
        return "skipped", "not applicable: the cluster runs in ZooKeeper mode"
    return "failed", result.get("error") or f"exit code {result.get('rc')}"


def _endpoint_request(options: ClusterOptions) -> dict[str, Any] | None:
    """The GET of the metrics endpoint the inventory names (read-only, bounded like every artifact), or None."""
    if not options.metrics_endpoint:
        return None
    (declaration,) = [d for d in registry.declarations("cluster") if d.locator == METRICS_ENDPOINT_LOCATOR]
    return {"id": "metrics_endpoint", "op": "http", "url": options.metrics_endpoint, "name": declaration.name,
            "timeout": declaration.limit("timeout", options), "max_bytes": declaration.limit("max_bytes", options)}


def collect_cluster(
    execute: Execute, root: Path, hints: dict[str, Any], options: ClusterOptions,
    handover: list[list[str]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Run the tools once; return (cluster artifacts, client_config host artifacts, notes); the digests of
    the secret values found are added to `handover` (redact_values)."""
    handover = [] if handover is None else handover
    store = ArtifactStore(root, "cluster", handover=handover)
    notes: list[str] = []
    home = hints.get("kafka_home")
    mode = hints.get("mode", "unknown")
    bootstrap = options.bootstrap_server
    commands = [d for d in registry.declarations("cluster") if d.tool]
    if not home or not bootstrap:
        why = "no Kafka distribution found from the broker's class path" if not home else \
            "no bootstrap server: set kafkapilot_bootstrap_server"
        for command in commands:
            store.add(command.name, status="failed", source=command.tool or "", error=why)
        return store.finish(), [], [why]
    env = {**TOOL_ENV, **(options.tool_env or {})}
    if str(hints.get("java", "")).startswith("/"):
        env.setdefault("JAVA_HOME", str(Path(hints["java"]).parent.parent))
    def argv_of(command: registry.Declaration, key: str | None = None) -> list[str]:
        argv = [f"{home}/bin/{command.tool}", "--bootstrap-server", bootstrap]
        if options.client_config:
            argv += ["--command-config", options.client_config]
        return argv + [arg.replace("{key}", key) if key is not None else arg for arg in command.tool_args]

    def toolrun(op_id: str, tools: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": op_id, "op": "toolrun", "tools": tools, "home": home, "java": hints.get("java") or "java",
            "jvm_opts": list(ONE_JVM_OPTS), "source": _runner_source(), "env": env,
            "timeout": commands[0].limit("timeout", options), "threads": options.concurrency,
            "max_bytes": commands[0].limit("max_bytes", options), "one_jvm": options.one_jvm,
            "retries": {t["id"]: list(retries[t["id"]]) for t in tools if t["id"] in retries},
        }

    once = [c for c in commands if c.repeats is None]
    repeated = [c for c in commands if c.repeats is not None and mode in c.modes]
    retries = {c.name: c.retry for c in commands if c.retry}
    plans = {c.name: argv_of(c) for c in once}
    ops: list[dict[str, Any]] = [toolrun("tools", [{"id": c.name, "argv": plans[c.name]}
                                                   for c in once if mode in c.modes])]
    if options.client_config:
        ops.append({"id": "client_config", "op": "read", "path": options.client_config})
    endpoint = _endpoint_request(options)
    ops += [endpoint] if endpoint else []
    answers = execute(ops)
    results = dict(answers["tools"].get("tools") or {})
    if answers["tools"].get("one_jvm_error"):
        notes.append(f"cluster tools ran script by script (one JVM not possible: {answers['tools']['one_jvm_error']})")
    if "client_config" in answers:
        results["client_config"] = answers["client_config"]
    for name, argv in plans.items():
        if name not in results:
            store.add(name, status="skipped", source=" ".join(argv),
                      error="not applicable: the cluster runs in ZooKeeper mode" if mode == "zookeeper"
                      else f"not applicable in {mode} mode")
            continue
        _store_result(store, name, argv, results[name], mode)
    if repeated:
        _run_repeated(repeated, results, argv_of, toolrun, execute, store, notes, options)
    if endpoint:
        store.add_result(endpoint["name"], answers.get(endpoint["id"], {"status": "failed", "error": "no answer"}),
                         text_key="stdout", source=f"GET {endpoint['url']}")
    cluster_artifacts = store.finish()
    host_artifacts: list[dict[str, Any]] = []
    if options.client_config:
        host_store = ArtifactStore(root, f"hosts/{hints['host']}", handover=handover)
        (client_config,) = [d for d in registry.declarations("process") if d.locator == CLIENT_CONFIG_LOCATOR]
        host_store.add_result(client_config.name, results["client_config"], source=options.client_config,
                              instance=hints.get("instance"))
        host_artifacts = host_store.finish()
    return cluster_artifacts, host_artifacts, notes


#: what a repeated cluster tool runs once per: the artifact whose output lists the keys, and how to read them
KEY_SOURCES: Final = {"broker": "broker_api_versions", "transaction": "transactions_list"}
#: transaction states `kafka-transactions list` prints for a transactional id with no transaction open
CLOSED_STATES: Final = frozenset({"Empty", "CompleteCommit", "CompleteAbort", "Dead"})


def _store_result(store: ArtifactStore, name: str, argv: list[str], result: dict[str, Any], mode: str,
                  key: str | None = None) -> None:
    status, error = _classify(name, result, mode)
    source = " ".join(argv)
    if result.get("via") == "one JVM":
        source += "  (run in one JVM with the other tools: kafkapilot ToolRunner)"
    store.add(name, content=result.get("stdout") if status == "ok" else None, status=status, source=source,
              rc=result.get("rc"), error=error, truncated=result.get("truncated"),
              duration_s=result.get("duration_s"), key=key)


def _keys(kind: str, result: dict[str, Any] | None) -> list[str] | None:
    """The keys a repeated tool runs for, from its key source's result; None when that failed."""
    if not result or result.get("status") != "ok":
        return None
    text = result.get("stdout") or ""
    if kind == "broker":
        return [str(n) for n in sorted({broker_id for _h, _p, broker_id in api_versions_brokers(text)})]
    return [tid for tid, state in transaction_states(text) if state not in CLOSED_STATES]


def _run_repeated(
    commands: list[registry.Declaration], results: dict[str, dict[str, Any]],
    argv_of: Callable[..., list[str]], toolrun: Callable[[str, list[dict[str, Any]]], dict[str, Any]],
    execute: Execute, store: ArtifactStore, notes: list[str], options: ClusterOptions,
) -> None:
    """The tools run once per broker or per open transaction: a second run, with the keys the first gave."""
    runs: dict[str, tuple[str, str, list[str]]] = {}  # tool id -> (artifact, key, argv)
    for command in commands:
        source = KEY_SOURCES[command.repeats or ""]
        keys = _keys(command.repeats or "", results.get(source))
        if keys is None:
            why = (results.get(source) or {}).get("error") or "not run"
            store.add(command.name, status="skipped", source=" ".join(argv_of(command, f"<{command.repeats}>")),
                      error=f"not run: {source} gave no {command.repeats} list ({why})")
            continue
        bound = int(command.limit("max_items", options, 50))
        if len(keys) > bound:
            notes.append(f"{command.name}: run for the first {bound} of {len(keys)} {command.repeats} keys (max_items)")
        for index, key in enumerate(keys[:bound]):
            runs[f"{command.name}.{index}"] = (command.name, key, argv_of(command, key))
    if not runs:
        return
    answers = execute([toolrun("repeated", [{"id": ident, "argv": argv} for ident, (_n, _k, argv) in runs.items()])])
    found = answers["repeated"].get("tools") or {}
    for ident, (name, key, argv) in runs.items():
        result = found.get(ident) or {"status": "failed", "error": "the tool runner gave no result"}
        _store_result(store, name, argv, result, "any", key=key)


def transaction_states(text: str) -> list[tuple[str, str]]:
    """(transactional id, state) of each row of `kafka-transactions.sh list` (tab-separated, padded columns;
    lean copy of kafkapilot.parsers.transactions; a test keeps them equal)."""
    rows: list[tuple[str, str]] = []
    header = False
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.rstrip().split("\t")]
        if not header:
            header = cells[:4] == ["TransactionalId", "Coordinator", "ProducerId", "TransactionState"]
        elif len(cells) >= 4 and cells[0]:
            rows.append((cells[0], cells[3]))
    return rows


_NODE: Final = re.compile(r"^(?P<host>\S*):(?P<port>\d+) \(id: (?P<id>-?\d+) rack: .*?(?: isFenced: (?:true|false))?\) -> \($")


def api_versions_brokers(text: str) -> list[tuple[str, int, int]]:
    """(host, port, broker id) of each broker kafka-broker-api-versions.sh printed (lean copy of
    kafkapilot.parsers.broker_api_versions; a test keeps them equal)."""
    found = []
    for line in text.splitlines():
        match = _NODE.match(line.strip())
        if match:
            found.append((match.group("host"), int(match.group("port")), int(match.group("id"))))
    return found


def quorum_voters(text: str) -> list[int]:
    """The node ids of CurrentVoters in kafka-metadata-quorum.sh describe --status: [1,2,3] up to
    Kafka 3.8, a list of objects from 3.9 (lean copy of kafkapilot.parsers.quorum; a test keeps them equal)."""
    value = next((line.partition(":")[2].strip() for line in text.splitlines()
                  if line.partition(":")[0].strip() == "CurrentVoters" and ":" in line), "")
    try:
        data: Any = json.loads(value)
    except ValueError:
        data = None
    if isinstance(data, list):
        ids = [item.get("id") if isinstance(item, dict) else item for item in data]
        return [n for n, item in zip(ids, data) if isinstance(n, int) and not isinstance(item, bool)]
    if '"id"' in value:
        return [int(n) for n in re.findall(r'"id"\s*:\s*(-?\d+)', value)]
    return [int(n) for n in re.split(r"[,\s\[\]]+", value) if n.strip().lstrip("+-").isdigit()]


def discovery_notes(
    root: Path, cluster_artifacts: list[dict[str, Any]], inventory: dict[str, dict[str, Any]]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Brokers and controllers the metadata knows but the inventory lacks (matched by name, address or node id)."""
    names = {n.lower() for n in inventory} | {str(h.get("address") or "").lower() for h in inventory.values()}
    node_ids = {str(n) for h in inventory.values() for n in h.get("node_ids") or []}
    unknown: list[dict[str, Any]] = []
    by_name = {a["name"]: a for a in cluster_artifacts}
    for host, port, broker_id in api_versions_brokers(_read(root, by_name.get("broker_api_versions")) or ""):
        if host.lower() not in names and str(broker_id) not in node_ids:
            unknown.append({"role": "broker", "id": broker_id, "host": host, "port": port})
    for voter in quorum_voters(_read(root, by_name.get("metadata_quorum_status")) or ""):
        if str(voter) not in node_ids:
            unknown.append({"role": "controller", "id": voter})
    notes = [
        f"the metadata knows {u['role']} {u['id']}"
        + (f" ({u['host']}:{u['port']})" if u.get("host") else "")
        + " which is not in the inventory: not collected"
        for u in unknown
    ]
    return notes, unknown


def _read(root: Path, artifact: dict[str, Any] | None) -> str | None:
    if not artifact or artifact.get("status") != "ok" or not artifact.get("path"):
        return None
    return (root / artifact["path"]).read_text(encoding="utf-8", errors="replace")
