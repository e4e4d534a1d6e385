"""Second cases for the checks of the expert catalog: escalations, other triggers, data not collected.

Same fixture format as tests/fixtures/tasks/*/fires.yaml, written inline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kafkapilot.findings import Severity, Status, Subject, SubjectKind
from tests.catalog.inline import SERVER, run_inline

_run = run_inline


def _all(artifact: str, old: str, new: str, host: str = "*") -> dict[str, Any]:
    return {"host": host, "artifact": artifact, "replace": [old, new]}


ESCALATIONS: list[tuple[str, dict[str, Any], Severity]] = [
    ("default_replication_factor_low", {"patches": [_all(SERVER, "default.replication.factor=3\n", "default.replication.factor=2\n")]}, Severity.MEDIUM),
    ("kafka_version_end_of_life", {"patches": [_all("kafka_version", "4.1.0", "4.1.1")]}, Severity.MEDIUM),
    ("zookeeper_mode_deprecated", {"base": "zk3", "patches": [_all("kafka_version", "3.9.1", "4.4.0")]}, Severity.MEDIUM),
    ("java_version_unsupported", {"patches": [{"host": "*", "artifact": "java_version", "content": 'openjdk version "11.0.25" 2024-10-15\n'}]}, Severity.CRITICAL),
    ("open_file_descriptors_usage", {"patches": [_all("process_fd_count", "1830", "97000", "kafka-1")]}, Severity.CRITICAL),
    ("open_file_descriptors_usage", {"patches": [_all("process_fd_count", "1830", "75000", "kafka-1")]}, Severity.MEDIUM),
    ("max_map_count_default", {"patches": [_all("sysctl", "vm.max_map_count = 262144", "vm.max_map_count = 65530", "kafka-1")]}, Severity.MEDIUM),
    ("swappiness_high", {"patches": [_all("sysctl", "vm.swappiness = 1", "vm.swappiness = 10", "kafka-1"), _all(
        "meminfo", "SwapTotal:             0 kB\nSwapFree:              0 kB\n",
        "SwapTotal:       8388608 kB\nSwapFree:        6291456 kB\n", "kafka-1")]}, Severity.MEDIUM),
    ("data_disk_usage", {"patches": [_all("df", "314572800 733003200      30%", "891289600 157286400      85%", "kafka-1")]}, Severity.HIGH),
    ("data_filesystem_type", {"patches": [_all("df", "/dev/nvme1n1   xfs ", "/dev/nvme1n1   btrfs ")]}, Severity.MEDIUM),
    ("authorizer_mode_mismatch", {"patches": [_all(SERVER, "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "kafka.security.authorizer.AclAuthorizer")]}, Severity.CRITICAL),
    ("keystore_permissions", {"patches": [{"host": "kafka-1", "artifact": "keystore", "mode": "0666"}]}, Severity.HIGH),
    ("super_users_broad", {"patches": [_all(SERVER, "User:CN=admin", "User:CN=admin;User:CN=ops;User:CN=etl")]}, Severity.MEDIUM),
    ("kraft_quorum_lag", {"patches": [
        {"artifact": "metadata_quorum_replication", "replace": ["2\tQ2xJ7Zt3Qm2a5l6Vw0bKhg\t48213\t0\t", "2\tQ2xJ7Zt3Qm2a5l6Vw0bKhg\t8213\t40000\t"]},
        {"artifact": "metadata_quorum_replication", "replace": ["3\tQ3xJ7Zt3Qm2a5l6Vw0bKhg\t48213\t0\t", "3\tQ3xJ7Zt3Qm2a5l6Vw0bKhg\t8213\t40000\t"]},
    ]}, Severity.HIGH),
]


@pytest.mark.parametrize(("task_id", "fixture", "severity"), ESCALATIONS, ids=[f"{c[0]}-{c[2].value}" for c in ESCALATIONS])
def test_severity(task_id: str, fixture: dict[str, Any], severity: Severity, tmp_path: Path) -> None:
    finding = _run(task_id, fixture, tmp_path)
    assert finding.status is Status.FAIL, finding.summary
    assert finding.severity is severity, finding.summary


OTHER_TRIGGERS: list[tuple[str, dict[str, Any], str]] = [
    ("broker_not_registered", {"patches": [{"artifact": "broker_api_versions", "replace": [
        "kafka-3:9092 (id: 3 rack: rack-c isFenced: false) -> (\n\tProduce(0): 0 to 11 [usable: 11]\n)\n", ""]}]},
     "kafka-3 (node id 3) runs but is not registered in the cluster metadata"),
    ("log_dirs_share_system_disk", {"patches": [
        _all("process_cmdline", "-Dkafka.logs.dir=/var/log/kafka\n", "-Dkafka.logs.dir=/var/lib/kafka/logs\n", "kafka-1")]},
     "is on the filesystem of the application logs (/var/lib/kafka/logs)"),
    ("cluster_id_mismatch", {"patches": [{"host": "kafka-2", "artifact": "meta_properties", "key": "/var/lib/kafka/meta",
                                          "instance": "kafka", "source": "/var/lib/kafka/meta/meta.properties"}],
                             "hosts": {"kafka-2": {"artifacts": [{"name": "meta_properties", "instance": "kafka", "key": "/var/lib/kafka/meta",
                                                                  "source": "/var/lib/kafka/meta/meta.properties",
                                                                  "content": "node.id=2\nversion=1\ncluster.id=OtherClusterIdXXXXXXXX\n"}]}}},
     "carries cluster.id MkU3OEVBNTcwNTJENDM2Qk and OtherClusterIdXXXXXXXX"),
    ("internal_topics_replication_config", {"patches": [_all(SERVER, "transaction.state.log.min.isr=2\n", "transaction.state.log.min.isr=1\n", "kafka-2")]},
     "kafka-2: transaction.state.log.min.isr=1"),
]


@pytest.mark.parametrize(("task_id", "fixture", "text"), OTHER_TRIGGERS, ids=[c[0] for c in OTHER_TRIGGERS])
def test_other_trigger(task_id: str, fixture: dict[str, Any], text: str, tmp_path: Path) -> None:
    finding = _run(task_id, fixture, tmp_path)
    assert finding.status is Status.FAIL, finding.summary
    assert any(text in e.message for e in finding.evidence), [e.message for e in finding.evidence]


def _missing(artifact: str, host: str | None = "kafka-2", status: str = "denied", error: str = "permission denied") -> dict[str, Any]:
    patch: dict[str, Any] = {"artifact": artifact, "status": status, "error": error}
    if host:
        patch["host"] = host
    return {"patches": [patch]}


NOT_COLLECTED: list[tuple[str, dict[str, Any], str]] = [
    ("kafka_version_end_of_life", {"patches": [_all("kafka_version", "4.1.0", "4.4.0"), *_missing("kafka_version")["patches"]]},
     "kafka-2: not collected: kafka_version denied: permission denied"),
    ("kafka_version_end_of_life", {"patches": [_all("kafka_version", "4.1.0", v, h) for h, v in (("kafka-1", "4.4.0"), ("kafka-2", "9.0.0"), ("kafka-3", "4.4.0"))]},
     "kafka-2: unknown: Kafka 9.0.0 is not in kafkapilot/data/kafka_versions.py"),
    ("data_disk_usage", _missing("df"), "kafka-2: not collected: df denied: permission denied"),
    ("data_mount_atime", _missing("mounts"), "kafka-2: not collected: mounts denied: permission denied"),
    ("swappiness_high", _missing("sysctl"), "kafka-2: not collected: sysctl denied: permission denied"),
    ("max_map_count_usage", _missing("process_map_count"), "kafka-2: not collected: process_map_count denied: permission denied"),
    ("keystore_permissions", {"patches": [{"host": "kafka-2", "artifact": "keystore", "status": "denied", "error": "permission denied", "mode": None}]},
     "kafka-2: not collected: keystore /etc/kafka/ssl/kafka.keystore.p12 is not in the snapshot"),
    ("replica_count_skew", _missing("topics_describe", None, "failed", "TimeoutException"), "not collected: topics_describe failed: TimeoutException"),
    ("consumer_group_rebalancing", _missing("consumer_groups_state", None, "failed", "TimeoutException"), "not collected: consumer_groups_state failed: TimeoutException"),
    ("controller_quorum_no_leader", _missing("metadata_quorum_status", None, "failed", "TimeoutException"), "not collected: metadata_quorum_status failed: TimeoutException"),
    ("os_drift", _missing("sysctl"), "kafka-2: not collected: sysctl denied: permission denied"),
    ("config_drift", _missing(SERVER), "kafka-2: not collected: server_properties denied: permission denied"),
]


@pytest.mark.parametrize(("task_id", "fixture", "reason"), NOT_COLLECTED, ids=[f"{c[0]}-{i}" for i, c in enumerate(NOT_COLLECTED)])
def test_missing_data_skips_with_reason(task_id: str, fixture: dict[str, Any], reason: str, tmp_path: Path) -> None:
    finding = _run(task_id, fixture, tmp_path)
    assert finding.status is Status.SKIPPED, finding.summary
    assert reason in finding.summary


def test_rule_reports_drift_and_names_nodes_it_could_not_read(tmp_path: Path) -> None:
    fixture = {"patches": [_all(SERVER, "min.insync.replicas=2\n", "min.insync.replicas=1\n", "kafka-3"),
                           {"host": "kafka-2", "artifact": SERVER, "status": "denied", "error": "permission denied"}]}
    finding = _run("config_drift", fixture, tmp_path)
    assert finding.status is Status.FAIL
    assert finding.severity is Severity.HIGH
    (skipped,) = finding.not_evaluated  # as data: the node it could not read, and why
    assert skipped.subject == Subject(kind=SubjectKind.NODE, host="kafka-2", node_id=skipped.subject.node_id)
    assert "permission denied" in skipped.reason
    (evidence,) = finding.evidence
    assert evidence.subject == Subject(kind=SubjectKind.SETTING, name="min.insync.replicas")
    assert evidence.host == "kafka-3"
