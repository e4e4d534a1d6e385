#!/usr/bin/env python3
"""Benchmark: LLM prompt tasks in parallel, {facts} against raw files, and a cached re-run.

Against the fake OpenAI server of the tests (tests/llm/fake_openai.py) answering after 1 s,
through litellm's real network path, on a 6-broker snapshot with broker logs:

1. 17 prompt tasks (the original tool's 17 checks, 8 of them per broker): wall time with the
   default concurrency against one call at a time (goal: ≥ 6× faster);
2. tokens sent per task with {facts} against the same task fed raw files, {config} {system}
   {admin} {logs}, as the original tool did (goal: ≥ 5× fewer);
3. a cached re-run of `kafkapilot-analyse` as a user runs it, in a fresh process (goal: < 2 s).

    .venv/bin/python bench/llm_concurrency.py [--delay 1.0] [--brokers 6]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kafkapilot.catalog.load import load_catalog  # noqa: E402
from kafkapilot.facts import build_facts  # noqa: E402
from kafkapilot.llm import client  # noqa: E402
from kafkapilot.llm.config import LLMConfig  # noqa: E402
from kafkapilot.llm.runner import LLMRunner  # noqa: E402
from kafkapilot.snapshot.load import load_snapshot  # noqa: E402
from kafkapilot.snapshot.write import materialize  # noqa: E402
from tests.llm.fake_openai import FakeOpenAI, default_answer  # noqa: E402
from tests.llm.spec import llm_spec  # noqa: E402

# id, per broker, facts the {facts} variant needs, raw data the original fed, the question.
TASKS = [
    ("jvm_heap_memory_ratio", True, ["node.jvm.xmx_bytes", "node.os.mem_total_bytes"], ["config", "system"],
     "Is -Xmx above 25% of RAM?"),
    ("jvm_heap_preallocation", True, ["node.jvm"], ["system"], "Does -Xms differ from -Xmx?"),
    ("jvm_heap_size_limit", True, ["node.jvm.xmx_bytes"], ["system"], "Is -Xmx above 8 GB?"),
    ("minimum_cpu_cores", True, ["node.os.cpus"], ["system"], "Does the broker host have fewer than 4 CPUs?"),
    ("multiple_log_dirs", True, ["node.log_dirs"], ["config"], "Does log.dirs list several directories?"),
    ("thread_configuration", True, ["node.config"], ["config", "system"],
     "Are num.network.threads and num.io.threads sensible?"),
    ("authentication_authorization", True, ["node.listeners"], ["config"],
     "Does a listener accept clients without authentication?"),
    ("recent_log_errors", True, ["node.logs"], ["logs"], "Do the logs show errors that need attention?"),
    ("broker_count_ha", False, ["cluster.broker_count"], ["admin"], "Are there fewer than 3 brokers?"),
    ("in_transit_encryption", False, ["node.listeners"], ["config"], "Do listeners send data unencrypted?"),
    ("isr_replication_margin", False, ["node.config"], ["config", "admin"],
     "Does default.replication.factor leave a margin over min.insync.replicas?"),
    ("rack_awareness", False, ["cluster.racks"], ["config", "admin"], "Is broker.rack unset or the same everywhere?"),
    ("separate_listeners", False, ["node.listeners"], ["config"], "Do clients and replication share one listener?"),
    ("kraft_controller_ha_check", False, ["cluster.quorum"], ["config", "admin"],
     "Is the controller quorum too small or even?"),
    ("zookeeper_ha_check", False, ["cluster.mode"], ["config", "admin"],
     "Is the ZooKeeper ensemble too small or even?"),
    ("zookeeper_heap_memory", False, ["cluster.mode"], ["system"], "Is a ZooKeeper heap above 2 GB?"),
    ("zookeeper_heap_preallocation", False, ["cluster.mode"], ["system"], "Does a ZooKeeper -Xms differ from -Xmx?"),
]


def write_tasks(directory: Path, *, raw: bool) -> list[str]:
    """The 17 tasks as YAML files: ours with {facts} and requires, or the original's raw placeholders."""
    directory.mkdir(parents=True)
    for task_id, per_broker, requires, kinds, question in TASKS:
        data = {"id": task_id, "name": question[:-1], "category": "general", "per_broker_analysis": per_broker}
        if raw:
            placeholders = "\n\n".join(f"{kind}:\n{{{kind}}}" for kind in kinds)
            data.update(include_data=kinds, prompt=f"You are a Kafka expert. {question}\n\n{placeholders}\n")
        else:
            data.update(include_data=["facts"], requires=requires, prompt=f"{question}\n\nFacts:\n{{facts}}\n")
        (directory / f"{task_id}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return [t[0] for t in TASKS]


def calls_by_task(debug: Path, model: str) -> dict[str, tuple[int, int, float]]:
    """task id → (requests, tokens sent by litellm's counter, summed call latency) from --llm-debug."""
    result: dict[str, tuple[int, int, float]] = {}
    for line in debug.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        task_id = event.get("label", "").split("@")[0]
        calls, tokens, latency = result.get(task_id, (0, 0, 0.0))
        if event["event"] == "request":
            result[task_id] = (calls + 1, tokens + client.count_tokens(model, event["request"]["messages"]), latency)
        elif event["event"] == "response":
            result[task_id] = (calls, tokens, latency + event["latency_s"])
    return result


def cached_rerun(server: FakeOpenAI, snapshot: Path, work: Path, ids: list[str], model: str) -> float:
    """3. `kafkapilot-analyse` again in a fresh process, every answer cached (printed); then the same
    command without --model: its wall seconds."""
    command = [str(Path(sys.executable).parent / "kafkapilot-analyse"), str(snapshot),
               "--tasks-dir", str(work / "tasks-facts"), "--tasks", ",".join(ids),
               "--model", model, "--api-base", server.url, "--report", "json"]
    env = {**os.environ, "KAFKAPILOT_LLM_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    before = len(server.requests)
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=600)
    rerun = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu_after.ru_utime - cpu_before.ru_utime + cpu_after.ru_stime - cpu_before.ru_stime
    report = json.loads(result.stdout)
    cached = sum(1 for r in report["task_runs"] if r["cached"])
    print(f"\n3. cached re-run, `kafkapilot-analyse` in a fresh process: {rerun:.2f} s wall, {cpu:.2f} s CPU, "
          f"{len(server.requests) - before} requests sent, {cached} of {len(report['task_runs'])} tasks from the cache")
    print(f"   {result.stderr.strip().splitlines()[-1]}")
    started = time.perf_counter()
    subprocess.run(command[:6] + command[10:], capture_output=True, env=env, check=False, timeout=600)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=1.0, help="seconds the server takes per answer")
    parser.add_argument("--brokers", type=int, default=6)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kafkapilot-llm-bench-"))
    topics = [("__consumer_offsets", 50, 3)] + [(f"app.events.{i:02d}", 12, 3) for i in range(40)]
    spec = llm_spec(brokers=args.brokers, log_lines=2000, error_hosts=("kafka-2", "kafka-5"), topics=topics)
    snapshot = materialize(spec, work / "snapshot")
    facts = build_facts(load_snapshot(snapshot))
    ids = write_tasks(work / "tasks-facts", raw=False)
    write_tasks(work / "tasks-raw", raw=True)
    server = FakeOpenAI(lambda request: default_answer(request, args.delay)).start()
    model = "openai/bench"
    config = LLMConfig(model=model, api_base=server.url, cache_dir=work / "cache", progress=False,
                       debug_file=work / "facts.jsonl")

    started = time.perf_counter()
    client.litellm()
    print(f"snapshot: {args.brokers} brokers, {facts.cluster['partition_count']} partitions, "
          "2,000 log lines per broker")
    print(f"litellm import (once, not in the figures below): {time.perf_counter() - started:.1f} s")

    tasks = list(load_catalog(work / "tasks-facts").tasks)
    sequential_config = replace(config, cache=False, concurrency=1, debug_file=work / "sequential.jsonl")
    started = time.perf_counter()
    LLMRunner(sequential_config)(tasks, facts)
    sequential_wall = time.perf_counter() - started
    started = time.perf_counter()
    LLMRunner(config)(tasks, facts)
    wall = time.perf_counter() - started
    ours = calls_by_task(work / "facts.jsonl", model)
    calls = sum(c for c, _, _ in ours.values())
    latencies = sum(latency for _, _, latency in calls_by_task(work / "sequential.jsonl", model).values())
    print(f"\n1. {len(tasks)} prompt tasks, {calls} calls, server answers after {args.delay:g} s")
    print(f"   one call at a time: {sequential_wall:.1f} s (sum of its call latencies {latencies:.1f} s)")
    print(f"   default concurrency ({config.concurrency}): {wall:.1f} s, {sequential_wall / wall:.1f}x faster")

    raw_config = LLMConfig(model=model, api_base=server.url, cache=False, progress=False, debug_file=work / "raw.jsonl",
                           max_tokens_per_request=10_000_000)
    server.responder = default_answer
    LLMRunner(raw_config)(list(load_catalog(work / "tasks-raw").tasks), facts)
    raw = calls_by_task(work / "raw.jsonl", model)
    print("\n2. tokens sent per task (litellm's counter): {facts} vs raw files")
    print(f"   {'task':<30}{'calls':>6}{'{facts}':>10}{'raw':>10}{'ratio':>8}")
    for task_id in ids:
        (calls_ours, tokens_ours, _), (_, tokens_raw, _) = ours[task_id], raw[task_id]
        print(f"   {task_id:<30}{calls_ours:>6}{tokens_ours:>10,}{tokens_raw:>10,}{tokens_raw / tokens_ours:>7.1f}x")
    total_ours, total_raw = sum(t for _, t, _ in ours.values()), sum(t for _, t, _ in raw.values())
    print(f"   {'total':<30}{calls:>6}{total_ours:>10,}{total_raw:>10,}{total_raw / total_ours:>7.1f}x")

    server.responder = lambda request: default_answer(request, args.delay)
    baseline = cached_rerun(server, snapshot, work, ids, model)
    started = time.perf_counter()
    LLMRunner(config)(tasks, facts)
    print(f"   the same command without --model (no LLM at all): {baseline:.2f} s wall; "
          f"the cached prompt runner alone: {time.perf_counter() - started:.2f} s")
    print(f"   load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    server.stop()


if __name__ == "__main__":
    main()
