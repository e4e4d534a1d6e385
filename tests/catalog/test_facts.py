"""Facts the catalog's checks rely on, where they used to be wrong (see docs/facts.md)."""

from __future__ import annotations

from pathlib import Path

from kafkapilot.facts import build_facts
from kafkapilot.facts.listeners import parse_listeners
from kafkapilot.facts.nodes import roles_from_groups
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec


def _facts(fixture: dict, tmp_path: Path):  # noqa: ANN202
    return build_facts(load_snapshot(materialize(fixture_spec(fixture), tmp_path / "snapshot")))


def test_node_without_config_keeps_the_role_of_its_inventory_group(tmp_path: Path) -> None:
    denied = {"host": "kafka-2", "artifact": "server_properties", "status": "denied", "error": "permission denied"}
    facts = _facts({"base": "kraft3", "patches": [denied]}, tmp_path)
    node = next(n for n in facts.nodes if n["host"] == "kafka-2")
    assert node["config"] is None
    assert node["roles"] == ["broker"]
    assert node["mode"] == "unknown"
    assert node in facts.brokers
    assert node["unavailable"]["config"] == "not collected: server_properties denied: permission denied"


def test_roles_from_groups() -> None:
    assert roles_from_groups(["kafka_brokers"]) == ["broker"]
    assert roles_from_groups(["kafka_controllers"]) == ["controller"]
    assert roles_from_groups(["kafka_brokers", "kafka_controllers"]) == ["broker", "controller"]
    assert roles_from_groups([]) == ["broker"]


def test_log_dir_is_the_effective_log_dirs(tmp_path: Path) -> None:
    single = {"host": "*", "artifact": "server_properties",
              "replace": ["log.dirs=/var/lib/kafka/data\n", "log.dir=/srv/kafka\n"]}
    node = _facts({"base": "kraft3", "patches": [single]}, tmp_path).nodes[0]
    assert node["log_dirs"] == ["/srv/kafka"]
    assert node["config"]["log.dirs"] == "/srv/kafka"


def test_inter_broker_listener_defaults_to_security_inter_broker_protocol() -> None:
    config = {"listeners": "PLAINTEXT://:9092,SSL://:9093"}
    roles = {listener["name"]: listener["role"] for listener in parse_listeners(config)}
    assert roles == {"PLAINTEXT": "inter_broker", "SSL": "client"}
    config["security.inter.broker.protocol"] = "SSL"
    roles = {listener["name"]: listener["role"] for listener in parse_listeners(config)}
    assert roles == {"PLAINTEXT": "client", "SSL": "inter_broker"}
