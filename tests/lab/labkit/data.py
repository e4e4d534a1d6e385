"""The data every lab holds after `up`: topics, produced messages, a consumer group with lag."""
from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .cluster import CLIENT_CONFIG, Cluster
from .distribution import TOOL_CLASSES

__all__ = ["BASE_TOPICS", "load_data", "create_topics"]

# name, partitions, messages produced
BASE_TOPICS = [("orders", 12, 5000), ("payments", 6, 2000), ("events-many", 120, 6000), ("audit", 3, 600)]
GROUP, GROUP_TOPIC, CONSUMED, PRODUCED_AFTER = "billing", "orders", 3000, 2000
TOPIC_COMMAND = TOOL_CLASSES[4]["kafka-topics.sh"]  # kafka-topics.sh's class, the same in 3.x


def create_topics(cluster: Cluster, topics: list[dict[str, Any]]) -> None:
    """kafka-topics.sh --create for each topic, all in one JVM."""
    runs = []
    for t in topics:
        args = ["--bootstrap-server", cluster.bootstrap, "--command-config", CLIENT_CONFIG, "--create",
                "--if-not-exists", "--topic", t["name"], "--partitions", str(t["partitions"]),
                "--replication-factor", str(t["replication_factor"])]
        for key, value in t.get("config", {}).items():
            args += ["--config", f"{key}={value}"]
        runs.append((t["name"], TOPIC_COMMAND, args))
    cluster.tools_in_one_jvm(runs)


def produce(cluster: Cluster, topic: str, count: int) -> None:
    argv = ["/opt/kafka/bin/kafka-producer-perf-test.sh", "--topic", topic, "--num-records", str(count),
            "--record-size", "200", "--throughput", "-1", "--producer.config", CLIENT_CONFIG,
            "--producer-props", f"bootstrap.servers={cluster.bootstrap}", "acks=all", "linger.ms=20"]
    cluster.run(argv, timeout=180)


def consume(cluster: Cluster, topic: str, group: str, count: int) -> None:
    cluster.tool("kafka-console-consumer.sh", "--consumer.config", CLIENT_CONFIG, "--topic", topic,
                 "--group", group, "--from-beginning", "--max-messages", str(count), "--timeout-ms", "60000",
                 timeout=180)


def load_data(cluster: Cluster, extra_topics: list[dict[str, Any]], log,  # noqa: ANN001
              extra_groups: Sequence[dict[str, Any]] = ()) -> None:
    topics = [{"name": n, "partitions": p, "replication_factor": 3} for n, p, _ in BASE_TOPICS]
    log(f"creating topics {', '.join(t['name'] for t in topics + extra_topics)}")
    create_topics(cluster, topics + extra_topics)
    log(f"producing {sum(c for *_, c in BASE_TOPICS)} messages (kafka-producer-perf-test.sh, acks=all)")
    with ThreadPoolExecutor(max_workers=4) as pool:
        for fut in [pool.submit(produce, cluster, n, c) for n, _, c in BASE_TOPICS]:
            fut.result()
    log(f"consumer group {GROUP}: consuming {CONSUMED} messages of {GROUP_TOPIC}, then producing {PRODUCED_AFTER} more "
        "(lag)")
    consume(cluster, GROUP_TOPIC, GROUP, CONSUMED)
    produce(cluster, GROUP_TOPIC, PRODUCED_AFTER)
    for group in extra_groups:
        log(f"consumer group {group['name']}: consuming {group['consume']} messages of {group['topic']}, "
            f"then producing {group['produce_after']} more (lag)")
        consume(cluster, group["topic"], group["name"], int(group["consume"]))
        produce(cluster, group["topic"], int(group["produce_after"]))
