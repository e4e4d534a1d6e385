"""Second cases for some checks: severity escalations, other triggers, and what is not collected.

Each case is a fixture written inline (same format as tests/fixtures/tasks/*/fires.yaml).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kafkapilot.findings import Severity, Status
from tests.catalog.inline import SERVER, run_inline

_run = run_inline


def _props(host: str, old: str, new: str) -> dict[str, Any]:
    return {"host": host, "artifact": SERVER, "replace": [old, new]}


def _dynamic(key: str, value: str, static: str) -> str:
    return "".join(
        f"All configs for broker {i} are:\n"
        f"  {key}={value} sensitive=false synonyms={{DYNAMIC_DEFAULT_BROKER_CONFIG:{key}={value}, "
        f"STATIC_BROKER_CONFIG:{key}={static}, DEFAULT_CONFIG:{key}={static}}}\n"
        for i in (1, 2, 3)
    )


_API_VERSIONS = "kafka-{i}:9092 (id: {i} rack: rack-{r} isFenced: false) -> (\n\tProduce(0): 0 to 11 [usable: 11]\n)\n"

ESCALATIONS: list[tuple[str, dict[str, Any], Severity]] = [
    (
        "broker_count_ha",
        {
            "base": "kraft3",
            "patches": [
                {"artifact": "broker_api_versions", "replace": [_API_VERSIONS.format(i=2, r="b"), ""]},
                {"artifact": "broker_api_versions", "replace": [_API_VERSIONS.format(i=3, r="c"), ""]},
            ],
            "hosts": {"kafka-2": {"remove": True}, "kafka-3": {"remove": True}},
        },
        Severity.CRITICAL,
    ),
    (
        "jvm_heap_size_limit",
        {"base": "kraft3", "patches": [{"host": "*", "artifact": "process_cmdline", "replace": ["-Xmx6g\n", "-Xmx32g\n"]}]},
        Severity.HIGH,
    ),
    (
        "jvm_heap_memory_ratio",
        {"base": "kraft3", "patches": [{"host": "kafka-1", "artifact": "meminfo", "replace": ["MemTotal:       33554432 kB", "MemTotal:        8388608 kB"]}]},
        Severity.HIGH,
    ),
    (
        "open_files_limit",
        {"base": "kraft3", "patches": [{"host": "kafka-1", "artifact": "process_limits", "replace": ["100000               100000  ", "70000                70000   "]}]},
        Severity.MEDIUM,
    ),
    (
        "isr_replication_margin",
        {"base": "kraft3", "patches": [_props("*", "default.replication.factor=3\n", "default.replication.factor=1\n")]},
        Severity.CRITICAL,
    ),
    (
        "min_insync_replicas_vs_rf",
        {
            "base": "kraft3",
            "patches": [
                {
                    "artifact": "topics_describe",
                    "replace": ["PartitionCount: 6\tReplicationFactor: 3\tConfigs: \n", "PartitionCount: 6\tReplicationFactor: 3\tConfigs: min.insync.replicas=4\n"],
                }
            ],
        },
        Severity.CRITICAL,
    ),
    (
        "plaintext_secrets",
        {
            "base": "kraft3",
            "patches": [
                {
                    "host": "kafka-1",
                    "artifact": SERVER,
                    "replace": ["ssl.keystore.password=${file:/etc/kafka/secrets/ssl.properties:keystore.password}\n", "ssl.keystore.password=[REDACTED]\n"],
                    "redactions": 1,
                    "mode": "0644",
                }
            ],
        },
        Severity.HIGH,
    ),
    (
        "zookeeper_ha_check",
        {"base": "zk3", "patches": [_props("*", "zk-3:2181/kafka", "zk-3:2181,zk-4:2181/kafka")]},
        Severity.MEDIUM,
    ),
    (
        "thread_configuration",
        {"base": "kraft3", "patches": [_props("kafka-2", "num.network.threads=3\n", "num.network.threads=1\n")]},
        Severity.MEDIUM,
    ),
]


@pytest.mark.parametrize(("task_id", "fixture", "severity"), ESCALATIONS, ids=[c[0] for c in ESCALATIONS])
def test_severity_escalates(task_id: str, fixture: dict[str, Any], severity: Severity, tmp_path: Path) -> None:
    finding = _run(task_id, fixture, tmp_path)
    assert finding.status is Status.FAIL, finding.summary
    assert finding.severity is severity, finding.summary


OTHER_TRIGGERS: list[tuple[str, dict[str, Any], str]] = [
    (
        "rack_awareness",
        {"base": "kraft3", "patches": [_props("kafka-2", "broker.rack=rack-b", "broker.rack=rack-a"), _props("kafka-3", "broker.rack=rack-c", "broker.rack=rack-a")]},
        "every broker has broker.rack=rack-a",
    ),
    (
        "unclean_leader_election",
        {"base": "kraft3", "patches": [{"artifact": "broker_configs", "content": _dynamic("unclean.leader.election.enable", "true", "false")}]},
        "(set dynamically)",
    ),
    (
        "thread_configuration",
        {"base": "kraft3", "patches": [{"host": "*", "artifact": SERVER, "append": "num.replica.fetchers=4\n"}]},
        "num.replica.fetchers=4 is above 1 (1 + 23 partitions per broker / 500)",
    ),
    (
        "thread_configuration",
        {"base": "kraft3", "patches": [{"artifact": "broker_configs", "content": _dynamic("num.io.threads", "48", "8")}]},
        "num.io.threads=48 is above 32",
    ),
    (
        # Without the --state output, "has no active members" in the offsets table decides.
        "inactive_group_with_lag",
        {
            "base": "kraft3",
            "patches": [
                {"artifact": "consumer_groups_state", "status": "failed", "error": "TimeoutException"},
                {
                    "artifact": "consumer_groups",
                    "append": (
                        "\nConsumer group 'invoicing' has no active members.\n\n"
                        "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID\n"
                        "invoicing       orders          0          52110           52480           370             -               -               -\n"
                    ),
                },
            ],
        },
        "Consumer group invoicing has no active member with lag 370",
    ),
]


@pytest.mark.parametrize(("task_id", "fixture", "text"), OTHER_TRIGGERS, ids=[c[0] for c in OTHER_TRIGGERS])
def test_other_trigger(task_id: str, fixture: dict[str, Any], text: str, tmp_path: Path) -> None:
    finding = _run(task_id, fixture, tmp_path)
    assert finding.status is Status.FAIL, finding.summary
    assert any(text in e.message for e in finding.evidence), [e.message for e in finding.evidence]


def test_replica_fetcher_bound_needs_the_topics(tmp_path: Path) -> None:
    fixture = {
        "base": "kraft3",
        "patches": [
            {"host": "*", "artifact": SERVER, "append": "num.replica.fetchers=4\n"},
            {"artifact": "topics_describe", "status": "denied", "error": "TopicAuthorizationException"},
        ],
    }
    assert _run("thread_configuration", fixture, tmp_path).status is Status.PASS


NOT_COLLECTED: list[tuple[str, dict[str, Any], str]] = [
    (
        # A broker whose server.properties could not be read keeps its broker role (from the
        # inventory group kafka_brokers) and is reported, not silently left out.
        "rack_awareness",
        {"base": "kraft3", "patches": [{"host": "kafka-2", "artifact": SERVER, "status": "denied", "error": "permission denied"}]},
        "kafka-2: not collected: server_properties denied: permission denied",
    ),
    (
        "open_files_limit",
        {"base": "kraft3", "patches": [{"host": "kafka-3", "artifact": "process_limits", "status": "denied", "error": "permission denied"}]},
        "kafka-3: not collected: process_limits denied: permission denied",
    ),
    (
        "under_replicated_partitions",
        {"base": "kraft3", "patches": [{"artifact": "topics_under_replicated", "status": "failed", "error": "TimeoutException"}]},
        "not collected: topics_under_replicated failed: TimeoutException",
    ),
]


@pytest.mark.parametrize(("task_id", "fixture", "reason"), NOT_COLLECTED, ids=[c[0] for c in NOT_COLLECTED])
def test_missing_artifact_skips_with_reason(task_id: str, fixture: dict[str, Any], reason: str, tmp_path: Path) -> None:
    finding = _run(task_id, fixture, tmp_path)
    assert finding.status is Status.SKIPPED, finding.summary
    assert reason in finding.summary
