"""The fixture factory (tests/factory): generated topics and the base's kafka-log-dirs output."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkapilot.facts import build_facts
from kafkapilot.parsers.log_dirs import parse_log_dirs
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import FixtureError, fixture_spec, generated_topics


def _cluster_artifact(spec: dict, name: str) -> str:
    (artifact,) = [a for a in spec["cluster"] if a["name"] == name]
    return artifact["content"]


def test_generated_topics_are_named_and_sized_as_asked() -> None:
    topics = generated_topics([{"prefix": "bulk", "count": 3, "partitions": 10, "replication_factor": 2}])
    assert topics == [("bulk-000", 10, 2), ("bulk-001", 10, 2), ("bulk-002", 10, 2)]
    assert generated_topics([{"count": 1, "partitions": 1}]) == [("generated-000", 1, 3)]


@pytest.mark.parametrize(
    "request_",
    [{"count": 2}, {"count": 2, "partitions": 5, "replicas": 3}, {"count": 0, "partitions": 5}],
)
def test_a_malformed_generate_request_fails_loudly(request_: dict) -> None:
    with pytest.raises(FixtureError, match="generate_topics"):
        fixture_spec({"generate_topics": [request_]})


def test_generated_topics_reach_every_cluster_artifact_and_the_facts(tmp_path: Path) -> None:
    spec = fixture_spec({"generate_topics": {"prefix": "bulk", "count": 40, "partitions": 100}})
    described = _cluster_artifact(spec, "topics_describe")
    assert described.count("\tPartition: ") == 71 + 4000
    brokers = parse_log_dirs(_cluster_artifact(spec, "log_dirs")).brokers
    assert [sum(d.partition_count for d in b.dirs) for b in brokers] == [4071, 4071, 4071]
    facts = build_facts(load_snapshot(materialize(spec, tmp_path / "snapshot")))
    assert facts.cluster["partition_count"] == 4071
    assert [row["replicas"] for row in facts.cluster["partition_load"]] == [4071, 4071, 4071]


def test_the_healthy_base_lists_every_replica_in_log_dirs() -> None:
    brokers = parse_log_dirs(_cluster_artifact(fixture_spec({}), "log_dirs")).brokers
    assert [b.broker for b in brokers] == [1, 2, 3]
    assert sum(d.partition_count for b in brokers for d in b.dirs) == 71 * 3
    assert all(d.error is None and d.path == "/var/lib/kafka/data" for b in brokers for d in b.dirs)
