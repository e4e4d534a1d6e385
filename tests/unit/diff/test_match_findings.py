"""Findings paired by task id and subject, never by text; what --fail-on counts."""

from __future__ import annotations

from kafkapilot.diff.match_findings import gating_findings, match_findings
from kafkapilot.findings import Evidence, Finding, Severity, Status, Subject, SubjectKind, WaiverNote


def _finding(task_id: str, status: Status = Status.FAIL, severity: Severity = Severity.MEDIUM,
             hosts: tuple[str, ...] = (), text: str = "") -> Finding:
    evidence = tuple(Evidence(subject=Subject(kind=SubjectKind.HOST, host=h), host=h, message=f"{h}: {text}")
                     for h in hosts)
    return Finding(task_id=task_id, title=f"{task_id} {text}", category="broker", status=status, severity=severity,
                   hosts=hosts, summary=text, evidence=evidence)


def test_new_resolved_changed_unchanged_and_unverified() -> None:
    old = (
        _finding("same", hosts=("kafka-1",), text="before"),
        _finding("severer", severity=Severity.LOW, hosts=("kafka-1",)),
        _finding("spread", hosts=("kafka-1",)),
        _finding("fixed", hosts=("kafka-2",)),
        _finding("skipped_now", hosts=("kafka-2",)),
        _finding("dropped", hosts=("kafka-2",)),
        _finding("appeared", status=Status.PASS),
    )
    new = (
        _finding("same", hosts=("kafka-1",), text="worded differently, same subject"),
        _finding("severer", severity=Severity.HIGH, hosts=("kafka-1",)),
        _finding("spread", hosts=("kafka-2", "kafka-3")),
        _finding("fixed", status=Status.PASS),
        _finding("skipped_now", status=Status.SKIPPED, text="not collected: server_properties denied"),
        _finding("appeared", severity=Severity.CRITICAL, hosts=("kafka-3",)),
        _finding("brand_new", severity=Severity.LOW, hosts=("kafka-1",)),
    )
    paired = match_findings(old, new)
    assert [f.task_id for f in paired.new] == ["appeared", "brand_new"]
    assert [f.task_id for f in paired.resolved] == ["fixed"]
    assert paired.unchanged == 1  # `same`: its text changed, its task and subject did not
    changed = {c.new.task_id: c for c in paired.changed}
    assert set(changed) == {"severer", "spread"}
    assert changed["severer"].severer and not changed["severer"].subjects_added
    assert [s.host for s in changed["spread"].subjects_added] == ["kafka-2", "kafka-3"]
    assert [s.host for s in changed["spread"].subjects_removed] == ["kafka-1"]
    assert [(u.finding.task_id, u.status) for u in paired.unverified] == [("dropped", "not run"),
                                                                          ("skipped_now", "skipped")]
    assert paired.unverified[1].reason == "not collected: server_properties denied"


def test_fail_on_counts_new_and_worsened_findings_at_the_threshold() -> None:
    old = (_finding("severer", severity=Severity.LOW, hosts=("kafka-1",)),
           _finding("milder", severity=Severity.CRITICAL, hosts=("kafka-1",)),
           _finding("spread", severity=Severity.HIGH, hosts=("kafka-1",)))
    new = (_finding("severer", severity=Severity.HIGH, hosts=("kafka-1",)),
           _finding("milder", severity=Severity.HIGH, hosts=("kafka-1",)),  # better: not a gate
           _finding("spread", severity=Severity.HIGH, hosts=("kafka-1", "kafka-2")),
           _finding("fresh", severity=Severity.MEDIUM, hosts=("kafka-1",)))
    paired = match_findings(old, new)
    assert sorted(f.task_id for f in gating_findings(paired, Severity.HIGH)) == ["severer", "spread"]
    assert sorted(f.task_id for f in gating_findings(paired, Severity.MEDIUM)) == ["fresh", "severer", "spread"]
    assert gating_findings(paired, Severity.CRITICAL) == []


def test_a_failure_waived_in_new_is_not_resolved_and_a_split_task_keeps_its_failing_part() -> None:


    waiver = WaiverNote(reason="accepted until the upgrade", owner="team-kafka", expires="2027-01-31",
                        file="waivers.yaml", line=2)
    old = (_finding("accepted", hosts=("kafka-1",)), _finding("split", hosts=("kafka-1", "kafka-2")))
    waived = _finding("accepted", status=Status.WAIVED, hosts=("kafka-1",)).model_copy(update={"waiver": waiver})
    split_waived = _finding("split", status=Status.WAIVED, hosts=("kafka-2",)).model_copy(update={"waiver": waiver})
    new = (waived, _finding("split", hosts=("kafka-1",)), split_waived)
    paired = match_findings(old, new)
    assert paired.resolved == () and paired.new == ()
    [unverified] = paired.unverified
    assert (unverified.finding.task_id, unverified.status) == ("accepted", "waived")
    assert unverified.reason == "accepted until the upgrade (team-kafka, until 2027-01-31)"
    [changed] = paired.changed  # `split` still fails, on kafka-1 only: its failing part is the task's result
    assert [s.host for s in changed.subjects_removed] == ["kafka-2"]
