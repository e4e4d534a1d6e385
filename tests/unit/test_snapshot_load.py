"""Loading snapshots: artifacts by logical name, absence as a reason, no escape from the root."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from kafkapilot.snapshot.load import Snapshot, load_snapshot, unavailable_reason
from kafkapilot.snapshot.write import materialize
from tests.factory.cluster_spec import cluster_spec


def test_reads_artifacts_by_name(tmp_path: Path) -> None:
    snapshot = load_snapshot(materialize(cluster_spec(), tmp_path / "s"))
    limits = snapshot.host_artifact("kafka-2", "process_limits", instance="kafka")
    assert "Max open files" in (snapshot.text(limits) or "")
    assert snapshot.host_artifact("kafka-2", "no_such_artifact") is None
    assert unavailable_reason(None, "jstat_gc") == "not collected: jstat_gc is not in the snapshot"


def _assert_refused_as_outside(snapshot: Snapshot) -> None:
    """Refused at load, as that artifact's problem (the others read as usual): never read, never an error."""
    artifact = snapshot.manifest.hosts["kafka-1"].artifacts[0]
    assert artifact.status.value == "failed" and "points outside the snapshot" in (artifact.error or "")
    assert snapshot.text(artifact) is None
    assert len(snapshot.refused) == 1 and snapshot.refused[0].startswith("kafka-1: ")


def test_artifact_path_outside_the_snapshot_is_refused(tmp_path: Path) -> None:
    root = materialize(cluster_spec(brokers=1), tmp_path / "s")
    (tmp_path / "secret.txt").write_text("outside")
    manifest = json.loads((root / "snapshot.json").read_text())
    manifest["hosts"]["kafka-1"]["artifacts"][0]["path"] = "../secret.txt"
    (root / "snapshot.json").write_text(json.dumps(manifest))
    _assert_refused_as_outside(load_snapshot(root))


@pytest.mark.parametrize("spelling", ["./{p}", "{d}//{f}", "{d}/./{f}", "elsewhere/../{p}"])
def test_artifact_paths_not_in_plain_form_are_normalised(tmp_path: Path, spelling: str) -> None:
    """A plain relative path is joined as it is (what collections write); any other goes through normpath."""
    root = materialize(cluster_spec(brokers=1), tmp_path / "s")
    manifest = json.loads((root / "snapshot.json").read_text())
    artifact = manifest["hosts"]["kafka-1"]["artifacts"][0]
    plain = artifact["path"]
    directory, _, name = plain.rpartition("/")
    expected = load_snapshot(root).text(load_snapshot(root).manifest.hosts["kafka-1"].artifacts[0])
    artifact["path"] = spelling.format(p=plain, d=directory, f=name)
    (root / "snapshot.json").write_text(json.dumps(manifest))
    snapshot = load_snapshot(root)
    assert expected is not None
    assert snapshot.text(snapshot.manifest.hosts["kafka-1"].artifacts[0]) == expected
    artifact["path"] = f"{directory}/../../../../{plain}"  # back above the root
    (root / "snapshot.json").write_text(json.dumps(manifest))
    _assert_refused_as_outside(load_snapshot(root))


def test_tar_gz_snapshot(tmp_path: Path) -> None:
    root = materialize(cluster_spec(brokers=1), tmp_path / "kafka-snapshot-x")
    archive = tmp_path / "snap.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(root, arcname=root.name)
    snapshot = load_snapshot(archive)
    assert list(snapshot.hosts) == ["kafka-1"]


def test_relative_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    materialize(cluster_spec(brokers=1), tmp_path / "rel")
    monkeypatch.chdir(tmp_path)
    snapshot = load_snapshot(Path("rel"))
    assert snapshot.text(snapshot.host_artifact("kafka-1", "nproc")) == "8\n"
