"""Open a snapshot directory (or .tar.gz) and read its artifacts by logical name."""

from __future__ import annotations

import errno
import functools
import json
import os
import re
import shutil
import stat
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pydantic import ValidationError

from kafkapilot import artifacts as registry
from kafkapilot.errors import KafkaPilotError
from kafkapilot.snapshot.containment import refuse_unsafe_artifacts
from kafkapilot.snapshot.manifest import SUPPORTED_MAJOR, Artifact, ArtifactStatus, HostEntry, Manifest

__all__ = ["MANIFEST_NAME", "MAX_ARTIFACT_BYTES", "Snapshot", "load_snapshot", "unavailable_reason"]

MANIFEST_NAME: Final = "snapshot.json"
MAX_ARCHIVE_BYTES: Final = 2 * 1024**3  # what a .tar.gz may unpack to (the sizes its members declare)
MAX_ARCHIVE_MEMBERS: Final = 500_000  # a 1000-broker snapshot has about 25,000 files
MAX_ARTIFACT_BYTES: Final = 64 * 1024**2  # what is read of one artifact: a log's last, anything else's first
# A relative path of names that normpath leaves unchanged: no empty, `.` or `..` part (none starts with a dot)
_PLAIN: Final = re.compile(r"[^/.\x00][^/\x00]*(?:/[^/.\x00][^/\x00]*)*")


@dataclass
class Snapshot:
    """A loaded snapshot: the manifest plus access to artifact contents by logical name.

    Contents are read from disk each time they are asked for (nothing is kept: a 1000-broker
    snapshot holds hundreds of MB); the facts read each artifact once, through FactReader.
    """

    root: Path
    manifest: Manifest
    refused: tuple[str, ...] = ()  # artifacts refused at load (links, special files …): host: name: reason
    unpacked: Path | None = None  # the temporary directory a .tar.gz was unpacked into: removed by close()
    max_artifact_bytes: int = MAX_ARTIFACT_BYTES
    cut: dict[str, str] = field(default_factory=dict)  # artifact path → what was read of it (above the cap)

    def close(self) -> None:
        """Remove what loading a .tar.gz unpacked (a snapshot holds an operator's data); idempotent."""
        if self.unpacked is not None:
            shutil.rmtree(self.unpacked, ignore_errors=True)
            self.unpacked = None

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @functools.cached_property
    def _normalised_root(self) -> str:
        return os.path.normpath(self.root.absolute())

    @functools.cached_property
    def _index(self) -> dict[str, dict[str, list[Artifact]]]:
        """host → artifact name → artifacts, each list in a stable order (instance, key)."""
        index: dict[str, dict[str, list[Artifact]]] = {}
        for host, entry in self.manifest.hosts.items():
            by_name: dict[str, list[Artifact]] = {}
            for artifact in entry.artifacts:
                by_name.setdefault(artifact.name, []).append(artifact)
            for artifacts in by_name.values():
                artifacts.sort(key=lambda a: (a.instance or "", a.key or ""))
            index[host] = by_name
        return index

    @property
    def hosts(self) -> dict[str, HostEntry]:
        """Inventory hostname → host entry, in a stable (sorted) order."""
        return dict(sorted(self.manifest.hosts.items()))

    def host_artifacts(
        self, host: str, name: str, *, instance: str | None = None, any_instance: bool = False
    ) -> list[Artifact]:
        """All artifacts called `name` on `host` (for one process instance, or host-level ones)."""
        found = self._index.get(host, {}).get(name, ())
        return [a for a in found if any_instance or a.instance == instance]

    def host_artifact(self, host: str, name: str, *, instance: str | None = None) -> Artifact | None:
        """The first artifact called `name` on `host`, or None when the collection has no entry for it."""
        for artifact in self._index.get(host, {}).get(name, ()):
            if artifact.instance == instance:
                return artifact
        return None

    def cluster_artifact(self, name: str) -> Artifact | None:
        """A cluster-wide artifact by name, or None."""
        return next((a for a in self.manifest.cluster_artifacts if a.name == name), None)

    def text(self, artifact: Artifact | None) -> str | None:
        """The content of an artifact that was collected, or None when there is none."""
        if artifact is None or artifact.status is not ArtifactStatus.OK or not artifact.path:
            return None
        root = self._normalised_root
        relative = artifact.path
        if root != os.sep and _PLAIN.fullmatch(relative):  # what collections write: normpath would leave it so
            path = f"{root}{os.sep}{relative}"
        else:
            path = os.path.normpath(os.path.join(root, relative))
        if not path.startswith(root + os.sep) and path != root:
            raise KafkaPilotError(
                f"artifact {artifact.name} points outside the snapshot: {artifact.path}",
                where=str(self.root / MANIFEST_NAME),
            )
        newest_last = _is_log(artifact.name)
        try:
            data, size = _read(path, self.max_artifact_bytes, tail=newest_last)
        except OSError as exc:
            raise KafkaPilotError(
                f"artifact {artifact.name} is listed but cannot be read: {exc.strerror}",
                where=path,
                hint="the snapshot is incomplete; collect it again",
            ) from None
        if size > len(data):
            data = _whole_lines(data, tail=newest_last)
            which = "last" if newest_last else "first"
            why = "a log: the newest lines" if newest_last else "the oldest lines are first"
            self.cut[artifact.path] = (f"{artifact.name} is {size:,} bytes; read its {which} {len(data):,} "
                                       f"({why}; at most {self.max_artifact_bytes:,} bytes of one artifact are read)")
        return data.decode("utf-8", errors="replace")


@functools.cache
def _is_log(name: str) -> bool:
    """Artifacts whose newest lines are at the end (those collected within a time window: logs, the journal)."""
    spec = registry.artifacts().get(name)
    return spec is not None and "window_hours" in spec.limits


def _whole_lines(data: bytes, *, tail: bool) -> bytes:
    """A cut read without its partial line: the first one of a tail, the last one of a head."""
    if tail:
        newline = data.find(b"\n")
        return data[newline + 1:] if newline >= 0 else data
    newline = data.rfind(b"\n")
    return data[:newline + 1] if newline >= 0 else data


def _read(path: str, cap: int, *, tail: bool = False) -> tuple[bytes, int]:
    """(at most `cap` bytes of a file, its size): the first ones, or the last ones with `tail`
    (os.read: a third of the cost of open() for small files)."""
    # no link followed, no wait on a FIFO, nothing but a regular file (load_snapshot refused the others already)
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        wanted = min(status.st_size, cap)
        if tail and status.st_size > cap:
            os.lseek(descriptor, status.st_size - cap, os.SEEK_SET)
        chunks = [os.read(descriptor, wanted)]
        total = len(chunks[0])
        while total < wanted and (chunk := os.read(descriptor, wanted - total)):  # a short read: go on
            chunks.append(chunk)
            total += len(chunk)
        return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), status.st_size
    finally:
        os.close(descriptor)


def unavailable_reason(artifact: Artifact | None, name: str) -> str:
    """Why an artifact has no usable content, as the one phrase checks report when they skip."""
    if artifact is None:
        return f"not collected: {name} is not in the snapshot"
    detail = f": {artifact.error}" if artifact.error else ""
    return f"not collected: {name} {artifact.status.value}{detail}"


def load_snapshot(path: Path, *, max_archive_bytes: int = MAX_ARCHIVE_BYTES,
                  max_archive_members: int = MAX_ARCHIVE_MEMBERS,
                  max_artifact_bytes: int = MAX_ARTIFACT_BYTES) -> Snapshot:
    """Load a snapshot directory or a .tar.gz of one; raise KafkaPilotError with a one-line reason.

    A .tar.gz is unpacked into a temporary directory (data files only: tarfile's "data" filter), within caps
    on the total size its members declare and on their number; close() the snapshot (or use it as a
    context manager) to remove it, which a failed load does itself. Of one artifact at most
    `max_artifact_bytes` are read: a log's last ones, any other's first ones (Snapshot.cut says which)."""
    if not path.exists():
        raise KafkaPilotError("no such file or directory", where=str(path))
    unpacked = None
    if path.is_file() and tarfile.is_tarfile(path):
        unpacked = _extract(path, max_bytes=max_archive_bytes, max_members=max_archive_members)
        path = _snapshot_root(unpacked)
    try:
        snapshot = _load_directory(path, unpacked)
    except BaseException:
        if unpacked is not None:
            shutil.rmtree(unpacked, ignore_errors=True)
        raise
    snapshot.max_artifact_bytes = max_artifact_bytes
    return snapshot


def _load_directory(path: Path, unpacked: Path | None) -> Snapshot:
    if not path.is_dir():
        raise KafkaPilotError("not a snapshot directory or .tar.gz archive", where=str(path))
    manifest_path = path / MANIFEST_NAME
    if not manifest_path.is_file():
        raise KafkaPilotError(
            f"not a KafkaPilot snapshot: {MANIFEST_NAME} is missing",
            where=str(path),
            hint="give the directory written by `ansible-playbook collect.yml`, or try --example",
        )
    if manifest_path.is_symlink():
        raise KafkaPilotError(f"{MANIFEST_NAME} is a symbolic link; a snapshot is read without following links",
                              where=str(manifest_path))
    manifest, refused = refuse_unsafe_artifacts(os.path.normpath(path.absolute()), _read_manifest(manifest_path))
    return Snapshot(root=path, manifest=manifest, refused=tuple(refused), unpacked=unpacked)


def _read_manifest(manifest_path: Path) -> Manifest:
    try:
        data = manifest_path.read_bytes()
    except OSError as exc:
        raise KafkaPilotError(f"cannot read the manifest: {exc}", where=str(manifest_path)) from None
    try:  # the common case in one pass (pydantic's JSON parser): a third of json.loads + validate
        manifest = Manifest.model_validate_json(data)
    except ValidationError:
        manifest = None
    if manifest is not None and _supported(manifest.format_version):
        return manifest
    return _explain_manifest(manifest_path, data)


def _supported(version: str) -> bool:
    major = version.split(".", 1)[0]
    return major.isdigit() and int(major) == SUPPORTED_MAJOR


def _explain_manifest(manifest_path: Path, data: bytes) -> Manifest:
    """The manifest did not validate: say why in one line (or return it, if it does after all)."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise KafkaPilotError(f"invalid JSON: {exc.msg}", where=f"{manifest_path}:{exc.lineno}") from None
    except UnicodeDecodeError as exc:
        raise KafkaPilotError(f"cannot read the manifest: {exc}", where=str(manifest_path)) from None
    if not isinstance(raw, dict) or raw.get("kind") != "kafkapilot-snapshot":
        raise KafkaPilotError(
            'not a KafkaPilot snapshot manifest (no "kind": "kafkapilot-snapshot")', where=str(manifest_path)
        )
    version = str(raw.get("format_version", ""))
    if not _supported(version):
        raise KafkaPilotError(
            f"snapshot format_version {version or '(none)'} is not supported",
            where=str(manifest_path),
            hint=f"this kafkapilot reads format {SUPPORTED_MAJOR}.x; upgrade kafkapilot or collect again",
        )
    try:
        return Manifest.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        raise KafkaPilotError(f"invalid manifest at {location}: {first['msg']}", where=str(manifest_path)) from None


def _extract(archive: Path, *, max_bytes: int, max_members: int) -> Path:
    """Unpack `archive` into a new temporary directory, or raise KafkaPilotError (the directory removed)."""
    target = Path(tempfile.mkdtemp(prefix="kafkapilot-snapshot-"))
    try:
        with tarfile.open(archive) as tar:
            members, total = [], 0
            for member in tar:  # headers only: a bomb is refused before anything is written
                members.append(member)
                total += max(member.size, 0)
                if len(members) > max_members:
                    raise KafkaPilotError(f"the archive holds more than {max_members:,} members", where=str(archive),
                                          hint="a snapshot has a few per artifact; unpack it yourself if it is yours")
                if total > max_bytes:
                    raise KafkaPilotError(f"the archive unpacks to more than {max_bytes:,} bytes", where=str(archive),
                                          hint="raise the cap (--max-archive-bytes) if the snapshot is yours")
            tar.extractall(target, members=members, filter="data")
    except KafkaPilotError:
        shutil.rmtree(target, ignore_errors=True)
        raise
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise KafkaPilotError(f"cannot unpack the archive: {exc}", where=str(archive)) from None
    except BaseException:  # Ctrl-C while unpacking: nothing left behind
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _snapshot_root(unpacked: Path) -> Path:
    manifests = sorted(unpacked.rglob(MANIFEST_NAME), key=lambda p: len(p.parts))
    return manifests[0].parent if manifests else unpacked
