"""Fast checks of the lab's data and generated files (no lab needed, no root, no JVM)."""
from __future__ import annotations

import re

import pytest

from tests.lab.labkit.scenarios import CHANGE_KINDS, load_scenario, scenario_names
from tests.lab.labkit.server_properties import client_properties, server_properties
from tests.lab.labkit.topology import TOPOLOGIES, hosts_for
from tests.lab.labkit.unitfile import expand_exec, parse_env_file
from tests.lab.labkit.units import default_env, unit_file

CHECK_IDS = {"topic_replication_factor_one", "min_insync_replicas_vs_rf", "unclean_leader_election",
             "jvm_heap_size_limit", "jvm_heap_preallocation", "in_transit_encryption", "rack_awareness",
             "open_files_limit", "broker_not_running", "plaintext_secrets", "auto_create_topics"}


def _props(text: str) -> dict[str, str]:
    return dict(ln.split("=", 1) for ln in text.splitlines() if ln and not ln.startswith("#") and "=" in ln)


@pytest.mark.parametrize("topology", TOPOLOGIES)
@pytest.mark.parametrize("name", ["healthy", "planted", "secrets", "broker-down"])
def test_scenarios_load_on_every_topology(name: str, topology: str) -> None:
    scenario = load_scenario(name, hosts_for(topology))
    assert scenario.description
    assert all(c["kind"] in CHANGE_KINDS for c in scenario.changes)
    assert {p["check"] for p in scenario.planted} <= CHECK_IDS


def test_healthy_plants_nothing_and_planted_plants_every_check() -> None:
    assert {"broker-down", "healthy", "planted", "secrets"} <= set(scenario_names())
    healthy = load_scenario("healthy")
    assert healthy.changes == [] and healthy.planted == []
    assert {p["check"] for p in load_scenario("planted").planted} == CHECK_IDS


def test_secrets_are_distinct_and_planted() -> None:
    scenario = load_scenario("secrets")
    values = list(scenario.secrets.values())
    assert len(values) >= 10 and len(set(values)) == len(values)
    planted_text = repr(scenario.changes)
    assert all(v in planted_text for v in values)
    assert all(re.fullmatch(r"kplab-[0-9a-f]{16}", v) for v in values)


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
