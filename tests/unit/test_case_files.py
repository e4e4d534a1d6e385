"""The case files of the checks (tests/factory/cases.py): their format, the expectation they state,
and the writer that shares each base's files between cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.findings import Evidence, Finding, Severity, Status
from kafkapilot.snapshot.load import Snapshot, load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.cases import Expect, SnapshotWriter, declared_severities, load_case, mismatches
from tests.factory.fixtures import FixtureError, fixture_spec

TASKS = {t.id: t for t in load_catalog(default_tasks_dir()).tasks}

FIXTURES: list[dict[str, Any]] = [
    {},
    {"base": "zk3", "patches": [{"host": "kafka-2", "artifact": "server_properties", "status": "denied",
                                 "error": "permission denied"}]},
    {"patches": [{"host": "*", "artifact": "sysctl", "replace": ["vm.swappiness = 1", "vm.swappiness = 60"]},
                 {"artifact": "topics_describe", "append": "Topic: extra\tPartitionCount: 1\n"}],
     "hosts": {"kafka-3": {"remove": True}}},
    {"base": "kraft3-controllers3", "generate_topics": {"prefix": "bulk", "count": 2, "partitions": 3}},
]


def _contents(snapshot: Snapshot) -> dict[tuple[str, str, str | None, str | None], tuple[dict[str, Any], str | None]]:
    """Every artifact as the analyser sees it: its manifest entry (but the file's path) and its text."""
    listed = [("", a) for a in snapshot.manifest.cluster_artifacts]
    listed += [(host, a) for host, entry in snapshot.manifest.hosts.items() for a in entry.artifacts]
    return {(host, a.name, a.instance, a.key): (a.model_dump(exclude={"path"}), snapshot.text(a)) for host, a in listed}


@pytest.mark.parametrize("fixture", FIXTURES,
                         ids=["base", "zk3-denied", "patched-host-removed", "controllers-generated"])
def test_the_writer_gives_the_snapshot_that_materialize_gives(fixture: dict[str, Any], tmp_path: Path) -> None:
    writer = SnapshotWriter(tmp_path / "work")
    writer.write({}, tmp_path / "first")  # the base of another case is already there
    shared = load_snapshot(writer.write(fixture, tmp_path / "case"))
    full = load_snapshot(materialize(fixture_spec(fixture), tmp_path / "full"))
    assert _contents(shared) == _contents(full)
    assert {h: e.model_dump(exclude={"artifacts"}) for h, e in shared.manifest.hosts.items()} == \
        {h: e.model_dump(exclude={"artifacts"}) for h, e in full.manifest.hosts.items()}
    # only what the case changed is written in its root; the rest is the base's
    case = tmp_path / "case"
    written = [p for p in case.rglob("*") if p.is_file() and not p.is_relative_to(case / "base")]
    assert 0 < len(written) < 10, written
    assert shared.refused == () and not any(p.is_symlink() for p in case.rglob("*"))  # hard links, no symlink


def _case(tmp_path: Path, name: str, text: str, task: str = "swappiness_high") -> Path:
    path = tmp_path / task / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "text", "error"), [
    ("other", "base: kraft3\n", "a case needs `expect"),
    ("other", "base: kraft3\nexpect: {status: fail}\n", "expect.severity is required"),
    ("other", "base: kraft3\nexpect: {status: pass, severity: high}\n", "goes with status fail only"),
    ("other", "base: kraft3\nexpect: {status: failed}\n", "'failed' is not a valid Status"),
    ("other", "base: kraft3\nexpect: {status: pass, host: [kafka-1]}\n", "expect takes"),
    ("other", "base: kraft3\npatch: []\nexpect: {status: pass}\n", "unknown keys ['patch']"),
    ("fires", "base: kraft3\nexpect: {status: pass}\n", "fires.yaml means status fail"),
    ("quiet", "base: kraft4\n", "unknown base 'kraft4'"),
])
def test_a_malformed_case_is_an_error_naming_the_file(tmp_path: Path, name: str, text: str, error: str) -> None:
    path = _case(tmp_path, name, text)
    with pytest.raises(FixtureError, match="swappiness_high/" + name + r"\.yaml: ") as raised:
        load_case(path, TASKS["swappiness_high"])
    assert error in str(raised.value)


def test_fires_and_quiet_imply_their_expectation(tmp_path: Path) -> None:
    task = TASKS["swappiness_high"]
    fires = load_case(_case(tmp_path, "fires", "base: kraft3\n"), task).expect
    assert fires.status is Status.FAIL and fires.severities == declared_severities(task) >= {task.severity}
    pinned = load_case(_case(tmp_path, "fires", "expect: {severity: high, hosts: [kafka-2, kafka-1]}\n"), task).expect
    assert pinned.severities == {Severity.HIGH} and pinned.hosts == ("kafka-1", "kafka-2")
    assert load_case(_case(tmp_path, "quiet", "base: zk3\n"), task).expect == Expect(status=Status.PASS)
    assert declared_severities(TASKS["config_drift"]) == frozenset(Severity)  # a Python rule decides its own


def _finding(**fields: Any) -> Finding:
    return Finding(**{"task_id": "t", "title": "t", "category": "os", "status": Status.FAIL, "severity": Severity.HIGH,
                      "hosts": ("kafka-1",), "summary": "kafka-1: vm.swappiness=60", "remediation": "set it to 1",
                      "evidence": (Evidence(host="kafka-1", message="kafka-1: vm.swappiness=60"),), **fields})


def test_mismatches_name_each_difference() -> None:
    expect = Expect(status=Status.FAIL, severities=frozenset({Severity.HIGH}), hosts=("kafka-1",),
                    evidence_contains=("vm.swappiness=60",), summary_contains=("kafka-1",))
    assert mismatches(_finding(), expect) == []
    found = mismatches(_finding(severity=Severity.LOW, hosts=("kafka-2",), summary="x", remediation=" ",
                                evidence=(Evidence(message="other"),)), expect)
    assert found[:-1] == ["severity low, expected high", "hosts ['kafka-2'], expected ['kafka-1']",
                          "no evidence message contains 'vm.swappiness=60'", "the summary does not contain 'kafka-1'",
                          "a failing finding carries a remediation"]
    assert found[-1].startswith("summary: x; evidence: ['other']")
    assert mismatches(_finding(status=Status.PASS, evidence=()), Expect(status=Status.SKIPPED)) == [
        "status pass, expected skipped", "summary: kafka-1: vm.swappiness=60; evidence: []"]
