"""Issue 14 on the real lab (zookeeper/planted, the snapshot the catalog proof collects): kafka-3 logs to the
console only and a real systemd-journald keeps its output, so its journal is its log; the cluster-wide
kafka-acls ran in the one JVM although kafka-3 has no authorizer; the transaction left open, the quotas
and the reassignment are read back as facts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kafkapilot.facts.build import build_facts
from kafkapilot.snapshot.load import load_snapshot
from tests.lab.pytest_lab import LabController

pytestmark = pytest.mark.lab("zookeeper", "planted")


@pytest.fixture(scope="module")
def snapshot(lab_factory: LabController, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lab_factory.collected("zookeeper", "planted", tmp_path_factory.mktemp("zookeeper-planted"))


def _artifacts(snapshot: Path, host: str | None) -> list[dict[str, Any]]:
    manifest = json.loads((snapshot / "snapshot.json").read_text())
    if host is None:
        return manifest["cluster_artifacts"]
    return [a for a in manifest["hosts"][host]["artifacts"]]


def test_a_console_logging_broker_s_journal_is_its_log(snapshot: Path) -> None:
    artifacts = _artifacts(snapshot, "kafka-3")
    (log_file,) = [a for a in artifacts if a["name"] == "log_file" and a.get("instance") == "kafka"]
    assert (log_file["status"], log_file["error"]) == ("missing", "no log file found (see the notes)")
    (journal,) = [a for a in artifacts if a["name"] == "journal" and a.get("instance") == "kafka"]
    assert journal["status"] == "ok"
    assert journal["source"].startswith("journalctl --no-pager -o short-iso -u kafka.service")
    node = next(n for n in build_facts(load_snapshot(snapshot)).cluster.nodes if n.host == "kafka-3")
    assert [f.path for f in node.logs.files] == ["journal:kafka.service"]
    assert node.logs.files[0].lines > 100  # the broker's whole log4j output since it started
    kafka_1 = [a for a in _artifacts(snapshot, "kafka-1") if a["name"] == "log_file" and a["status"] == "ok"]
    assert kafka_1  # the other brokers keep their files


def test_acls_transactions_quotas_and_the_reassignment_are_read(snapshot: Path) -> None:
    by_name = {a["name"]: a for a in _artifacts(snapshot, None)}
    assert by_name["acls"]["status"] == "ok" and "one JVM" in by_name["acls"]["source"]
    cluster = build_facts(load_snapshot(snapshot)).cluster
    assert {a.principal for a in cluster.acls} >= {"User:*", "User:deployer", "User:reporting"}
    (txn,) = [t for t in cluster.transactions if t.transactional_id == "payments-writer"]
    assert txn.open and txn.described and txn.timeout_ms == 900000 and txn.open_ms > 15000
    assert cluster.hanging_transactions == []
    assert {q.entity: q.configs for q in cluster.quotas} == {
        "user reporting": {"producer_byte_rate": 1024.0}, "default client-id": {"producer_byte_rate": 10485760.0}}
    (move,) = cluster.reassignments
    assert (move.partition, move.adding, move.removing, move.throttled) == ("slow-move-0", [1], [2], True)
    assert move.started and move.age_minutes is not None and move.age_minutes > 0
