"""Loading snapshots: artifacts by logical name, absence as a reason, no escape from the root."""

from __future__ import annotations

import json
import tarfile
import tempfile
from pathlib import Path

import pytest

from kafkapilot.errors import KafkaPilotError
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


def _archive(tmp_path: Path, *, extra: int = 0, extra_size: int = 0) -> Path:
    root = materialize(cluster_spec(brokers=1), tmp_path / "kafka-snapshot-x")
    for n in range(extra):
        (root / f"filler-{n}").write_bytes(b"\0" * extra_size)
    archive = tmp_path / "snap.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(root, arcname=root.name)
    return archive


def _unpacked_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("kafkapilot-snapshot-*")}


def test_an_unpacked_archive_is_removed_when_the_snapshot_is_closed(tmp_path: Path) -> None:
    before = _unpacked_dirs()
    with load_snapshot(_archive(tmp_path)) as snapshot:
        assert snapshot.unpacked is not None and snapshot.unpacked.is_dir()
        assert snapshot.text(snapshot.host_artifact("kafka-1", "nproc")) == "8\n"
    assert _unpacked_dirs() == before


def test_an_archive_beyond_the_caps_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """A gzip bomb: 40 MB of zeros compress to almost nothing; the members' declared sizes give it away."""
    archive = _archive(tmp_path, extra=4, extra_size=10 * 1024 * 1024)
    assert archive.stat().st_size < 1024 * 1024
    before = _unpacked_dirs()
    with pytest.raises(KafkaPilotError, match=r"unpacks to more than 20,000,000 bytes"):
        load_snapshot(archive, max_archive_bytes=20_000_000)
    with pytest.raises(KafkaPilotError, match=r"more than 10 members"):
        load_snapshot(archive, max_archive_members=10)
    assert _unpacked_dirs() == before  # nothing left behind
    with load_snapshot(archive) as snapshot:  # within the default caps
        assert list(snapshot.hosts) == ["kafka-1"]


def test_a_broken_archive_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    before = _unpacked_dirs()
    with pytest.raises(KafkaPilotError) as caught:
        load_snapshot(broken)
    assert len(str(caught.value).splitlines()) == 1
    assert _unpacked_dirs() == before
