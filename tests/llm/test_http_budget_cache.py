"""Budget (split per broker, trim the oldest log lines, say so) and the answer cache, end to end."""

from __future__ import annotations

import re
from pathlib import Path

from kafkapilot.facts import Facts, build_facts
from kafkapilot.findings import Status
from kafkapilot.llm.config import LLMConfig
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.llm.conftest import with_changes
from tests.llm.fake_openai import FakeOpenAI
from tests.llm.helpers import builtin_task, grounded, ok, run, user_texts
from tests.llm.spec import llm_spec


def test_a_second_run_is_answered_from_the_cache_identically(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.responder = lambda request: grounded(request, "Replica fetcher errors", "high", ("broker-2",))
    tasks = (builtin_task("recent_log_errors"), builtin_task("log_root_cause"))
    first = run(config, facts, *tasks)
    sent = len(fake.requests)
    second = run(config, facts, *tasks)
    assert len(fake.requests) == sent == 4
    assert [f for f, _ in second] == [f for f, _ in first]
    assert all(r.cached and r.cost_usd == 0 for _, r in second)
    assert [(r.tokens_in, r.tokens_out) for _, r in second] == [(r.tokens_in, r.tokens_out) for _, r in first]
    run(with_changes(config, cache=False), facts, *tasks)  # --no-cache
    assert len(fake.requests) == 8


def test_the_cache_key_follows_model_and_data(fake: FakeOpenAI, config: LLMConfig, facts: Facts,
                                              tmp_path: Path) -> None:
    task = builtin_task("log_root_cause")
    run(config, facts, task)
    run(with_changes(config, model="openai/other"), facts, task)
    other = build_facts(load_snapshot(materialize(llm_spec(error_hosts=("kafka-3",)), tmp_path / "other")))
    run(config, other, task)
    assert len(fake.requests) == 3


def test_failed_calls_are_not_cached(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    fake.push(ok("no"), ok("no"))
    task = builtin_task("log_root_cause")
    assert run(config, facts, task)[0][0].status is Status.ERROR
    assert run(config, facts, task)[0][0].status is Status.PASS
    assert len(fake.requests) == 3


def test_a_brokers_data_over_the_budget_is_divided_across_calls_and_nothing_is_dropped(
    fake: FakeOpenAI, config: LLMConfig, tmp_path: Path
) -> None:
    facts = build_facts(load_snapshot(materialize(llm_spec(log_lines=3000, error_hosts=("kafka-1",)),
                                                  tmp_path / "big")))
    small = with_changes(config, max_tokens_per_request=4000)
    [(finding, task_run)] = run(small, facts, builtin_task("recent_log_errors"))
    broker_1 = [t for t in user_texts(fake.requests) if re.search(r"^broker-1[ :]", t, re.MULTILINE)]
    assert len(broker_1) > 1  # one broker's sampled log, divided into consecutive line ranges
    sent = "\n".join(broker_1)
    assert "java.lang.OutOfMemoryError: Java heap space" in sent  # the newest lines
    assert "offset 25 " in sent  # and the oldest sampled error: nothing dropped
    assert "[lines 1-" in broker_1[0] and "lines left out" not in sent
    assert finding.status is Status.PASS and "Left out" not in finding.summary
    assert "broker-1: the data" not in task_run.note  # names are restored in the report
    assert "kafka-1: the data" in task_run.note and f"divided into {len(broker_1)} calls" in task_run.note
    entries = " ".join(p.read_text() for p in (config.cache_dir or tmp_path).rglob("*.json"))
    assert "kafka-" not in entries and "broker-1: " in entries  # the cache holds tokens, not names


def test_cluster_data_over_budget_is_split_per_broker(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    task = builtin_task("log_root_cause")
    run(with_changes(config, cache=False), facts, task)
    whole = len(fake.requests)
    [(finding, task_run)] = run(with_changes(config, cache=False, max_tokens_per_request=2500), facts, task)
    split = fake.requests[whole:]
    assert (whole, len(split)) == (1, 3)  # three Kafka nodes: the budget fits one at a time
    assert all(sum(f"\nbroker-{i}" in t for i in (1, 2, 3)) == 1 for t in user_texts(split))
    assert finding.status is Status.PASS
    assert "split per node to fit 2,500 tokens" in task_run.note


def test_facts_too_large_for_one_call_are_divided_and_each_fact_is_sent_once(
    fake: FakeOpenAI, config: LLMConfig, facts: Facts
) -> None:
    """A small context: even one node's facts do not fit beside the prompt. They are divided,
    key by key, across calls (the smallest unit of data goes alone), never trimmed to nothing."""
    task = builtin_task("log_root_cause")
    run(with_changes(config, cache=False), facts, task)
    [whole] = user_texts(fake.requests)
    fact_lines = [line for line in whole.splitlines() if line.startswith(("cluster", "broker-"))]
    sent = len(fake.requests)
    [(finding, task_run)] = run(with_changes(config, cache=False, max_tokens_per_request=1100), facts, task)
    divided = user_texts(fake.requests[sent:])
    assert len(divided) > 3  # more calls than nodes: each node's facts were divided too
    assert all(len(text) < 1100 * 4 for text in divided)
    lines = [line for text in divided for line in text.splitlines() if line.startswith(("cluster", "broker-"))]
    values = sorted(line.partition(": ")[2] for line in lines)
    assert "".join(values) and sorted(v for line in fact_lines for v in [line.partition(": ")[2]]) != values
    assert all(line.endswith(("}", "]", '"')) or line[-1].isalnum() for line in lines)  # no value cut
    assert finding.status is Status.PASS
    assert "divided into" in task_run.note


def test_a_prompt_that_cannot_fit_is_an_error_not_a_truncated_guess(fake: FakeOpenAI, config: LLMConfig,
                                                                   facts: Facts) -> None:
    [(finding, _)] = run(with_changes(config, max_tokens_per_request=300), facts, builtin_task("log_root_cause"))
    assert fake.requests == []
    assert finding.status is Status.ERROR
    assert "the task's prompt alone does not fit in 300 tokens" in finding.summary
