"""``kafka-metadata-quorum.sh describe --status`` and ``describe --replication`` (KRaft).

``--status`` prints ``Key:   value`` lines. ``CurrentVoters``/``CurrentObservers`` were
id lists (``[1,2,3]``) up to Kafka 3.8 and are lists of objects from 3.9 on::

    CurrentVoters:          [{"id": 1, "directoryId": "…", "endpoints": ["CONTROLLER://c1:9093"]}]

(``directoryId`` is left out when unknown, ``endpoints`` when empty). ``--replication``
prints a table whose cells are padded and tab-separated; 3.9 added the ``DirectoryId``
column; ``--human-readable`` prints ``123 ms ago`` instead of epoch milliseconds. A
timestamp of ``-1`` means never.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final

from kafkapilot.parsers._lines import content_lines, int_list, optional_int, reject_unrecognised
from kafkapilot.parsers.errors import ParseError

__all__ = [
    "QuorumNode",
    "QuorumReplica",
    "QuorumStatus",
    "parse_quorum_replication",
    "parse_quorum_status",
]

_STATUS_KEYS: Final[frozenset[str]] = frozenset(
    {
        "ClusterId",
        "LeaderId",
        "LeaderEpoch",
        "HighWatermark",
        "MaxFollowerLag",
        "MaxFollowerLagTimeMs",
        "CurrentVoters",
        "CurrentObservers",
    }
)
_ZERO_UUID: Final[str] = "AAAAAAAAAAAAAAAAAAAAAA"
_AGO: Final[re.Pattern[str]] = re.compile(r"^(-?\d+)\s*ms ago$")
_IDS: Final[re.Pattern[str]] = re.compile(r'"id"\s*:\s*(-?\d+)')


@dataclass(frozen=True, slots=True)
class QuorumNode:
    """A voter or observer as printed from Kafka 3.9 on (only ``node_id`` before)."""

    node_id: int
    directory_id: str | None = None
    endpoints: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QuorumStatus:
    """``leader_id`` None when no leader (-1) or not printed; other numbers None when
    missing."""

    cluster_id: str | None
    leader_id: int | None
    leader_epoch: int | None
    high_watermark: int | None
    max_follower_lag: int | None
    max_follower_lag_time_ms: int | None
    current_voters: tuple[int, ...]
    current_observers: tuple[int, ...]
    voter_nodes: tuple[QuorumNode, ...] = ()
    observer_nodes: tuple[QuorumNode, ...] = ()


@dataclass(frozen=True, slots=True)
class QuorumReplica:
    """A replication row. Timestamps are epoch ms, None for ``-1``; with
    ``--human-readable`` they are None and the ``*_ms_ago`` fields are set instead.
    ``directory_id`` is None before 3.9 and for the all-zero id."""

    node_id: int
    directory_id: str | None
    log_end_offset: int | None
    lag: int | None
    last_fetch_timestamp: int | None
    last_caught_up_timestamp: int | None
    status: str
    last_fetch_ms_ago: int | None = None
    last_caught_up_ms_ago: int | None = None


def parse_quorum_status(text: str) -> QuorumStatus:
    """Raises ParseError when none of the status keys is present."""
    fields: dict[str, str] = {}
    first_other: int | None = None
    for number, line in content_lines(text):
        key, sep, value = line.partition(":")
        if sep and key.strip() in _STATUS_KEYS:
            fields[key.strip()] = value.strip()
        else:
            first_other = first_other or number
    if not fields:
        reject_unrecognised(fields, first_other, "kafka-metadata-quorum describe --status output")
        return QuorumStatus(None, None, None, None, None, None, (), ())
    leader = optional_int(fields.get("LeaderId"))
    voters = _nodes(fields.get("CurrentVoters", ""))
    observers = _nodes(fields.get("CurrentObservers", ""))
    return QuorumStatus(
        cluster_id=fields.get("ClusterId") or None,
        leader_id=leader if leader is not None and leader >= 0 else None,
        leader_epoch=optional_int(fields.get("LeaderEpoch")),
        high_watermark=optional_int(fields.get("HighWatermark")),
        max_follower_lag=optional_int(fields.get("MaxFollowerLag")),
        max_follower_lag_time_ms=optional_int(fields.get("MaxFollowerLagTimeMs")),
        current_voters=tuple(node.node_id for node in voters),
        current_observers=tuple(node.node_id for node in observers),
        voter_nodes=voters,
        observer_nodes=observers,
    )


def parse_quorum_replication(text: str) -> tuple[QuorumReplica, ...]:
    """Rows of the replication table in printed order (leader, followers, observers).

    Raises ParseError when there is output but no ``NodeId`` header.
    """
    columns: list[str] | None = None
    replicas: list[QuorumReplica] = []
    for number, line in content_lines(text):
        cells = _cells(line)
        if cells and cells[0] == "NodeId":
            columns = cells
            continue
        if columns is None:
            raise ParseError("no NodeId header: not describe --replication output", line=number)
        replicas.append(_replica(dict(zip(columns, cells, strict=False)), number))
    return tuple(replicas)


def _cells(line: str) -> list[str]:
    """Tab-separated cells (the tool pads and ends each cell with a tab); white space
    separated when the tabs were lost."""
    if "\t" in line:
        return [cell.strip() for cell in line.split("\t") if cell.strip()]
    return line.split()


def _replica(values: dict[str, str], number: int) -> QuorumReplica:
    node_id = optional_int(values.get("NodeId"))
    if node_id is None:
        raise ParseError("replication row without a node id", line=number)
    fetch, fetch_ago = _timestamp(values.get("LastFetchTimestamp"))
    caught_up, caught_up_ago = _timestamp(values.get("LastCaughtUpTimestamp"))
    directory = values.get("DirectoryId")
    return QuorumReplica(
        node_id=node_id,
        directory_id=directory if directory and directory != _ZERO_UUID else None,
        log_end_offset=optional_int(values.get("LogEndOffset")),
        lag=optional_int(values.get("Lag")),
        last_fetch_timestamp=fetch,
        last_caught_up_timestamp=caught_up,
        status=values.get("Status", ""),
        last_fetch_ms_ago=fetch_ago,
        last_caught_up_ms_ago=caught_up_ago,
    )


def _timestamp(value: str | None) -> tuple[int | None, int | None]:
    """(epoch ms, ms ago) of a timestamp cell; -1 is never."""
    if value is None:
        return None, None
    ago = _AGO.match(value.strip())
    if ago is not None:
        return None, int(ago.group(1))
    number = optional_int(value)
    return (number if number is not None and number >= 0 else None), None


def _nodes(value: str) -> tuple[QuorumNode, ...]:
    """``[1,2,3]`` or ``[{"id": 1, "directoryId": "…", "endpoints": […]}, …]``."""
    try:
        data: Any = json.loads(value)
    except ValueError:
        data = None
    if isinstance(data, list):
        return tuple(node for node in map(_node, data) if node is not None)
    ids = _IDS.findall(value) if '"id"' in value else int_list(value)
    return tuple(QuorumNode(node_id=int(node_id)) for node_id in ids)


def _node(item: Any) -> QuorumNode | None:
    if isinstance(item, int) and not isinstance(item, bool):
        return QuorumNode(node_id=item)
    if isinstance(item, dict) and isinstance(item.get("id"), int):
        directory = item.get("directoryId")
        endpoints = item.get("endpoints") or ()
        return QuorumNode(
            node_id=item["id"],
            directory_id=directory if isinstance(directory, str) else None,
            endpoints=tuple(str(e) for e in endpoints) if isinstance(endpoints, list) else (),
        )
    return None
