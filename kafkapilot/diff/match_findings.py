"""Findings of OLD and NEW paired by task id and subject (kafkapilot.findings.Subject.key), never by text.

A finding is one task's result; only failing findings are problems. A task failing on both sides is
*changed* when its severity or its subjects (what its evidence is about: hosts, nodes, topics, partitions,
groups, settings) differ, else *unchanged*. A task failing only in NEW is *new*; failing only in OLD and
passing in NEW, *resolved*. A task that failed in OLD but was skipped, errored or not run in NEW was not
judged again: it is *unverified*, never resolved; nor is one whose failure NEW waived (`waived: reason`).
A waiver may split a task's result into a failing and a waived finding: the failing one is the task's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from kafkapilot.findings import Finding, Severity, Status, Subject

__all__ = ["ChangedFinding", "FindingsDiff", "Unverified", "gating_findings", "match_findings"]

T = TypeVar("T")


def _subjects(finding: Finding) -> dict[tuple[str | int | None, ...], Subject]:
    return {subject.key: subject for subject in finding.subjects}


@dataclass(frozen=True)
class ChangedFinding:
    """A task failing on both sides with another severity or other subjects."""

    old: Finding
    new: Finding

    @property
    def subjects_added(self) -> tuple[Subject, ...]:
        """Subjects NEW fails on that OLD did not, in NEW's evidence order."""
        old = _subjects(self.old)
        return tuple(s for key, s in _subjects(self.new).items() if key not in old)

    @property
    def subjects_removed(self) -> tuple[Subject, ...]:
        """Subjects OLD failed on that NEW does not."""
        new = _subjects(self.new)
        return tuple(s for key, s in _subjects(self.old).items() if key not in new)

    @property
    def severer(self) -> bool:
        """NEW's severity is above OLD's."""
        return self.new.severity.rank < self.old.severity.rank


@dataclass(frozen=True)
class Unverified:
    """A task that failed in OLD and was not judged in NEW: `status` is NEW's (skipped, error) or `not run`."""

    finding: Finding
    status: str
    reason: str


@dataclass(frozen=True)
class FindingsDiff:
    """The failing findings of two sides, paired; each list most severe first, then by task id."""

    new: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    changed: tuple[ChangedFinding, ...]
    unchanged: int
    unverified: tuple[Unverified, ...]


def match_findings(old: tuple[Finding, ...], new: tuple[Finding, ...]) -> FindingsDiff:
    """Pair the failing findings of `old` and `new` by task id (each side has one finding per task)."""
    old_by_task, new_by_task = _by_task(old), _by_task(new)
    added, resolved, changed, unverified = [], [], [], []
    unchanged = 0
    for finding in new:
        if finding.status is Status.FAIL and _status(old_by_task.get(finding.task_id)) is not Status.FAIL:
            added.append(finding)
    for before in old:
        if before.status is not Status.FAIL:
            continue
        after = new_by_task.get(before.task_id)
        if after is None:
            unverified.append(Unverified(before, "not run", "the task is not in NEW"))
        elif after.status is Status.PASS:
            resolved.append(before)
        elif after.status is Status.WAIVED and after.waiver is not None:
            unverified.append(Unverified(before, "waived", f"{after.waiver.reason} ({after.waiver.owner}, "
                                                           f"until {after.waiver.expires})"))
        elif after.status is not Status.FAIL:
            unverified.append(Unverified(before, after.status.value, after.summary))
        elif after.severity is not before.severity or set(_subjects(after)) != set(_subjects(before)):
            changed.append(ChangedFinding(before, after))
        else:
            unchanged += 1
    return FindingsDiff(new=_ordered(added, lambda f: f), resolved=_ordered(resolved, lambda f: f),
                        changed=_ordered(changed, lambda c: c.new), unchanged=unchanged,
                        unverified=_ordered(unverified, lambda u: u.finding))


def _by_task(findings: tuple[Finding, ...]) -> dict[str, Finding]:
    """One finding per task: the failing one where a waiver split the task's result in two."""
    by_task: dict[str, Finding] = {}
    for finding in findings:
        if finding.task_id not in by_task or finding.status is Status.FAIL:
            by_task[finding.task_id] = finding
    return by_task


def _ordered(items: list[T], finding: Callable[[T], Finding]) -> tuple[T, ...]:
    """Most severe first, then by task id: the same order whichever order the sides listed their findings in."""
    return tuple(sorted(items, key=lambda item: (finding(item).severity.rank, finding(item).task_id)))


def _status(finding: Finding | None) -> Status | None:
    return finding.status if finding is not None else None


def gating_findings(findings: FindingsDiff, threshold: Severity) -> list[Finding]:
    """What `--fail-on` counts: new findings at `threshold` or above, and changed ones that reach it while
    becoming severer or failing on subjects they did not fail on before."""
    gating = [f for f in findings.new if f.severity.at_least(threshold)]
    gating += [c.new for c in findings.changed
               if c.new.severity.at_least(threshold) and (c.severer or c.subjects_added)]
    return gating
