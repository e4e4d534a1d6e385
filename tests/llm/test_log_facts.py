"""Log facts (kafkapilot/facts/logs.py): deterministic counts per node; log text cannot change them."""

from __future__ import annotations

from pathlib import Path

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.facts import build_facts
from kafkapilot.facts.logs import classify, line_level
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.cluster_spec import cluster_spec
from tests.llm.spec import llm_spec


def test_counts_per_node(tmp_path: Path) -> None:
    facts = build_facts(load_snapshot(materialize(llm_spec(), tmp_path / "s")))
    quiet, noisy = facts.nodes[0]["logs"], facts.nodes[1]["logs"]
    assert quiet["levels"] == {"FATAL": 0, "ERROR": 0, "WARN": 0} and not any(quiet["patterns"].values())
    assert noisy["levels"]["ERROR"] == 7
    assert {k: v for k, v in noisy["patterns"].items() if v} == {"isr_shrink": 6, "leadership_churn": 6, "oom": 1}
    assert [f.as_dict() for f in noisy.files] == [{"path": "/var/log/kafka/server.log", "lines": 321,
                                                   "truncated": False}]
    assert (noisy["first_timestamp"], noisy["last_timestamp"]) == ("2026-11-20 00:00:00,000", "2026-11-21 11:00:00,000")


def test_no_log_collected_is_a_reason_not_a_zero(tmp_path: Path) -> None:
    facts = build_facts(load_snapshot(materialize(cluster_spec(), tmp_path / "s")))
    node = facts.nodes[0]
    assert node["logs"] is None
    assert node["unavailable"]["logs"] == "not collected: log_file is not in the snapshot"


def test_line_parsing() -> None:
    assert line_level("[2026-11-20 10:00:00,123] WARN x (y)") == ("2026-11-20 10:00:00,123", "WARN")
    assert line_level("2026-11-20T10:00:00.123 ERROR x") == ("2026-11-20T10:00:00.123", "ERROR")
    assert line_level("\tat a.b.C(C.java:1)") == (None, None)
    assert classify("Caused by: java.io.IOException: No space left on device") == "storage_failure"
    assert classify("Session 0x1000 has expired, closing socket connection") == "zk_session_expired"
    assert classify("INFO all good") is None


def test_instructions_in_log_lines_do_not_change_deterministic_findings(tmp_path: Path) -> None:
    catalog = load_catalog(default_tasks_dir())
    deterministic = Selection(task_ids=tuple(t.id for t in catalog.tasks if not t.needs_llm))
    reports = [
        analyse(materialize(llm_spec(injection=flag), tmp_path / str(flag)), catalog, deterministic, EngineOptions())
        for flag in (False, True)
    ]
    clean, injected = ([f.model_dump() for f in r.findings] for r in reports)
    assert injected == clean
    noisy = build_facts(load_snapshot(tmp_path / "True")).nodes[1]["logs"]
    assert noisy["levels"]["WARN"] == 1 and noisy["patterns"]["oom"] == 1  # the line is counted as data, nothing more


def test_every_pattern_is_recognised() -> None:
    examples = {
        "oom": "java.lang.OutOfMemoryError: Direct buffer memory",
        "too_many_open_files": "java.io.IOException: Too many open files",
        "storage_failure": "ERROR Shutdown broker because all log dirs in /var/lib/kafka/data have failed "
                           "(kafka.log.LogManager)",
        "corruption": "WARN Found a corrupted index file corresponding to log file /d/orders-0/0.log",
        "unclean_election": "INFO Setting new leader for topicId tLk2J0YwQ1eW9yq7m3Xy2g, partition 1 to 3 using an "
                            "unclean election",
        "zk_session_expired": "WARN ZooKeeper state changed (Expired)",
        "controller_failover": "INFO [QuorumController id=1] Becoming the active controller at epoch 8",
        "isr_shrink": "INFO [Partition orders-0 broker=1] Shrinking ISR from 1,2,3 to 1,2",
        "isr_expand": "INFO [Partition orders-0 broker=1] Expanding ISR from 1,2 to 1,2,3",
        "leadership_churn": "Error for partition orders-3: NOT_LEADER_OR_FOLLOWER",
        "invalid_receive": "InvalidReceiveException: Invalid receive (size = 1195725856 larger than 104857600)",
        "auth_failure": "INFO [SocketServer] Failed authentication with /10.0.0.5 (SSL handshake failed)",
        "rebalance": "INFO [GroupCoordinator 1]: Preparing to rebalance group billing in state PreparingRebalance",
    }
    assert {name: classify(line) for name, line in examples.items()} == {name: name for name in examples}
