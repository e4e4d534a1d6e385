"""The cases of the catalog's checks: tests/fixtures/tasks/<task_id>/<case>.yaml, and a fast writer for them.

A case file is a fixture (tests/factory/fixtures.py) plus what the check must conclude on it::

    # one line: what this case proves
    base: kraft3
    patches: [...]
    params: {max_partitions_per_cluster: 50}   # optional: the task's parameters for this case
    expect:
      status: fail                             # fail | pass | skipped | error
      severity: medium                         # required with fail
      hosts: [kafka-3]                         # optional: exactly the hosts of the finding
      evidence_contains: ["kafka-3: 3 full"]   # optional: each is part of some evidence message
      summary_contains: ["not collected: "]    # optional: each is part of the summary

`fires.yaml` and `quiet.yaml` need no `expect`: quiet passes; fires fails at the task's severity,
or at one its check declares in `severity_when` (any, for a Python rule) unless its `expect` pins
one. An `expect` there may add a severity, hosts or texts, never another status.

`SnapshotWriter` writes the snapshots of many cases fast: each base is materialised once, and a
case writes its manifest and the artifacts its patches changed, and lists its other artifacts in
the base's files (through a link in its root). The real loader reads it like any snapshot.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kafkapilot.catalog.schema import Task
from kafkapilot.findings import Finding, Severity, Status
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import YAML_LOADER, FixtureError, base_key, base_spec, fixture_spec

__all__ = ["DEFAULTS", "Case", "Expect", "SnapshotWriter", "declared_severities", "load_case", "load_cases",
           "mismatches"]

#: the file names whose expectation is implied
DEFAULTS = ("fires", "quiet")
_EXPECT_KEYS = frozenset({"status", "severity", "hosts", "evidence_contains", "summary_contains"})


@dataclass(frozen=True)
class Expect:
    """What the check must conclude on a case."""

    status: Status
    severities: frozenset[Severity] = frozenset()  # one of them (a fail); empty for the other statuses
    hosts: tuple[str, ...] | None = None
    evidence_contains: tuple[str, ...] = ()
    summary_contains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    task_id: str
    name: str
    path: Path
    fixture: dict[str, Any] = field(repr=False)
    params: dict[str, Any]
    expect: Expect

    @property
    def id(self) -> str:
        return f"{self.task_id}/{self.name}"


def _texts(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, ())
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise FixtureError(f"expect.{key} is a list of strings")
    return tuple(value)


def declared_severities(task: Task) -> frozenset[Severity]:
    """The severities a failing finding of `task` may have: its own and its check's `severity_when` ones."""
    if task.rule:  # a Python rule decides its severities
        return frozenset(Severity)
    return frozenset({task.severity, *(s.severity for s in (task.check.severity_when if task.check else ()))})


def _expect(raw: Any, name: str, task: Task) -> Expect:
    if raw is None and name not in DEFAULTS:
        raise FixtureError("a case needs `expect: {status: ...}` (only fires.yaml and quiet.yaml imply theirs)")
    raw = raw or {}
    if not isinstance(raw, dict) or set(raw) - _EXPECT_KEYS:
        raise FixtureError(f"expect takes {', '.join(sorted(_EXPECT_KEYS))}")
    implied = {"fires": "fail", "quiet": "pass"}.get(name)
    if implied and raw.get("status", implied) != implied:
        raise FixtureError(f"{name}.yaml means status {implied}; a case with another status needs its own file")
    try:
        status = Status(raw.get("status", implied))
        severity = Severity(raw["severity"]) if "severity" in raw else None
    except ValueError as exc:
        raise FixtureError(f"expect: {exc}") from None
    if severity is not None and status is not Status.FAIL:
        raise FixtureError("expect.severity goes with status fail only")
    if status is Status.FAIL and severity is None and name not in DEFAULTS:
        raise FixtureError("expect.severity is required with status fail")
    severities = frozenset({severity} if severity else declared_severities(task) if status is Status.FAIL else ())
    hosts = raw.get("hosts")
    return Expect(status=status, severities=severities, hosts=None if hosts is None else tuple(sorted(hosts)),
                  evidence_contains=_texts(raw, "evidence_contains"),
                  summary_contains=_texts(raw, "summary_contains"))


def load_case(path: Path, task: Task) -> Case:
    """The case in `path` (tests/fixtures/tasks/<task_id>/<name>.yaml); FixtureError names the file."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}  # noqa: S506 - a safe loader
        if not isinstance(data, dict):
            raise FixtureError("a case file is a mapping")
        base_key(data)  # unknown keys and bases fail here, before any snapshot is written
        expect = _expect(data.get("expect"), path.stem, task)
    except (FixtureError, yaml.YAMLError) as exc:
        raise FixtureError(f"{path}: {exc}") from None
    fixture = {k: v for k, v in data.items() if k not in {"params", "expect", "near_miss"}}
    return Case(task_id=path.parent.name, name=path.stem, path=path, fixture=fixture,
                params=dict(data.get("params") or {}), expect=expect)


def load_cases(fixtures_dir: Path, tasks: list[Task]) -> list[Case]:
    """Every case of `tasks`, by task id, fires and quiet first."""
    cases = []
    for task in sorted(tasks, key=lambda t: t.id):
        paths = sorted((fixtures_dir / task.id).glob("*.yaml"), key=lambda p: (p.stem not in DEFAULTS, p.stem))
        cases += [load_case(p, task) for p in paths]
    return cases


def mismatches(finding: Finding, expect: Expect) -> list[str]:
    """How `finding` differs from `expect` (empty when it matches)."""
    problems = []
    if finding.status is not expect.status:
        problems.append(f"status {finding.status.value}, expected {expect.status.value}")
    if expect.severities and finding.severity not in expect.severities:
        wanted = " or ".join(sorted(s.value for s in expect.severities))
        problems.append(f"severity {finding.severity.value}, expected {wanted}")
    if expect.hosts is not None and tuple(sorted(finding.hosts)) != expect.hosts:
        problems.append(f"hosts {sorted(finding.hosts)}, expected {list(expect.hosts)}")
    messages = [e.message for e in finding.evidence]
    problems += [f"no evidence message contains {text!r}" for text in expect.evidence_contains
                 if not any(text in m for m in messages)]
    problems += [f"the summary does not contain {text!r}" for text in expect.summary_contains
                 if text not in finding.summary]
    if finding.status is Status.FAIL:  # what every failing finding owes its reader
        if not finding.evidence or not all(messages):
            problems.append("a failing finding carries evidence, each with a message")
        if not finding.remediation.strip():
            problems.append("a failing finding carries a remediation")
    if problems:
        problems.append(f"summary: {finding.summary}; evidence: {messages}")
    return problems


_Identity = tuple[str, str, str | None, str | None]  # (host or "", name, instance, key)


def _artifacts(spec: dict[str, Any]) -> dict[_Identity, dict[str, Any]]:
    found = {("", a["name"], a.get("instance"), a.get("key")): a for a in spec.get("cluster", [])}
    for host, entry in spec.get("hosts", {}).items():
        found.update({(host, a["name"], a.get("instance"), a.get("key")): a for a in entry.get("artifacts", [])})
    return found


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another filesystem, or one without hard links
        shutil.copyfile(source, target)


@dataclass
class _Base:
    root: Path
    spec_artifacts: dict[_Identity, dict[str, Any]]
    listed: dict[_Identity, dict[str, Any]]  # as the base's manifest lists them (path, size, sha256 …)


class SnapshotWriter:
    """Writes case snapshots under `workdir`, sharing each base's unchanged files.

    A case's root holds `base/`, into which each unchanged artifact file of its base is hard-linked (not
    copied: a link per file instead of ~90 files written in ~100 directories, what the suite spent most
    of its system time on). Hard links, not a symbolic link to the base: the loader refuses any symbolic
    link inside a snapshot (kafkapilot/snapshot/containment.py), as it must for snapshots others made.
    """

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._bases: dict[Any, _Base] = {}

    def _base(self, data: dict[str, Any]) -> _Base:
        key = base_key(data)
        if key not in self._bases:
            spec = base_spec(data)
            root = materialize(spec, self.workdir / "bases" / f"{len(self._bases)}-{key[0]}")
            manifest = json.loads((root / "snapshot.json").read_text(encoding="utf-8"))
            listed = _artifacts({"cluster": manifest.get("cluster_artifacts", []), "hosts": manifest["hosts"]})
            self._bases[key] = _Base(root=root, spec_artifacts=_artifacts(spec), listed=listed)
        return self._bases[key]

    def write(self, data: dict[str, Any], target: Path) -> Path:
        """Write the snapshot of fixture `data` into `target` (a new directory); return it."""
        base = self._base(data)
        spec = fixture_spec(data)
        (target / "base").mkdir(parents=True)
        for n, (identity, artifact) in enumerate(_artifacts(spec).items()):
            if base.spec_artifacts.get(identity) != artifact or "path" not in base.listed[identity]:
                continue  # changed by the case (or no content): written as usual
            listed = base.listed[identity]
            path = f"base/{n}"
            _link(base.root / listed["path"], target / path)
            artifact.clear()
            artifact.update(listed, path=path)
        return materialize(spec, target)
