"""kafka-configs.sh --describe output for brokers, topics and the default entity."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.configs import ConfigEntry, parse_configs_describe
from kafkapilot.parsers.errors import ParseError
from tests.unit.parsers._samples import sample


def test_broker_configs_all() -> None:
    described = parse_configs_describe(sample("broker_configs_all.txt"))
    assert [(e.entity_type, e.entity_name) for e in described.entities] == [
        ("brokers", "1"),
        ("brokers", "2"),
        ("brokers", None),
    ]
    broker = described.get("brokers", "1")
    assert broker is not None
    entries = broker.entries
    assert entries["listener.security.protocol.map"] == ConfigEntry(
        value="CONTROLLER:SSL,BROKER:SSL",
        sensitive=False,
        source="STATIC_BROKER_CONFIG",
        synonyms=(
            ("STATIC_BROKER_CONFIG", "listener.security.protocol.map", "CONTROLLER:SSL,BROKER:SSL"),
            (
                "DEFAULT_CONFIG",
                "listener.security.protocol.map",
                "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT",
            ),
        ),
    )
    assert entries["min.insync.replicas"].source == "DYNAMIC_BROKER_CONFIG"
    assert [s[0] for s in entries["min.insync.replicas"].synonyms] == [
        "DYNAMIC_BROKER_CONFIG",
        "DYNAMIC_DEFAULT_BROKER_CONFIG",
        "STATIC_BROKER_CONFIG",
        "DEFAULT_CONFIG",
    ]
    password = entries["ssl.keystore.password"]
    assert (password.value, password.sensitive, password.source) == (None, True, "STATIC_BROKER_CONFIG")
    assert password.synonyms == (("STATIC_BROKER_CONFIG", "ssl.keystore.password", None),)
    unset = entries["advertised.host.name"]
    assert (unset.value, unset.source, unset.synonyms) == (None, None, ())
    assert entries["ssl.cipher.suites"].value == ""
    jaas = entries["listener.name.broker.oauthbearer.sasl.jaas.config"]
    assert jaas.value is not None and jaas.value.endswith('clientId="kafka" scope="a b";')
    assert jaas.synonyms[0][2] == jaas.value
    assert described.get("brokers", "2").entries["log.retention.hours"].value == "72"  # type: ignore[union-attr]
    default = described.get("brokers", None)
    assert default is not None
    assert default.entries["min.insync.replicas"].source == "DYNAMIC_DEFAULT_BROKER_CONFIG"


def test_topic_configs() -> None:
    described = parse_configs_describe(sample("topic_configs_all.txt"))
    assert [(e.entity_type, e.entity_name, len(e.entries)) for e in described.entities] == [
        ("topics", "orders", 4),
        ("topics", "empty-topic", 0),
        ("topics", "payments", 1),
    ]
    orders = described.entities[0].entries
    assert orders["cleanup.policy"].synonyms[1] == ("DEFAULT_CONFIG", "log.cleanup.policy", "delete")
    assert orders["retention.ms"].source == "DEFAULT_CONFIG"
    assert orders["leader.replication.throttled.replicas"].value == ""
    assert described.get("topics", "missing") is None


def test_broker_default_configs() -> None:
    (default,) = parse_configs_describe(sample("broker_default_configs.txt")).entities
    assert (default.entity_type, default.entity_name) == ("brokers", None)
    assert set(default.entries) == {"min.insync.replicas", "log.cleaner.threads"}


def test_other_entity_types_and_crlf() -> None:
    text = (
        "Dynamic configs for broker-logger 1 are:\r\n"
        "  kafka.controller=DEBUG sensitive=false synonyms={}\r\n"
        "All configs for group g1 are:\r\n"
        "  consumer.session.timeout.ms=45000 sensitive=false "
        "synonyms={DEFAULT_CONFIG:group.consumer.session.timeout.ms=45000}\r\n"
        "Dynamic configs for client-metric m are:\r\n"
    )
    described = parse_configs_describe(text)
    assert [(e.entity_type, e.entity_name) for e in described.entities] == [
        ("broker-loggers", "1"),
        ("groups", "g1"),
        ("client-metrics", "m"),
    ]
    assert described.entities[0].entries["kafka.controller"].value == "DEBUG"


def test_unreadable_config_line() -> None:
    with pytest.raises(ParseError) as raised:
        parse_configs_describe("All configs for topic t are:\n  broken line without the markers\n")
    assert raised.value.line == 2
