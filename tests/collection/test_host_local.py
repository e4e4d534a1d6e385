"""The host collection end to end on this machine (module and raw transports), without the lab."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kafkapilot.parsers.certificates import parse_certificates
from tests.collection.collection_path import plugin_utils
from tests.collection.fake_kafka import PLANTED, FakeNode

HostOptions, collect_host = plugin_utils("host").HostOptions, plugin_utils("host").collect_host
raw_execute = plugin_utils("raw").raw_execute

pytestmark = pytest.mark.integration


def _sh(script: str) -> tuple[int, str, str]:
    out = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True, check=False, timeout=120)
    return out.returncode, out.stdout, out.stderr


def _collect(tmp_path: Path, module: ModuleType, paths: dict[str, Path], transport: str) -> dict[str, Any]:
    options = HostOptions(unit_dirs=(str(paths["unit_dir"]),), process_filter=(str(paths["props"]),))
    if transport == "raw":
        return collect_host(lambda ops: raw_execute(_sh, ops), tmp_path, "local", options)
    return collect_host(lambda ops: module.run_all(ops, 4), tmp_path, "local", options)


@pytest.fixture(scope="module", params=["module", "raw"])
def collected(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, host_module: ModuleType,
              fake_node: tuple[FakeNode, dict[str, Path]]) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp(f"snap-{request.param}")
    return root, _collect(root, host_module, fake_node[1], request.param)


def _by_name(entry: dict[str, Any]) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
    found: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for artifact in entry["artifacts"]:
        found.setdefault((artifact["name"], artifact.get("instance")), []).append(artifact)
    return found


def test_the_discovery_chain_is_followed(collected: tuple[Path, dict[str, Any]],
                                        fake_node: tuple[FakeNode, dict[str, Path]]) -> None:
    root, entry = collected
    node, paths = fake_node
    assert [(p["instance"], p["kind"], p["pid"]) for p in entry["processes"]] == [("kafka", "kafka", node.process.pid)]
    found = _by_name(entry)
    ok = {name for (name, inst), items in found.items() if inst == "kafka" and items[0]["status"] == "ok"}
    assert {"process_cmdline", "process_status", "process_limits", "server_properties", "log4j_config", "jaas_config",
            "systemd_unit", "systemd_dropin", "environment_file", "java_version", "kafka_version", "gc_log",
            "log_file", "meta_properties", "log_dir_usage"} <= ok
    assert (root / found[("kafka_version", "kafka")][0]["path"]).read_text() == "3.9.2\n"
    logs = {a["key"] for a in found[("log_file", "kafka")]}
    # the old rotation is outside 24 h
    assert logs == {f"{paths['logs']}/server.log", f"{paths['logs']}/server.log.recent"}
    server_log_entry = next(a for a in found[("log_file", "kafka")] if a["key"].endswith("server.log"))
    server_log = (root / server_log_entry["path"]).read_text()
    assert "outside the window" not in server_log and "a recent error" in server_log and "at kafka.Foo" in server_log
    usage = (root / found[("log_dir_usage", "kafka")][0]["path"]).read_text()
    assert '"partitions": 3' in usage
    keystore = found[("keystore", "kafka")][0]
    assert keystore["status"] == "skipped" and len(keystore["sha256"]) == 64 and "path" not in keystore


def test_every_artifact_is_collected_as_the_registry_declares_it(collected: tuple[Path, dict[str, Any]]) -> None:
    registry = plugin_utils("registry")
    _root, entry = collected
    kinds = {p["instance"]: p["kind"] for p in entry["processes"]}
    for artifact in entry["artifacts"]:
        declared = registry.declared(artifact["name"])
        assert artifact["source_type"] in declared.source_types, artifact
        if declared.scope == "process":
            assert kinds[artifact["instance"]] in declared.kinds, artifact
        else:
            assert (declared.scope, artifact.get("instance")) == ("host", None), artifact
        assert artifact.get("key") is None or declared.repeats, artifact
    assert {d.name for d in registry.declarations("host")} <= {a["name"] for a in entry["artifacts"]}


def test_keystore_certificates_are_listed_on_the_host_without_the_key(collected: tuple[Path, dict[str, Any]]) -> None:
    root, entry = collected
    (listed,) = _by_name(entry)[("keystore_certificates", "kafka")]
    if root.name.startswith("snap-raw"):  # no Python on the host: the password is not resolved, nothing is listed
        assert (listed["status"], listed.get("error")) == ("skipped", "certs is not available with the raw transport")
        return
    assert listed["status"] == "ok", listed.get("error")
    text = (root / listed["path"]).read_text()
    (cert,) = parse_certificates(text)  # the keytool of the process's own JDK, the password read on the host
    assert cert.subject == "CN=fake-1,O=KafkaPilot" and cert.alias == "fake-1"
    assert 19 <= (cert.not_after - cert.not_before).days <= 20
    assert "PRIVATE KEY" not in text and set(text.splitlines()) - {""} <= {
        line for line in text.splitlines() if line.startswith(("Alias name:", "Entry type:", "Certificate[", "-----"))
        or re.fullmatch(r"[A-Za-z0-9+/=]+", line)}


def test_nothing_planted_survives_and_every_redaction_is_counted(collected: tuple[Path, dict[str, Any]]) -> None:
    root, entry = collected
    for file in root.rglob("*"):
        if file.is_file():
            text = file.read_text(errors="replace")
            for where, secret in PLANTED.items():
                assert secret not in text, f"{where} leaked into {file}"
    assert not list(root.rglob("*.jks")), "a keystore was copied"
    counts = {(a["name"], a.get("key")): a.get("redactions", 0)
              for a in entry["artifacts"] if a.get("instance") == "kafka"}
    assert sum(v for (name, _), v in counts.items() if name == "server_properties") == 2
    assert sum(v for (name, _), v in counts.items() if name == "jaas_config") == 2
    assert sum(v for (name, _), v in counts.items() if name in ("environment_file", "systemd_unit", "process_cmdline",
                                                                  "log4j_config")) == 4


def test_files_are_private(collected: tuple[Path, dict[str, Any]]) -> None:
    root, _ = collected
    for path in root.rglob("*"):
        assert path.stat().st_mode & 0o077 == 0, path


def test_module_and_raw_agree(tmp_path: Path, host_module: ModuleType,
                              fake_node: tuple[FakeNode, dict[str, Path]]) -> None:
    module = _by_name(_collect(tmp_path / "m", host_module, fake_node[1], "module"))
    raw = _by_name(_collect(tmp_path / "r", host_module, fake_node[1], "raw"))
    # keystore_certificates: keytool needs the store password resolved on the host, which raw does not do
    differs = {key for key in (set(module) | set(raw)) - {("clock_sync", None), ("processes", None),
                                                          ("keystore_certificates", "kafka")}
               if [(a["status"], a.get("key")) for a in module.get(key, [])]
               != [(a["status"], a.get("key")) for a in raw.get(key, [])]}
    assert not differs
