"""``kafka-broker-api-versions.sh``: the brokers the metadata knows, each followed by its
API versions, indented by a tab (⇥ here)::

    kafka-1:9092 (id: 1 rack: rack-a isFenced: false) -> (
    ⇥Produce(0): 0 to 11 [usable: 11],
    ⇥…
    )

The node line is Java's ``Node.toString()``: ``rack: null`` without a rack; ``isFenced``
was added in Kafka 4.0 (absent before). The host may be an IPv6 literal without brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines, reject_unrecognised

__all__ = ["BrokerEndpoint", "parse_broker_api_versions"]

_NODE: Final[re.Pattern[str]] = re.compile(
    r"^(?P<host>\S*):(?P<port>\d+) \(id: (?P<id>-?\d+) rack: (?P<rack>.*?)"
    r"(?: isFenced: (?P<fenced>true|false))?\) -> \($"
)
_API_LINE: Final[re.Pattern[str]] = re.compile(r"^\s+\S.*\(\d+\):|^\)$")


@dataclass(frozen=True, slots=True)
class BrokerEndpoint:
    """``rack`` None for ``null``; ``fenced`` None before Kafka 4.0."""

    host: str
    port: int
    broker_id: int
    rack: str | None
    fenced: bool | None


def parse_broker_api_versions(text: str) -> tuple[BrokerEndpoint, ...]:
    """Brokers in printed order. Raises ParseError when output has no broker line."""
    brokers: list[BrokerEndpoint] = []
    first_other: int | None = None
    for number, line in content_lines(text):
        match = _NODE.match(line.strip())
        if match is None:
            if not _API_LINE.match(line):
                first_other = first_other or number
            continue
        rack = match.group("rack")
        fenced = match.group("fenced")
        brokers.append(
            BrokerEndpoint(
                host=match.group("host"),
                port=int(match.group("port")),
                broker_id=int(match.group("id")),
                rack=None if rack == "null" else rack,
                fenced=None if fenced is None else fenced == "true",
            )
        )
    reject_unrecognised(brokers, first_other, "kafka-broker-api-versions output")
    return tuple(brokers)
