"""A snapshot cannot reach outside itself: links, special files and climbing paths are that artifact's problem."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.errors import KafkaPilotError
from kafkapilot.report.render_json import render_json
from kafkapilot.report.render_terminal import render_terminal_text
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec

CATALOG = load_catalog(default_tasks_dir())
OUTSIDE = "OUTSIDE-THE-SNAPSHOT-7f3a"


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return materialize(fixture_spec({"base": "kraft3"}), tmp_path / "snapshot")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the snapshot holding what must never reach a report."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "server.properties").write_text(f"node.id=1\nprocess.roles=broker\nleak.marker={OUTSIDE}\n")
    (folder / "server.log").write_text(f"[2026-11-26 13:00:00,000] ERROR {OUTSIDE} (kafka.server.KafkaServer)\n")
    return folder


def _artifact_path(snapshot: Path, host: str, name: str) -> Path:
    manifest = json.loads((snapshot / "snapshot.json").read_text())
    (entry,) = [a for a in manifest["hosts"][host]["artifacts"] if a["name"] == name and a.get("path")][:1]
    return snapshot / entry["path"]


def _reports(snapshot: Path) -> tuple[str, str, tuple[str, ...]]:
    report = analyse(snapshot, CATALOG, Selection(), EngineOptions())
    return render_json(report), render_terminal_text(report, width=200), report.errors


def _replace_with_link(path: Path, target: Path) -> None:
    path.unlink()
    path.symlink_to(target)


def test_a_file_linked_outside_is_refused_and_nothing_of_it_reaches_a_report(snapshot: Path, outside: Path) -> None:
    server = _artifact_path(snapshot, "kafka-1", "server_properties")
    _replace_with_link(server, outside / "server.properties")
    json_text, terminal, errors = _reports(snapshot)
    assert OUTSIDE not in json_text and OUTSIDE not in terminal
    relative = server.relative_to(snapshot)
    assert f"snapshot: kafka-1: server_properties: refused: {relative} is a symbolic link" in " ".join(errors)
    # the checks that need it skip, naming the artifact; kafka-2 and kafka-3 are still judged
    assert "kafka-1: not collected: server_properties failed: refused:" in terminal
    loaded = load_snapshot(snapshot)
    assert loaded.text(loaded.host_artifact("kafka-2", "server_properties", instance="kafka"))


def test_a_linked_directory_is_refused_for_every_file_under_it(snapshot: Path, outside: Path) -> None:
    server = _artifact_path(snapshot, "kafka-1", "server_properties")
    config_dir = server.parent
    (outside / "conf").mkdir()
    for child in config_dir.iterdir():
        (outside / "conf" / child.name).write_bytes(child.read_bytes() + f"\n# {OUTSIDE}\n".encode())
    for child in config_dir.iterdir():
        child.unlink()
    config_dir.rmdir()
    config_dir.symlink_to(outside / "conf")
    json_text, terminal, errors = _reports(snapshot)
    assert OUTSIDE not in json_text and OUTSIDE not in terminal
    assert any(f"{config_dir.relative_to(snapshot)} is a symbolic link" in e for e in errors), errors


def test_a_fifo_is_refused_and_the_analysis_does_not_wait_for_it(snapshot: Path) -> None:
    server = _artifact_path(snapshot, "kafka-2", "server_properties")
    server.unlink()
    os.mkfifo(server)
    done: list[tuple] = []
    worker = threading.Thread(target=lambda: done.append(_reports(snapshot)), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert done, "the analysis waited on a FIFO"
    assert any("is not a regular file (a FIFO, socket or device)" in e for e in done[0][2])


@pytest.mark.usefixtures("outside")
def test_a_path_climbing_out_and_a_missing_file_are_that_artifacts_problem(snapshot: Path) -> None:
    manifest_file = snapshot / "snapshot.json"
    manifest = json.loads(manifest_file.read_text())
    for artifact in manifest["hosts"]["kafka-1"]["artifacts"]:
        if artifact["name"] == "server_properties":
            artifact["path"] = "../outside/server.properties"
        if artifact["name"] == "sysctl":
            artifact["path"] = "hosts/kafka-1/gone.txt"
    manifest_file.write_text(json.dumps(manifest))
    json_text, _, errors = _reports(snapshot)
    assert OUTSIDE not in json_text
    text = " ".join(errors)
    assert "kafka-1: server_properties: refused: ../outside/server.properties points outside the snapshot" in text
    assert "kafka-1: sysctl: refused: hosts/kafka-1/gone.txt is listed in snapshot.json but not in the snapshot" in text


def test_a_linked_manifest_is_one_line_error(snapshot: Path, outside: Path) -> None:
    (outside / "snapshot.json").write_bytes((snapshot / "snapshot.json").read_bytes())
    _replace_with_link(snapshot / "snapshot.json", outside / "snapshot.json")
    with pytest.raises(KafkaPilotError, match=r"snapshot\.json is a symbolic link"):
        load_snapshot(snapshot)


def test_a_clean_snapshot_refuses_nothing_and_keeps_its_manifest(snapshot: Path) -> None:
    loaded = load_snapshot(snapshot)
    assert loaded.refused == ()
