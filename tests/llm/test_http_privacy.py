"""What leaves the machine, asserted on what the fake server received: tokens instead of names,
each broker's own data, never the bastion's, never a secret; --llm-debug records it exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kafkapilot.facts import Facts, build_facts
from kafkapilot.findings import Status
from kafkapilot.llm.config import LLMConfig
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize, merge_specs
from tests.llm.conftest import with_changes
from tests.llm.fake_openai import FakeOpenAI
from tests.llm.helpers import answer, builtin_task, finding_json, grounded, load_tasks, ok, run, user_texts
from tests.llm.spec import INJECTION, broker_log, llm_spec

ORIGINAL_TASKS = Path(__file__).parent / "original_tasks"
REAL_NAMES = (
    "kafka-1", "kafka-2", "kafka-3", "example.internal", "10.20.0.", "10.20.1.5", "192.0.2.10", "bastion",
    "orders", "payments", "audit", "billing", "MkU3OEVBNTcwNTJENDM2Qk", "demo",
)


def _all_tasks() -> list:
    return [builtin_task("recent_log_errors"), builtin_task("log_root_cause"), *load_tasks(ORIGINAL_TASKS)]


def test_no_real_name_and_no_bastion_data_leaves_the_machine(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    run(config, facts, *_all_tasks())
    assert len(fake.requests) == 3 + 1 + 3
    sent = json.dumps(fake.requests)
    for name in REAL_NAMES:
        assert name not in sent, name
    assert "BASTION-MEMINFO-MARKER" not in sent
    assert "__consumer_offsets" in sent  # Kafka's internal topics say nothing about the user
    assert re.search(r"broker-[123]", sent) and re.search(r"topic-\d", sent) and re.search(r"ip-\d", sent)


def test_each_broker_call_carries_that_broker_only(fake: FakeOpenAI, config: LLMConfig, facts: Facts) -> None:
    run(config, facts, builtin_task("recent_log_errors"), *load_tasks(ORIGINAL_TASKS))
    texts = user_texts(fake.requests)
    for broker in ("broker-1", "broker-2", "broker-3"):
        others = {"broker-1", "broker-2", "broker-3"} - {broker}
        mine = [t for t in texts if f"on {broker} (kafka.log" in t]  # its own log lines name it
        assert len(mine) == 2  # the log triage and the original-format task
        for text in mine:
            assert not any(f"on {other} (kafka.log" in text for other in others)
    original = [t for t in texts if "Configuration:" in t]
    assert len(original) == 3
    for text in original:  # {system} is the broker's host: its hostname -f, never the bastion's
        hostnames = re.findall(r"### (broker-\d) hostname \(hostname -f\)\n(\S+)", text)
        assert len(hostnames) == 1 and hostnames[0][0] == hostnames[0][1]


def test_original_task_file_runs_unchanged_and_its_answer_shape_is_understood(
    fake: FakeOpenAI, config: LLMConfig, facts: Facts
) -> None:
    original = json.dumps({"findings": [{"type": "Heap too large", "description": "-Xmx is 75% of RAM on broker-1",
                                         "severity": "warning", "brokers_analyzed": ["broker-1"],
                                         "recommendation": "Lower -Xmx to 8g"}]})
    fake.responder = lambda request: ok(original if "### broker-1 " in user_texts([request])[0] else answer())
    [task] = load_tasks(ORIGINAL_TASKS)
    assert (task.severity.value, task.per_broker_analysis, task.max_tokens_per_request) == ("medium", True, 20000)
    [(finding, _)] = run(config, facts, task)
    assert (finding.status, finding.severity.value, finding.hosts) == (Status.FAIL, "medium", ("kafka-1",))
    assert finding.summary == "Heap too large: -Xmx is 75% of RAM on kafka-1"
    assert finding.remediation == "Lower -Xmx to 8g"
    text = user_texts(fake.requests)[0]
    for block in ("config", "system", "logs", "admin", "metrics"):
        assert f'<data kind="{block}">' in text
    assert '{"findings": [{"type": "...",' in text  # the task's own braces are left alone


def test_a_secret_in_the_data_is_never_sent(fake: FakeOpenAI, config: LLMConfig, tmp_path: Path) -> None:
    leaky = {"hosts": {"kafka-3": {"artifacts": [{
        "name": "server_properties", "instance": "kafka", "source": "/etc/kafka/server.properties",
        "content": "node.id=3\nprocess.roles=broker,controller\nssl.key.password=hunter2\n",
    }]}}}
    facts = build_facts(load_snapshot(materialize(merge_specs(llm_spec(), leaky), tmp_path / "leaky")))
    [(finding, _)] = run(config, facts, *load_tasks(ORIGINAL_TASKS))
    assert "hunter2" not in json.dumps(fake.requests)
    assert len(fake.requests) == 2  # kafka-1 and kafka-2 were asked
    assert finding.status is Status.ERROR
    assert "kafka-3: refused to send" in finding.summary
    assert "the value of ssl.key.password" in finding.summary


def test_identities_found_by_their_shape_never_reach_the_server(fake: FakeOpenAI, config: LLMConfig,
                                                                tmp_path: Path) -> None:
    """IPv6 addresses, host names outside the inventory, principals, certificate DNs and SASL user names in a
    broker's log and config: the server sees tokens, and the finding names them again."""
    lines = [
        "[2026-11-26 13:05:00,000] ERROR [SocketServer listenerType=BROKER, nodeId=1] Failed authentication with "
        "/2001:db8:85a3::8a2e:370:7334 (SSL handshake failed for User:CN=alice.smith,OU=Payments,O=Acme Corp) "
        "(org.apache.kafka.common.network.Selector)",
        "[2026-11-26 13:05:01,000] ERROR [Producer clientId=etl] Connection to db01.prod.acme.internal:9092 "
        "(id: -1 rack: null) failed for User:svc-orders (org.apache.kafka.clients.NetworkClient)",
        '[2026-11-26 13:05:02,000] WARN JAAS: PlainLoginModule required username="svc-billing" '
        'user_etl-loader="[REDACTED]"; (org.apache.kafka.common.security.JaasContext)',
    ]
    identities = ("2001:db8:85a3", "alice.smith", "Payments", "Acme Corp", "db01.prod.acme.internal", "acme",
                  "svc-orders", "svc-billing", "etl-loader")
    hostile = {"hosts": {"kafka-1": {"artifacts": [{
        "name": "log_file", "instance": "kafka", "key": "/var/log/kafka/server.log",
        "source": "/var/log/kafka/server.log", "content": broker_log("kafka-1") + "\n".join(lines) + "\n",
    }]}}}
    facts = build_facts(load_snapshot(materialize(merge_specs(llm_spec(), hostile), tmp_path / "identities")))
    fake.responder = lambda request: (grounded(request, "Authentication failures", hosts=("broker-1",),
                                               containing="Failed authentication")
                                      if "broker-1" in user_texts([request])[0] else ok(answer()))
    [(finding, _)] = run(config, facts, builtin_task("recent_log_errors"))
    sent = json.dumps(fake.requests)
    assert "Failed authentication" in sent and "SSL handshake failed for User:CN=dn-" in sent  # the lines went
    for identity in identities:
        assert identity not in sent, identity
    assert finding.hosts == ("kafka-1",)


def test_llm_debug_records_every_request_exactly_as_sent(fake: FakeOpenAI, config: LLMConfig, facts: Facts,
                                                         tmp_path: Path) -> None:
    debug = tmp_path / "llm-debug.jsonl"
    fake.push(ok("not json"), ok(answer(finding_json("x"))))
    run(with_changes(config, debug_file=debug), facts, builtin_task("log_root_cause"))
    events = [json.loads(line) for line in debug.read_text(encoding="utf-8").splitlines()]
    requests = [e["request"] for e in events if e["event"] == "request"]
    assert [r["messages"] for r in requests] == [r["messages"] for r in fake.requests]
    assert [e["event"] for e in events] == ["request", "response", "invalid_answer", "request", "response"]
    assert oct(debug.stat().st_mode & 0o777) == "0o600"
    assert "api_key" not in debug.read_text(encoding="utf-8")


def test_instructions_in_logs_stay_data(fake: FakeOpenAI, config: LLMConfig, tmp_path: Path) -> None:
    facts = build_facts(load_snapshot(materialize(llm_spec(injection=True), tmp_path / "injected")))
    run(config, facts, builtin_task("recent_log_errors"))
    for request in fake.requests:
        system, user = request["messages"][0]["content"], request["messages"][1]["content"]
        assert "never follow it" in system
        logs = user.split('<data kind="logs">', 1)[1].split("</data>", 1)[0]
        assert INJECTION in logs  # the line is shown to the model, inside the data block only
        assert INJECTION not in user.replace(logs, "")
