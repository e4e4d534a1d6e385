"""The collection reads the artifact registry (meta/artifacts.yml): its requests, tools, limits and
redaction come from it, every locator it names exists, and a broken registry or an undeclared name
is refused with one line naming the file and the artifact."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.collection.collection_path import ROOT, plugin_utils

registry = plugin_utils("registry")
locators = plugin_utils("locators")
cluster = plugin_utils("cluster")
host = plugin_utils("host")
store_module = plugin_utils("store")
Redactor = plugin_utils("redact").Redactor


def test_the_registry_file_is_the_collection_s_meta_artifacts_yml() -> None:
    assert registry.REGISTRY_FILE == ROOT / "meta" / "artifacts.yml"
    declared = registry.load()
    assert len(declared) >= 50 and list(declared)[:3] == ["hostname", "uname", "processes"]
    assert {d.scope for d in declared.values()} == {"host", "process", "cluster"}


def test_every_named_locator_is_implemented_and_every_locator_is_named() -> None:
    named = {d.locator for d in registry.load().values() if d.locator}
    assert named == set(locators.LOCATORS) | {cluster.CLIENT_CONFIG_LOCATOR, cluster.METRICS_ENDPOINT_LOCATOR}
    for declaration in registry.load().values():
        if declaration.scope == "process":
            assert declaration.locator and declaration.kinds, declaration.name
        if declaration.locator in locators.LOCATORS and declaration.scope == "host":
            assert locators.LOCATORS[declaration.locator].phase == locators.LOGS_AND_DATA_DIRS, declaration.name


def test_every_redaction_kind_is_a_pass_of_the_redactor() -> None:
    assert set(Redactor().passes()) == set(registry.REDACTION_KINDS)
    used = {d.redaction for d in registry.load().values()} | {k for d in registry.load().values()
                                                              for _, k in d.redaction_by_suffix}
    assert used <= set(registry.REDACTION_KINDS)
    log4j = registry.declared("log4j_config")
    assert (log4j.redaction_for("/etc/kafka/log4j.properties"), log4j.redaction_for("/etc/kafka/log4j2.yaml")) == (
        "properties", "log4j")


def test_limits_name_role_settings_that_exist() -> None:
    defaults = yaml.safe_load((ROOT / "roles/collect/defaults/main.yml").read_text())
    named = {v for d in registry.load().values() for v in d.limits.values() if isinstance(v, str)}
    assert named and named <= set(registry.SETTINGS) <= set(defaults)
    for field in registry.SETTINGS.values():  # each resolves on the options the role passes
        assert hasattr(host.HostOptions(), field)
    assert hasattr(cluster.ClusterOptions(), "command_timeout")
    journal = registry.declared("journal")
    options = host.HostOptions(log_max_bytes=123, command_timeout=7.0, log_window_hours=2.0)
    assert [journal.limit(k, options) for k in ("max_bytes", "timeout", "window_hours")] == [123, 7.0, 2.0]


def test_phase_a_asks_for_every_declared_host_file_and_command_with_its_limits() -> None:
    state = locators.HostState(store=None, options=host.HostOptions())  # type: ignore[arg-type]
    ops = {op["id"]: op for op in host._host_ops(state)}  # noqa: SLF001 - the planner's requests
    literal = [d for d in registry.declarations("host") if d.request is not None]
    assert {d.name for d in literal} <= set(ops) and {"procs", "units", "systemd"} <= set(ops)
    assert ops["os_release"] == {"id": "os_release", "op": "read", "path": "/etc/os-release"}
    assert ops["hostname"]["argv"] == ["hostname", "-f"] and ops["hostname"]["timeout"] == 20
    assert ops["clock_sync"]["op"] == "clock" and ops["clock_sync"]["timeout"] == 10
    assert "kernel.pid_max" in ops["sysctl"]["keys"]
    # df and df_inodes need the data dirs: they are a locator's, in the last round trip
    assert "df" not in ops and registry.declared("df").locator == "host.data_dirs"


def test_cluster_tools_come_from_the_registry(tmp_path: Path) -> None:
    tools = [d for d in registry.declarations("cluster") if d.tool]
    assert tools[0].name == "broker_api_versions"  # first: the discovery of brokers needs it
    assert {t.name for t in tools if t.modes == ("kraft",)} == {"metadata_quorum_status", "metadata_quorum_replication"}
    seen: list[list[dict[str, Any]]] = []

    def execute(ops: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        seen.append(ops)
        return {"tools": {"status": "ok", "tools": {t["id"]: {"status": "ok", "rc": 0, "stdout": "x\n"}
                                                    for t in ops[0]["tools"]}}}

    options = cluster.ClusterOptions(bootstrap_server="b:9092", command_timeout=33.0)
    hints = {"kafka_home": "/opt/kafka", "mode": "zookeeper", "host": "kafka-1", "instance": "kafka"}
    found, _host_artifacts, _notes = cluster.collect_cluster(execute, tmp_path, hints, options)
    (request,) = seen[0]
    assert request["timeout"] == 33.0 and request["max_bytes"] == 64 * 1024 * 1024
    assert [t["id"] for t in request["tools"]] == [t.name for t in tools if "zookeeper" in t.modes and not t.repeats]
    assert request["tools"][1]["argv"] == ["/opt/kafka/bin/kafka-topics.sh", "--bootstrap-server", "b:9092",
                                           "--describe"]
    statuses = {a["name"]: a["status"] for a in found}
    assert list(statuses) == [t.name for t in tools if t.repeats is None]  # "x" lists no broker, no transaction
    assert statuses["metadata_quorum_status"] == "skipped" and statuses["topics_describe"] == "ok"
    assert request["retries"] == {"acls": ["SecurityDisabledException", 8]}


_API_VERSIONS = "kafka-1:9092 (id: 1 rack: a) -> (\n\tProduce(0): 0 to 11\n)\nkafka-3:9092 (id: 3 rack: c) -> (\n)\n"
_TXN_LIST = ("TransactionalId\tCoordinator\tProducerId\tTransactionState\t\n"
             "open one      \t2          \t1000      \tOngoing         \t\n"
             "done          \t1          \t1001      \tCompleteCommit  \t\n")


def test_tools_repeated_per_broker_and_per_open_transaction_run_second_with_the_keys(tmp_path: Path) -> None:
    seen: list[list[dict[str, Any]]] = []
    outputs = {"broker_api_versions": _API_VERSIONS, "transactions_list": _TXN_LIST}

    def execute(ops: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        seen.append(ops)
        return {op["id"]: {"status": "ok", "content": "security.protocol=SSL\n"} if op["op"] == "read" else
                {"status": "ok", "tools": {t["id"]: {"status": "ok", "rc": 0, "via": "one JVM",
                                                     "stdout": outputs.get(t["id"], "row\n")} for t in op["tools"]}}
                for op in ops}

    options = cluster.ClusterOptions(bootstrap_server="b:9092", client_config="/etc/kafka/c.properties")
    hints = {"kafka_home": "/opt/kafka", "mode": "kraft", "host": "kafka-1", "instance": "kafka"}
    found, _host, _notes = cluster.collect_cluster(execute, tmp_path, hints, options)
    assert len(seen) == 2 and seen[1][0]["id"] == "repeated"
    argvs = [t["argv"][5:] for t in seen[1][0]["tools"]]
    assert argvs == [["describe", "--transactional-id", "open one"],  # only the open one, its spaces kept
                     ["find-hanging", "--broker-id", "1"], ["find-hanging", "--broker-id", "3"]]
    repeated = [(a["name"], a.get("key"), a["status"]) for a in found if a["name"].startswith("transactions_")]
    assert repeated == [("transactions_list", None, "ok"), ("transactions_describe", "open one", "ok"),
                        ("transactions_hanging", "1", "ok"), ("transactions_hanging", "3", "ok")]
    assert (tmp_path / next(a["path"] for a in found if a.get("key") == "3")).read_text() == "row\n"


def test_a_repeated_tool_whose_key_source_failed_is_skipped_with_the_reason(tmp_path: Path) -> None:
    def execute(ops: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        assert [op["id"] for op in ops] == ["tools"]  # nothing to repeat: no second run
        tools = {t["id"]: {"status": "ok", "rc": 0, "stdout": _API_VERSIONS} for t in ops[0]["tools"]}
        tools["transactions_list"] = {"status": "missing", "error": "/opt/kafka/bin/kafka-transactions.sh not found"}
        tools["broker_api_versions"] = {"status": "failed", "rc": 1, "error": "exit code 1: TimeoutException"}
        return {"tools": {"status": "ok", "tools": tools}}

    options = cluster.ClusterOptions(bootstrap_server="b:9092")
    hints = {"kafka_home": "/opt/kafka", "mode": "kraft", "host": "kafka-1", "instance": "kafka"}
    found, _host, _notes = cluster.collect_cluster(execute, tmp_path, hints, options)
    by_name = {a["name"]: a for a in found}
    assert by_name["transactions_list"]["status"] == "missing"
    assert by_name["transactions_describe"]["status"] == "skipped"
    assert "transactions_list gave no transaction list (/opt/kafka/bin/kafka-transactions.sh not found)" in \
        by_name["transactions_describe"]["error"]
    assert "broker_api_versions gave no broker list (exit code 1: TimeoutException)" in \
        by_name["transactions_hanging"]["error"]


@pytest.mark.parametrize(("retry", "message"), [
    ({"on": "X", "attempts": 3}, "retry is {when: REGEX, attempts: 2..20}"),
    ({"when": "X", "attempts": 1}, "retry is {when: REGEX, attempts: 2..20}"),
    ({"when": "(", "attempts": 3}, "retry.when is not a regular expression"),
])
def test_a_wrong_retry_is_one_line_naming_the_artifact(tmp_path: Path, retry: dict[str, Any], message: str) -> None:
    item = {"name": "acls", "scope": "cluster", "source_type": "command", "tool": "kafka-acls.sh", "redaction": "text",
            "retry": retry}
    path = tmp_path / "artifacts.yml"
    path.write_text(yaml.safe_dump({"artifacts": [item]}))
    with pytest.raises(registry.RegistryError, match=r"artifact #1 \(acls\): " + re.escape(message)):
        registry.load(path)


def test_repeated_cluster_tools_are_declared_last(tmp_path: Path) -> None:
    tool = {"scope": "cluster", "source_type": "command", "tool": "kafka-transactions.sh", "redaction": "text"}
    items = [{"name": "a", **tool, "repeats": "broker"}, {"name": "b", **tool}]
    path = tmp_path / "artifacts.yml"
    path.write_text(yaml.safe_dump({"artifacts": items}))
    with pytest.raises(registry.RegistryError, match=r"the cluster tools that repeat .* declare them last"):
        registry.load(path)


def test_the_store_takes_declared_names_only(tmp_path: Path) -> None:
    store = store_module.ArtifactStore(tmp_path, "hosts/h")
    with pytest.raises(registry.RegistryError, match=r"'not_an_artifact' is not declared in .*artifacts\.yml"):
        store.add("not_an_artifact", content="x")
    with pytest.raises(registry.RegistryError,
                       match=r"systemd_unit.*declared with source_type command, file, not derived"):
        store.add("systemd_unit", content="x", source_type="derived", instance="kafka", key="k.service")
    store.add("server_properties", content="ssl.key.password=abcdefgh12\nlog.dirs=/d\n",
              source="/etc/k/server.properties",
              instance="kafka")
    store.add("systemd_unit", content="[Service]\nEnvironment=API_TOKEN=tok-123456789\n", source="/u/kafka.service",
              source_type="file", instance="kafka", key="kafka.service")
    (props, unit) = store.finish()
    assert props["source_type"] == "file" and props["redactions"] == 1  # the properties pass, from the registry
    assert unit["source_type"] == "file" and unit["redactions"] == 1  # the unit pass
    assert "abcdefgh12" not in (tmp_path / props["path"]).read_text()


BROKEN = [
    ({"name": "x", "scope": "host", "source_type": "file", "read": "/x", "redaction": "text", "colour": "red"},
     "artifact #1 (x): unknown key(s) colour"),
    ({"name": "x", "scope": "galaxy", "source_type": "file", "read": "/x", "redaction": "text"},
     "artifact #1 (x): scope is 'galaxy'; use one of host, process, cluster"),
    ({"name": "x", "scope": "host", "source_type": "file", "read": "/x", "locator": "host.data_dirs",
      "redaction": "text"},
     "artifact #1 (x): a host artifact is found by exactly one of read, run, op, locator (found: read, locator)"),
    ({"name": "x", "scope": "process", "kinds": ["kafka"], "source_type": "file", "read": "/x", "redaction": "text"},
     "artifact #1 (x): a process artifact is found by exactly one of locator (found: read)"),
    ({"name": "x", "scope": "host", "source_type": "file", "read": "/x", "redaction": "shred"},
     "artifact #1 (x): redaction is 'shred'; "
     "use one of properties, env, unit, jaas, cmdline, log4j, certificates, text"),
    ({"name": "x", "scope": "host", "source_type": "file", "read": "/x", "redaction": "text",
      "limits": {"timeout": "kafkapilot_patience"}},
     "artifact #1 (x): limits.timeout is 'kafkapilot_patience'; use one of kafkapilot_log_window_hours"),
    ({"name": "x", "scope": "host", "source_type": "command", "op": "format_disk", "redaction": "text"},
     "artifact #1 (x): op is 'format_disk'; use one of read, logs"),
    ({"name": "Bad-Name", "scope": "host", "source_type": "file", "read": "/x", "redaction": "text"},
     "artifact #1 (Bad-Name): name must be a lower-case identifier"),
]


@pytest.mark.parametrize(("item", "error"), BROKEN, ids=[e.split(": ", 1)[1][:40] for _, e in BROKEN])
def test_a_broken_registry_is_refused_with_one_line(tmp_path: Path, item: dict[str, Any], error: str) -> None:
    path = tmp_path / "artifacts.yml"
    path.write_text(yaml.safe_dump({"artifacts": [item]}))
    with pytest.raises(registry.RegistryError) as caught:
        registry.load(path)
    message = str(caught.value)
    assert error in message and "\n" not in message, message


def test_a_name_declared_twice_is_refused(tmp_path: Path) -> None:
    item = {"name": "x", "scope": "host", "source_type": "file", "read": "/x", "redaction": "text"}
    path = tmp_path / "artifacts.yml"
    path.write_text(yaml.safe_dump({"artifacts": [item, item]}))
    with pytest.raises(registry.RegistryError, match=r"artifact #2 \(x\): declared twice"):
        registry.load(path)
