"""Fast checks of the lab's data and generated files (no lab needed, no root, no JVM)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.lab.labkit.scenarios import CHANGE_KINDS, load_scenario, scenario_names
from tests.lab.labkit.server_properties import client_properties, server_properties
from tests.lab.labkit.topology import TOPOLOGIES, hosts_for
from tests.lab.labkit.unitfile import expand_exec, parse_env_file
from tests.lab.labkit.units import default_env, unit_file
from tests.lab.proof import (
    OTHER_LAB_PROOFS,
    PROOF_SCENARIOS,
    PROOF_TOPOLOGIES,
    fixtures_only,
    lab_proven,
    named_hosts,
    planted_records,
    problems,
    proof_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
CHECK_IDS = {p.stem for p in (ROOT / "analysis_tasks").glob("*/*.yaml")}


def _props(text: str) -> dict[str, str]:
    return dict(ln.split("=", 1) for ln in text.splitlines() if ln and not ln.startswith("#") and "=" in ln)


@pytest.mark.parametrize("topology", TOPOLOGIES)
@pytest.mark.parametrize("name", ["healthy", "planted", "secrets", "broker-down"])
def test_scenarios_load_on_every_topology(name: str, topology: str) -> None:
    scenario = load_scenario(name, hosts_for(topology), topology)
    assert scenario.description
    assert all(c["kind"] in CHANGE_KINDS for c in scenario.changes)
    assert {p["check"] for p in scenario.planted} <= CHECK_IDS


def test_healthy_changes_nothing_and_expects_only_what_the_topology_is() -> None:
    assert {"broker-down", "healthy", "planted", "secrets"} <= set(scenario_names())
    healthy = load_scenario("healthy")
    assert healthy.changes == []
    # the lab's clients all connect as the super user admin, so its authorizer holds no ACL
    assert {p["check"] for p in planted_records("healthy", "kraft")} == {"acl_authorizer_without_acls"}
    assert {p["check"] for p in planted_records("healthy", "zookeeper")} == {"zookeeper_mode_deprecated",
                                                                          "kafka_version_end_of_life",
                                                                          "acl_authorizer_without_acls"}


def test_every_check_is_proven_on_the_lab_or_says_why_not() -> None:
    proven, reasons = set(lab_proven()), fixtures_only()
    assert set(OTHER_LAB_PROOFS) <= CHECK_IDS
    assert not set(reasons) - CHECK_IDS, "fixtures_only.toml names unknown checks"
    assert not proven & set(reasons), "proven on the lab and listed in fixtures_only.toml"
    assert not CHECK_IDS - proven - set(reasons), ("neither planted by a lab scenario nor in "
                                                   "tests/lab/fixtures_only.toml")
    assert all(len(why) > 20 for why in reasons.values())
    assert len(proven) >= 50


def test_planted_records_are_well_formed() -> None:
    for scenario in PROOF_SCENARIOS:
        for topology in PROOF_TOPOLOGIES:
            names = {h.name for h in hosts_for(topology)}
            for record in planted_records(scenario, topology):
                assert set(record) <= {"check", "hosts", "only", "names", "actual", "detail", "topologies"}, record
                assert record["detail"] and set(record["hosts"]) <= names, record


def test_lab_proof_doc_is_current() -> None:
    doc = ROOT / "docs" / "lab-proof.md"
    assert doc.read_text() == proof_markdown(), "regenerate: python -m tests.lab.proof > docs/lab-proof.md"


def _report(*findings: dict) -> dict:
    return {"findings": list(findings)}


def _finding(check: str, status: str = "fail", *rows: dict) -> dict:
    return {"task_id": check, "status": status, "summary": "", "evidence": list(rows)}


def test_proof_needs_the_failure_on_the_planted_host_only() -> None:
    hosts = ["kafka-1", "kafka-2", "kafka-3"]
    record = {"check": "c", "hosts": ["kafka-3"], "actual": "4096", "detail": "d"}
    good = _finding("c", "fail", {"host": "kafka-3", "item": None, "message": "m", "actual": "4096"})
    assert problems(_report(good), record, hosts) == []
    assert problems(_report(_finding("c", "pass")), record, hosts)
    assert problems(_report(), record, hosts) == ["c: not in the report"]
    wrong_value = _finding("c", "fail", {"host": "kafka-3", "item": None, "message": "m", "actual": "100000"})
    assert "does not show '4096'" in problems(_report(wrong_value), record, hosts)[0]
    too_many = _finding("c", "fail", {"host": "kafka-3", "actual": "4096"}, {"host": "kafka-1", "actual": "4096"})
    assert "also names ['kafka-1']" in problems(_report(too_many), record, hosts)[0]
    assert problems(_report(too_many), {**record, "only": False}, hosts) == []


def test_proof_matches_names_as_words_and_topics_by_partition() -> None:
    row = {"host": None, "item": "no-replicas-2", "message": "kafka-2 is down; kafka-10 too", "actual": None}
    assert named_hosts(_finding("c", "fail", row), ["kafka-1", "kafka-2"]) == {"kafka-2"}
    record = {"check": "c", "hosts": [], "names": ["no-replicas"], "detail": "d"}
    assert problems(_report(_finding("c", "fail", row)), record, []) == []
    assert problems(_report(_finding("c", "fail", row)), {**record, "names": ["replicas"]}, [])


def test_secrets_are_distinct_and_planted() -> None:
    scenario = load_scenario("secrets")
    values = list(scenario.secrets.values())
    assert len(values) >= 25 and len(set(values)) == len(values)
    planted_text = repr(scenario.changes)
    assert all(v in planted_text for v in values)
    # kplab-<16 hex>, or a secret of a fixed shape (AWS key, base64 digest, JWT …) long enough never to be found
    # in a snapshot by chance
    assert all(re.fullmatch(r"kplab-[0-9a-f]{16}", v) or len(v) >= 20 for v in values)
    assert sum(bool(re.fullmatch(r"kplab-[0-9a-f]{16}", v)) for v in values) >= 25


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_healthy_server_properties_are_production_grade(topology: str) -> None:
    hosts = hosts_for(topology)
    for host in (h for h in hosts if "broker" in h.roles):
        p = _props(server_properties(host, hosts, "4.4.0" if topology != "zookeeper" else "3.9.2"))
        assert p["default.replication.factor"] == "3" and p["min.insync.replicas"] == "2"
        assert p["offsets.topic.replication.factor"] == "3" and p["transaction.state.log.min.isr"] == "2"
        assert p["unclean.leader.election.enable"] == "false" and p["auto.create.topics.enable"] == "false"
        assert p["broker.rack"].startswith("rack-") and p["log.dirs"] == "/var/lib/kafka/data"
        assert p["ssl.client.auth"] == "required" and p["allow.everyone.if.no.acl.found"] == "false"
        assert set(p["listener.security.protocol.map"].replace(",", ":").split(":")[1::2]) == {"SSL"}
        assert p["inter.broker.listener.name"] == "INTERNAL"
        assert all(v.startswith("${file:") for k, v in p.items() if "password" in k)
    assert "password=${file:" in client_properties("kafka-1:9092")


def test_unit_and_environment_file_expand_like_systemd() -> None:
    env = parse_env_file(default_env("kafka", heap="512m", log4j2=True))
    assert env["KAFKA_HEAP_OPTS"] == "-Xms512m -Xmx512m"
    exec_start = next(ln for ln in unit_file("kafka").splitlines() if ln.startswith("ExecStart="))
    argv = expand_exec(exec_start.split("=", 1)[1], env)
    assert argv[:3] == ["/usr/bin/java", "-Xms512m", "-Xmx512m"]
    assert argv[-4:] == ["-cp", "/opt/kafka/libs/*", "kafka.Kafka", "/etc/kafka/server.properties"]
    assert "-Dlog4j2.configurationFile=/etc/kafka/log4j2.yaml" in argv
    assert expand_exec("run ${A}x $B", {"A": "1 2", "B": "3 4"}) == ["run", "1 2x", "3", "4"]
