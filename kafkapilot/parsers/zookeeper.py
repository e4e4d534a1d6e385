"""The ``srvr`` four-letter word of ZooKeeper::

    Zookeeper version: 3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c, built on 2024-02-12 22:16 UTC
    Latency min/avg/max: 0/0.0/0
    Mode: follower
    Node count: 5

``This ZooKeeper instance is not currently serving requests`` (and nothing else) is
returned under the key ``error``.
"""

from __future__ import annotations

from typing import Final

from kafkapilot.parsers._lines import content_lines, reject_unrecognised

__all__ = ["parse_zookeeper_srvr"]

_NOT_SERVING: Final[str] = "not currently serving requests"


def parse_zookeeper_srvr(text: str) -> dict[str, str]:
    """``Key: value`` lines (split at the first ``": "``), values stripped.

    Raises ParseError for output with no such line and no known message.
    """
    result: dict[str, str] = {}
    first_other: int | None = None
    for number, line in content_lines(text):
        if _NOT_SERVING in line:
            result["error"] = line.strip()
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip():
            result[key.strip()] = value.strip()
        else:
            first_other = first_other or number
    reject_unrecognised(result, first_other, "ZooKeeper srvr output")
    return result
