"""Unreachable reasons, the probe's answer, the manifest and its summary, the runner's environment."""

from __future__ import annotations

import json
import os
import queue
from pathlib import Path

import pytest
from rich.console import Console

from kafkapilot.collect.runner import Progress, _on_event, _render, scrubbed_environ
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.manifest import FORMAT_VERSION
from tests.collection.collection_path import plugin_utils

collect_manifest = plugin_utils("manifest")
parse_probe, unreachable_reason = plugin_utils("reasons").parse_probe, plugin_utils("reasons").unreachable_reason

BASTION = {"proxy": "bastion", "proxy_address": "127.42.0.10"}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("ssh: connect to host 127.42.0.10 port 22: Connection refused\r\nConnection closed by UNKNOWN port 65535",
         "bastion unreachable: the bastion bastion (127.42.0.10) port 22: connection refused"),
        ("channel 0: open failed: connect failed: Connection refused\r\nstdio forwarding failed\r\n"
         "kex_exchange_identification: Connection closed by remote host",
         "could not connect to 127.42.0.13:22: Connection refused"),
        ("ssh: Could not resolve hostname kafka-9: Name or service not known", "DNS: cannot resolve kafka-9"),
        ("ops@127.42.0.13: Permission denied (publickey).", "auth failed for user ops on kafka-3"),
        ("ops@127.42.0.10: Permission denied (publickey).", "bastion auth failed"),
        ("Host key verification failed.", "host key verification failed for kafka-3"),
        ("ssh: connect to host 10.0.0.1 port 22: Connection timed out", "connection timed out"),
        ("kex_exchange_identification: Connection closed by remote host\r\nConnection closed by UNKNOWN port 65535",
         "the bastion bastion (127.42.0.10) was reached but could not connect to 127.42.0.13:22"),
    ],
)
def test_unreachable_reasons_name_the_failing_hop(message: str, expected: str) -> None:
    assert expected in unreachable_reason(message, target="kafka-3", address="127.42.0.13", **BASTION)


def test_probe_answer_picks_the_newest_usable_python() -> None:
    probe = parse_probe("kp-probe-1\nops\nkp-python /usr/bin/python3.6 3.6\nkp-python /usr/bin/python3.11 "
                        "3.11\nkp-systemd\n")
    assert probe.ok and probe.user == "ops" and probe.systemd
    assert probe.best_python((3, 8)) == "/usr/bin/python3.11"
    assert parse_probe("kp-probe-1\nops\nkp-python /usr/bin/python3 3.6\n").best_python((3, 8)) is None
    assert not parse_probe("sh: 1: syntax error").ok


def test_format_versions_agree() -> None:
    assert collect_manifest.FORMAT_VERSION == FORMAT_VERSION


def test_manifest_and_summary_say_only_what_was_collected(tmp_path: Path) -> None:
    root = tmp_path / "snap"
    root.mkdir(mode=0o700)
    (root / "hosts/k1/commands").mkdir(parents=True)
    (root / "hosts/k1/commands/nproc.txt").write_text("4\n")
    written = collect_manifest.write_snapshot_files(root, {
        "started_at": "2026-11-26T13:00:00Z", "finished_at": "2026-11-26T13:00:09Z",
        "phases": [{"name": "connectivity", "status": "partial", "duration_s": 1.2,
                    "detail": "1 reachable, 1 unreachable"}],
        "hosts": {
            "k1": {"status": "partial", "reason": "1 artifact(s) denied: process_limits/kafka", "address": "10.0.0.1",
                   "groups": ["kafka_brokers"], "transport": "module", "python": "/usr/bin/python3",
                   "processes": [{"instance": "kafka", "kind": "kafka", "pid": 7, "user": "kafka",
                                  "main_class": "kafka.Kafka"}],
                   "artifacts": [{"name": "nproc", "path": "hosts/k1/commands/nproc.txt", "source": "nproc",
                                  "source_type": "command", "status": "ok", "size": 2},
                                 {"name": "process_limits", "instance": "kafka", "source": "/proc/7/limits",
                                  "status": "denied", "error": "permission denied", "redactions": 0}]},
            "k2": {"status": "unreachable", "reason": "bastion unreachable: connection refused", "address": "10.0.0.2"},
        },
        "cluster_artifacts": [{"name": "topics_describe", "source": "kafka-topics.sh --describe",
                               "source_type": "command",
                               "status": "denied", "error": "authentication failed", "redactions": 2}],
        "cluster_source_host": "k1",
    })
    manifest = json.loads((root / "snapshot.json").read_text())
    assert manifest["format_version"] == FORMAT_VERSION and manifest["redactions_total"] == 2
    assert not any("did not validate" in n for n in manifest.get("notes", []))
    summary = (root / "COLLECTION_SUMMARY.md").read_text()
    assert "| k2 | unreachable | bastion unreachable: connection refused |" in summary
    assert "| process_limits | kafka |  | denied | 0 | 0 | permission denied |" in summary
    assert "topics_describe" in summary and "authentication failed" in summary
    snapshot = load_snapshot(root)
    assert snapshot.manifest.hosts["k1"].transport == "module"
    assert snapshot.text(snapshot.host_artifact("k1", "nproc")) == "4\n"
    assert written["hosts"]["k2"]["artifacts"] == []
    archive = collect_manifest.archive(root)
    assert archive.name == "snap.tar.gz" and oct(archive.stat().st_mode & 0o777) == "0o600"
    assert load_snapshot(archive).manifest.hosts["k2"].status.value == "unreachable"


def test_the_playbook_process_gets_no_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant")
    monkeypatch.setenv("ANSIBLE_VAULT_PASSWORD", "x")
    monkeypatch.setenv("ANSIBLE_FORKS", "7")
    with scrubbed_environ() as env:
        assert "OPENAI_API_KEY" not in os.environ and "ANTHROPIC_API_KEY" not in env
        assert "ANSIBLE_VAULT_PASSWORD" not in env and env["ANSIBLE_FORKS"] == "7" and "PATH" in env
    assert os.environ["OPENAI_API_KEY"] == "sk-test"


def test_progress_follows_runner_events() -> None:
    progress, events = Progress(), queue.Queue()
    handle = _on_event(progress, events)
    for event in (
        {"event": "playbook_on_play_start", "event_data": {"play": "KafkaPilot | phase 3 | per host"}},
        {"event": "playbook_on_task_start", "event_data": {"task": "Phase 3 | Collect"}},
        {"event": "runner_on_start", "event_data": {"host": "k1"}},
        {"event": "runner_on_start", "event_data": {"host": "k2"}},
        {"event": "runner_on_ok", "event_data": {"host": "k2", "task_action": "kafkapilot.kafkapilot.probe",
                                                 "res": {"reachable": False, "reason": "bastion unreachable"}}},
        {"event": "runner_on_ok", "event_data": {"host": "k1", "task_action": "kafkapilot.kafkapilot.host_facts",
                                                 "res": {"host_entry": {"status": "ok"}}}},
        {"event": "playbook_on_stats",
         "event_data": {"changed": {}, "artifact_data": {"kafkapilot_snapshot": {"path": "/s"}}}},
    ):
        assert handle(event) is False  # nothing is written to runner's artifacts
    console = Console(record=True, width=120)
    console.print(_render(progress, 0.0))
    text = console.export_text()
    assert "phase 3 | per host" in text and "2/2 done" in text and "bastion unreachable" in text
    assert progress.summary == {"path": "/s"} and events.qsize() == 7
