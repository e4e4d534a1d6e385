"""Open a snapshot directory (or .tar.gz) and read its artifacts by logical name."""

from __future__ import annotations

import functools
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from pydantic import ValidationError

from kafkapilot.errors import KafkaPilotError
from kafkapilot.snapshot.manifest import SUPPORTED_MAJOR, Artifact, ArtifactStatus, HostEntry, Manifest

__all__ = ["MANIFEST_NAME", "Snapshot", "load_snapshot", "unavailable_reason"]

MANIFEST_NAME: Final = "snapshot.json"
_MAX_CONTENT_BYTES: Final = 256 * 1024 * 1024


@dataclass
class Snapshot:
    """A loaded snapshot: the manifest plus lazy, cached access to artifact contents."""

    root: Path
    manifest: Manifest
    _cache: dict[str, str] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def _normalised_root(self) -> Path:
        return Path(os.path.normpath(self.root.absolute()))

    @property
    def hosts(self) -> dict[str, HostEntry]:
        """Inventory hostname → host entry, in a stable (sorted) order."""
        return dict(sorted(self.manifest.hosts.items()))

    def host_artifacts(
        self, host: str, name: str, *, instance: str | None = None, any_instance: bool = False
    ) -> list[Artifact]:
        """All artifacts called `name` on `host` (for one process instance, or host-level ones)."""
        entry = self.manifest.hosts.get(host)
        if entry is None:
            return []
        return sorted(
            (a for a in entry.artifacts if a.name == name and (any_instance or a.instance == instance)),
            key=lambda a: (a.instance or "", a.key or ""),
        )

    def host_artifact(self, host: str, name: str, *, instance: str | None = None) -> Artifact | None:
        """The first artifact called `name` on `host`, or None when the collection has no entry for it."""
        found = self.host_artifacts(host, name, instance=instance)
        return found[0] if found else None

    def cluster_artifact(self, name: str) -> Artifact | None:
        """A cluster-wide artifact by name, or None."""
        return next((a for a in self.manifest.cluster_artifacts if a.name == name), None)

    def text(self, artifact: Artifact | None) -> str | None:
        """The content of an artifact that was collected, or None when there is none."""
        if artifact is None or artifact.status is not ArtifactStatus.OK or not artifact.path:
            return None
        if artifact.path in self._cache:
            return self._cache[artifact.path]
        path = Path(os.path.normpath(self._normalised_root / artifact.path))
        if not path.is_relative_to(self._normalised_root):
            raise KafkaPilotError(
                f"artifact {artifact.name} points outside the snapshot: {artifact.path}",
                where=str(self.root / MANIFEST_NAME),
            )
        try:
            with path.open("rb") as handle:
                data = handle.read(_MAX_CONTENT_BYTES)
        except OSError as exc:
            raise KafkaPilotError(
                f"artifact {artifact.name} is listed but cannot be read: {exc.strerror}",
                where=str(path),
                hint="the snapshot is incomplete; collect it again",
            ) from None
        content = data.decode("utf-8", errors="replace")
        self._cache[artifact.path] = content
        return content


def unavailable_reason(artifact: Artifact | None, name: str) -> str:
    """Why an artifact has no usable content, as the one phrase checks report when they skip."""
    if artifact is None:
        return f"not collected: {name} is not in the snapshot"
    detail = f": {artifact.error}" if artifact.error else ""
    return f"not collected: {name} {artifact.status.value}{detail}"


def load_snapshot(path: Path) -> Snapshot:
    """Load a snapshot directory or a .tar.gz of one; raise KafkaPilotError with a one-line reason."""
    if not path.exists():
        raise KafkaPilotError("no such file or directory", where=str(path))
    if path.is_file() and tarfile.is_tarfile(path):
        path = _extract(path)
    if not path.is_dir():
        raise KafkaPilotError("not a snapshot directory or .tar.gz archive", where=str(path))
    manifest_path = path / MANIFEST_NAME
    if not manifest_path.is_file():
        raise KafkaPilotError(
            f"not a KafkaPilot snapshot: {MANIFEST_NAME} is missing",
            where=str(path),
            hint="give the directory written by `ansible-playbook collect.yml`, or try --example",
        )
    return Snapshot(root=path, manifest=_read_manifest(manifest_path))


def _read_manifest(manifest_path: Path) -> Manifest:
    try:
        raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise KafkaPilotError(f"invalid JSON: {exc.msg}", where=f"{manifest_path}:{exc.lineno}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KafkaPilotError(f"cannot read the manifest: {exc}", where=str(manifest_path)) from None
    if not isinstance(raw, dict) or raw.get("kind") != "kafkapilot-snapshot":
        raise KafkaPilotError(
            'not a KafkaPilot snapshot manifest (no "kind": "kafkapilot-snapshot")', where=str(manifest_path)
        )
    version = str(raw.get("format_version", ""))
    major = version.split(".", 1)[0]
    if not major.isdigit() or int(major) != SUPPORTED_MAJOR:
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


def _extract(archive: Path) -> Path:
    target = Path(tempfile.mkdtemp(prefix="kafkapilot-snapshot-"))
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise KafkaPilotError(f"cannot unpack the archive: {exc}", where=str(archive)) from None
    manifests = sorted(target.rglob(MANIFEST_NAME), key=lambda p: len(p.parts))
    return manifests[0].parent if manifests else target
