"""What a case file's `expect` cannot say: the subjects of a finding, as data, on a case file's snapshot."""

from __future__ import annotations

from pathlib import Path

from kafkapilot.findings import Status, Subject, SubjectKind
from tests.catalog.inline import run_inline
from tests.catalog.test_tasks import CASES


def test_a_drift_rule_names_the_node_it_could_not_read_as_data(tmp_path: Path) -> None:
    (case,) = [c for c in CASES if c.id == "config_drift/drift-and-unreadable-node"]
    finding = run_inline(case.task_id, case.fixture, tmp_path)
    assert finding.status is Status.FAIL
    (skipped,) = finding.not_evaluated  # the node it could not read, and why
    assert skipped.subject == Subject(kind=SubjectKind.NODE, host="kafka-2", node_id=skipped.subject.node_id)
    assert "permission denied" in skipped.reason
    (evidence,) = finding.evidence
    assert evidence.subject == Subject(kind=SubjectKind.SETTING, name="min.insync.replicas")
    assert evidence.host == "kafka-3"
