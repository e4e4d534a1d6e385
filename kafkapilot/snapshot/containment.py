"""A snapshot cannot reach outside itself: every content file an artifact names is checked once, at load.

A snapshot is often made by someone else (a vendor's ticket, a colleague's laptop). Its manifest names
content files by relative paths; a hostile or broken snapshot could name one through a symbolic link (to
/etc/shadow, to ~/.ssh), a FIFO (the analysis would wait for ever), a device or a path that climbs out
with `..`. Each such artifact is refused: it becomes that artifact's problem, status `failed` with the
reason and no path, so the checks that need it skip with "not collected: NAME failed: refused: …" and
every other artifact is read as usual. A content file listed but absent is the same kind of problem.

The check costs one lstat per artifact and one per directory (a 1000-broker snapshot: about 22,000).
"""

from __future__ import annotations

import os
import stat
from typing import Final

from kafkapilot.snapshot.manifest import Artifact, ArtifactStatus, Manifest

__all__ = ["refuse_unsafe_artifacts", "unsafe_reason"]

_REFUSED: Final = "refused: "


class _Tree:
    """The snapshot's directories, each checked once: a real directory, no link, inside the root."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._checked: dict[str, str | None] = {root: None}

    def directory_problem(self, directory: str) -> str | None:
        if directory in self._checked:
            return self._checked[directory]
        parent = os.path.dirname(directory)
        problem = self.directory_problem(parent) if parent != directory else None
        if problem is None:
            try:
                mode = os.lstat(directory).st_mode
            except OSError as exc:
                problem = f"{_relative(self.root, directory)}: {exc.strerror.lower()}"
            else:
                if stat.S_ISLNK(mode):
                    problem = f"{_relative(self.root, directory)} is a symbolic link"
                elif not stat.S_ISDIR(mode):
                    problem = f"{_relative(self.root, directory)} is not a directory"
        self._checked[directory] = problem
        return problem


def _relative(root: str, path: str) -> str:
    return os.path.relpath(path, root)


def unsafe_reason(root: str, relative: str, tree: _Tree | None = None) -> str | None:
    """Why the content file `relative` (from the manifest) must not be read, or None when it is a regular
    file inside `root` reached without a link. `root` is absolute and normalised."""
    path = os.path.normpath(os.path.join(root, relative))
    if os.path.isabs(relative) or not path.startswith(root + os.sep):
        return f"{relative} points outside the snapshot"
    problem = (tree or _Tree(root)).directory_problem(os.path.dirname(path))
    if problem is not None:
        return problem
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return f"{relative} is listed in snapshot.json but not in the snapshot"
    except OSError as exc:
        return f"{relative}: {exc.strerror.lower()}"
    return _kind_problem(relative, mode)


def _kind_problem(relative: str, mode: int) -> str | None:
    if stat.S_ISLNK(mode):
        return f"{relative} is a symbolic link"
    if not stat.S_ISREG(mode):
        return f"{relative} is not a regular file (a FIFO, socket or device)"
    return None


def _checked(artifact: Artifact, root: str, tree: _Tree) -> Artifact:
    if artifact.status is not ArtifactStatus.OK or not artifact.path:
        return artifact
    reason = unsafe_reason(root, artifact.path, tree)
    if reason is None:
        return artifact
    return artifact.model_copy(update={"status": ArtifactStatus.FAILED, "path": None,
                                       "error": f"{_REFUSED}{reason} (a snapshot is read without following links)"})


def refuse_unsafe_artifacts(root: str, manifest: Manifest) -> tuple[Manifest, list[str]]:
    """`manifest` with every artifact whose content file is unsafe refused (see the module), and one line per
    refusal naming the host and artifact. The manifest is returned unchanged (the same object) when all is well."""
    tree = _Tree(root)
    refused: list[str] = []
    hosts = {}
    for name, entry in manifest.hosts.items():
        artifacts = [_checked(a, root, tree) for a in entry.artifacts]
        changed = [new for old, new in zip(entry.artifacts, artifacts, strict=True) if new is not old]
        refused += [f"{name}: {a.name}: {a.error}" for a in changed]
        hosts[name] = entry.model_copy(update={"artifacts": artifacts}) if changed else entry
    cluster = [_checked(a, root, tree) for a in manifest.cluster_artifacts]
    changed_cluster = [new for old, new in zip(manifest.cluster_artifacts, cluster, strict=True) if new is not old]
    refused += [f"cluster: {a.name}: {a.error}" for a in changed_cluster]
    if not refused:
        return manifest, []
    return manifest.model_copy(update={"hosts": hosts, "cluster_artifacts": cluster}), refused
