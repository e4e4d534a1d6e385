"""Two snapshots of one cluster two hours apart, built with the test factory, holding every kind of change a diff
reports (the tests in this folder read them; each change is named where it is planted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from kafkapilot.snapshot.write import materialize
from tests.factory.cluster_spec import DEFAULT_TOPICS, cluster_spec
from tests.factory.fixtures import fixture_spec

__all__ = ["GROUPS_NEW", "GROUPS_OLD", "PLANTED_SECRET", "new_spec", "old_spec", "write"]

#: a password the collection failed to redact, planted in NEW's server.properties of kafka-1: never shown
PLANTED_SECRET: Final = "s3cr3t-Planted-91"

_HEADER: Final = ("\nGROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             "
                  "CONSUMER-ID     HOST            CLIENT-ID\n")


def _groups(rows: list[tuple[str, str, int, str, str, str]]) -> str:
    text = ""
    for group in dict.fromkeys(r[0] for r in rows):
        text += _HEADER + "".join(f"{g:<15} {t:<15} {p:<10} {c:<15} {e:<15} {lag:<15} -               -"
                                  "               -\n" for g, t, p, c, e, lag in rows if g == group)
    return text


# billing on orders: p0 stalled, p1 catching up, p2 falling behind, p3 steady, p4 reset, p5 unknown (no lag)
GROUPS_OLD: Final = _groups([
    ("billing", "orders", 0, "1200", "1300", "100"), ("billing", "orders", 1, "1000", "1500", "500"),
    ("billing", "orders", 2, "1000", "1100", "100"), ("billing", "orders", 3, "1200", "1200", "0"),
    ("billing", "orders", 4, "1000", "1100", "100"), ("billing", "orders", 5, "-", "900", "-"),
    ("retired", "audit", 0, "10", "10", "0"),
])
GROUPS_NEW: Final = _groups([
    ("billing", "orders", 0, "1200", "1500", "300"), ("billing", "orders", 1, "1400", "1600", "200"),
    ("billing", "orders", 2, "1300", "1600", "300"), ("billing", "orders", 3, "1500", "1500", "0"),
    ("billing", "orders", 4, "500", "1100", "600"), ("billing", "orders", 5, "-", "950", "-"),
    ("fresh", "payments", 0, "5", "5", "0"),
])


def _topics_describe(topics: list[tuple[str, int, int]]) -> str:
    return next(a["content"] for a in cluster_spec(topics=topics)["cluster"] if a["name"] == "topics_describe")


def old_spec() -> dict[str, Any]:
    """OLD: the healthy kraft3 cluster at 13:30, kafka-3's broker not running, topic `legacy` present."""
    topics = [*DEFAULT_TOPICS, ("legacy", 1, 3)]
    spec = fixture_spec({
        "patches": [
            {"artifact": "topics_describe", "content": _topics_describe(topics)},
            {"artifact": "consumer_groups", "content": GROUPS_OLD},
        ],
        "hosts": {"kafka-3": {"processes": []}},
    })
    spec["finished_at"] = "2026-11-26T13:30:05Z"
    return spec


def new_spec() -> dict[str, Any]:
    """NEW, two hours later: every kind of change."""
    # payments 6 → 8 partitions, audit replication factor 3 → 2, legacy removed, clicks added
    topics = [("__consumer_offsets", 50, 3), ("orders", 12, 3), ("payments", 8, 3), ("audit", 3, 2), ("clicks", 3, 3)]
    describe = _topics_describe(topics)
    line = next(x for x in describe.splitlines() if "\tTopic: orders\tPartition: 0\t" in x)
    describe = describe.replace(line, line.replace("Isr: 2,3,1", "Isr: 2,3"))  # orders-0 loses replica 1 from its ISR
    spec = fixture_spec({
        "patches": [
            {"artifact": "topics_describe", "content": describe},
            {"artifact": "consumer_groups", "content": GROUPS_NEW},
            {"host": "kafka-1", "artifact": "server_properties", "replace": ["num.io.threads=8", "num.io.threads=16"]},
            {"host": "kafka-1", "artifact": "server_properties",
             "append": f"listener.name.client.ssl.key.password={PLANTED_SECRET}\n"},
            {"host": "kafka-2", "artifact": "java_version", "replace": ["17.0.15", "21.0.5"]},
            {"host": "kafka-2", "artifact": "kafka_version", "replace": ["4.1.0", "4.1.1"]},
        ],
    })
    spec["hosts"]["kafka-2"]["processes"][0]["pid"] = 913  # restarted
    spec["finished_at"] = "2026-11-26T15:30:05Z"
    return spec


def write(spec: dict[str, Any], root: Path) -> Path:
    """Write `spec` as a snapshot directory at `root`."""
    return materialize(spec, root)
