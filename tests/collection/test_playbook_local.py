"""collect.yml end to end without the lab: `kafkapilot collect` over a local connection to a
Kafka-shaped JVM, plus a host whose sshd refuses. Proves the roles, plugins and runner wiring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kafkapilot.snapshot.load import load_snapshot
from tests.collection.fake_kafka import PLANTED, FakeNode, local_inventory

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_kafkapilot_collect_local(tmp_path: Path, fake_node: tuple[FakeNode, dict[str, Path]]) -> None:
    _, paths = fake_node
    inventory = local_inventory(tmp_path / "hosts.yml", paths, sys.executable)
    out = tmp_path / "out" / "new"  # does not exist: the playbook creates it, 0700
    env = {**os.environ, "OPENAI_API_KEY": "sk-must-not-reach-ansible"}
    result = subprocess.run([str(Path(sys.executable).with_name("kafkapilot")), "collect", "-i", str(inventory), "-o",
                             str(out), "--archive"], capture_output=True, text=True, env=env, timeout=600, check=False)
    assert result.returncode == 4, result.stderr  # written, but one host unreachable
    snapshot_dir = Path(result.stdout.strip().splitlines()[-1])
    assert snapshot_dir.parent == out and oct(snapshot_dir.stat().st_mode & 0o777) == "0o700"
    assert oct(out.stat().st_mode & 0o777) == "0o700" and oct(out.parent.stat().st_mode & 0o777) == "0o700"
    assert "kafkapilot-analyse" in result.stderr and "dead1: unreachable: ssh: 127.0.0.254 port 1" in result.stderr
    snapshot = load_snapshot(snapshot_dir)
    hosts = snapshot.manifest.hosts
    assert hosts["local1"].status.value in ("ok", "partial") and hosts["local1"].transport == "module"
    assert hosts["dead1"].status.value == "unreachable" and "connection refused" in (hosts["dead1"].reason or "")
    assert [p.main_class for p in hosts["local1"].processes] == ["kafka.Kafka"]
    assert {p.name for p in snapshot.manifest.phases} >= {"connectivity", "per_host", "cluster_wide", "manifest"}
    assert snapshot.manifest.redactions_total >= 8
    assert snapshot_dir.with_name(snapshot_dir.name + ".tar.gz").is_file()
    blob = "\n".join(p.read_text(errors="replace") for p in snapshot_dir.rglob("*") if p.is_file())
    assert not [where for where, secret in PLANTED.items() if secret in blob]
    analysed = subprocess.run([str(Path(sys.executable).with_name("kafkapilot-analyse")), str(snapshot_dir),
                               "-r", "json"],
                              capture_output=True, text=True, timeout=300, check=False)
    assert analysed.returncode == 0, analysed.stderr
    assert json.loads(analysed.stdout)["findings"]
