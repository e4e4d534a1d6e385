"""kafka-metadata-quorum.sh describe --status / --replication, Kafka 3.x and 3.9/4.x."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.quorum import (
    QuorumNode,
    QuorumReplica,
    parse_quorum_replication,
    parse_quorum_status,
)
from tests.unit.parsers._samples import sample


def test_status_3x() -> None:
    status = parse_quorum_status(sample("quorum_status_3x.txt"))
    assert status.cluster_id == "MkU3OEVBNTcwNTJENDM2Qg"
    assert (status.leader_id, status.leader_epoch, status.high_watermark) == (3002, 2, 10)
    assert (status.max_follower_lag, status.max_follower_lag_time_ms) == (0, -1)
    assert status.current_voters == (3000, 3001, 3002)
    assert status.current_observers == (0, 1, 2)


def test_status_4x() -> None:
    status = parse_quorum_status(sample("quorum_status_4x.txt"))
    assert status.leader_id == 101
    assert status.current_voters == (101, 102, 103)
    assert status.current_observers == (1, 2)
    assert status.voter_nodes[1] == QuorumNode(
        node_id=102,
        directory_id="GhI2bNrQTvHz2cY3dZ4eFg",
        endpoints=("CONTROLLER://kraft2:9093", "CONTROLLER_V6://[::1]:9094"),
    )
    assert status.voter_nodes[2] == QuorumNode(node_id=103)


def test_status_elided_voters_and_no_leader() -> None:
    text = 'LeaderId:  -1\nCurrentVoters:  [{"id": 1, ...}, {"id": 2, ...}]\nCurrentObservers:  []\n'
    status = parse_quorum_status(text)
    assert status.leader_id is None
    assert status.current_voters == (1, 2)
    assert status.current_observers == ()
    assert status.cluster_id is None


def test_replication_3x() -> None:
    replicas = parse_quorum_replication(sample("quorum_replication_3x.txt"))
    assert [r.status for r in replicas] == ["Leader", "Follower", "Follower", "Observer"]
    assert replicas[2] == QuorumReplica(
        node_id=2,
        directory_id=None,
        log_end_offset=812,
        lag=68,
        last_fetch_timestamp=1728635785923,
        last_caught_up_timestamp=1728635780012,
        status="Follower",
    )
    assert (replicas[3].last_fetch_timestamp, replicas[3].last_caught_up_timestamp) == (None, None)


def test_replication_4x() -> None:
    replicas = parse_quorum_replication(sample("quorum_replication_4x.txt"))
    assert replicas[0].directory_id == "KfL1aMqPSuGz1bX2cY3dEQ"
    assert replicas[1].lag == 12
    assert replicas[2].directory_id is None  # the all-zero id


def test_replication_human_readable() -> None:
    replicas = parse_quorum_replication(sample("quorum_replication_human.txt"))
    assert (replicas[1].last_fetch_ms_ago, replicas[1].last_caught_up_ms_ago) == (57, 1204)
    assert replicas[1].last_fetch_timestamp is None
    assert replicas[2].last_fetch_ms_ago is None


def test_replication_without_tabs() -> None:
    text = "NodeId LogEndOffset Lag LastFetchTimestamp LastCaughtUpTimestamp Status\n1 10 0 5 5 Leader\n"
    (replica,) = parse_quorum_replication(text)
    assert (replica.node_id, replica.log_end_offset, replica.status) == (1, 10, "Leader")


def test_replication_row_without_node_id() -> None:
    with pytest.raises(ParseError):
        parse_quorum_replication("NodeId\tLag\t\nx\t1\t\n")
