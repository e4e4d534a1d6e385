"""`kafkapilot diff` on two real collections of the healthy KRaft lab, before and after a planted change,
diffs to exactly that change (issue 13).

The change is cheap and touches each part of a diff: a dynamic config on broker 2 (a config change, and the
info finding dynamic_config_overrides it causes), a new topic (topics added), and 600 messages produced to
`orders` while the consumer group `billing` stays stopped (its lag grows on those partitions with its committed
offsets unchanged: stalled). Nothing restarts, no version or replica moves, no group appears or goes. The test
undoes the config and the topic afterwards; `billing` keeps 600 more lag (the healthy lab's 4000 → 4600, under
every threshold). Run it alone with:

    flock /tmp/kafkapilot-lab.lock sh -c '.venv/bin/python -m pytest -p no:cacheprovider -m lab \
        tests/lab/test_diff_lab.py; tests/lab/lab down'
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.collection.labrun import run_collect
from tests.lab.pytest_lab import LabController

pytestmark = pytest.mark.lab

TOOLS = "/opt/kafka/bin"
CLIENT = "--bootstrap-server kafka-1:9092 --command-config /etc/kafka/client.properties"
TOPIC = "diff-planted"
PRODUCED = 600


def _diff(old: Path, new: Path, *args: str) -> subprocess.CompletedProcess[str]:
    kafkapilot = str(Path(sys.executable).with_name("kafkapilot"))
    return subprocess.run([kafkapilot, "diff", str(old), str(new), *args], capture_output=True, text=True,
                          timeout=600, check=False)


@pytest.mark.lab("kraft", "healthy")
def test_diff_of_two_lab_snapshots_is_exactly_the_planted_change(lab_factory: LabController,
                                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    lab = lab_factory.up("kraft", "healthy")
    before = run_collect(lab.inventory, tmp_path_factory.mktemp("diff-before")).snapshot
    lab_factory.snapshots.setdefault(("kraft", "healthy"), before)  # the healthy lab as it came up: reusable
    try:
        lab.ssh("kafka-1", f"{TOOLS}/kafka-configs.sh {CLIENT} --alter --entity-type brokers --entity-name 2 "
                           "--add-config log.cleaner.threads=2")
        lab.ssh("kafka-1", f"{TOOLS}/kafka-topics.sh {CLIENT} --create --topic {TOPIC} --partitions 3 "
                           "--replication-factor 3")
        lab.ssh("kafka-1", f"{TOOLS}/kafka-producer-perf-test.sh --topic orders --num-records {PRODUCED} "
                           "--record-size 200 --throughput -1 --producer.config /etc/kafka/client.properties "
                           "--producer-props bootstrap.servers=kafka-1:9092 acks=all", timeout=300)
        after = run_collect(lab.inventory, tmp_path_factory.mktemp("diff-after")).snapshot
    finally:
        lab.ssh("kafka-1", f"{TOOLS}/kafka-configs.sh {CLIENT} --alter --entity-type brokers --entity-name 2 "
                           "--delete-config log.cleaner.threads", check=False)
        lab.ssh("kafka-1", f"{TOOLS}/kafka-topics.sh {CLIENT} --delete --if-exists --topic {TOPIC}", check=False)

    out = _diff(before, after, "-r", "json", "--fail-on", "info")
    assert out.returncode == 3, out.stderr  # a new finding (info) reaches --fail-on info
    document = json.loads(out.stdout)
    findings, changes = document["findings"], document["changes"]
    # what the diff said, shown by pytest when an assertion below fails
    print(json.dumps({"findings": {k: [f["task_id"] if isinstance(f, dict) and "task_id" in f else f for f in v]
                                   if isinstance(v, list) else v for k, v in findings.items()},
                      "changes": {k: v for k, v in changes.items() if k != "consumer_groups"}}, indent=1))

    assert [(f["task_id"], f["hosts"]) for f in findings["new"]] == [("dynamic_config_overrides", ["kafka-2"])]
    assert findings["resolved"] == [] and findings["changed"] == [] and findings["unverified"] == []
    assert changes["config"] == [{"node": "kafka-2", "key": "log.cleaner.threads", "old": "1", "new": "2",
                                  "hidden": False}]
    assert changes["brokers"] == {"added": [], "removed": [], "restarted": []}
    assert changes["versions"] == {"kafka": [], "java": []}
    assert changes["topics"] == {"added": [TOPIC], "removed": [], "partitions": [], "replication_factor": []}
    assert changes["replicas"] == []
    assert changes["missing"] == []
    assert changes["between"]["hours"] > 0

    groups = changes["consumer_groups"]
    assert groups["added"] == [] and groups["removed"] == []
    lag = groups["partitions"]
    assert {p["group"] for p in lag} == {"billing"} and {p["topic"] for p in lag} == {"orders"}
    stalled = [p for p in lag if p["trend"] == "stalled"]
    assert stalled and {p["trend"] for p in lag} <= {"stalled", "steady"}
    assert all(p["old"]["committed_offset"] == p["new"]["committed_offset"] for p in lag)
    assert sum(p["new"]["lag"] - p["old"]["lag"] for p in lag) == PRODUCED
    assert all(p["rate_per_hour"] > 0 for p in stalled)

    text = _diff(before, after)
    assert text.returncode == 0, text.stderr
    assert "kafka-2  log.cleaner.threads  1    2" in text.stdout
