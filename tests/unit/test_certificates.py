"""Certificates: the PEM/DER parser, the keystores a config names, and the redaction pass that keeps
only public certificates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kafkapilot.facts import build_facts
from kafkapilot.parsers.certificates import parse_certificates
from kafkapilot.parsers.errors import ParseError
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.collection.collection_path import plugin_utils
from tests.factory.certificates import CA, EXPIRED, EXPIRING, HEALTHY, keytool_listing
from tests.factory.fixtures import fixture_spec

# the collection's side (plugins/plugin_utils): which keystores a config names, and the redaction pass
Keystore, config_providers, keystores = (getattr(plugin_utils("plan"), n) for n in ("Keystore", "config_providers",
                                                                                      "keystores"))
Redactor = plugin_utils("redact").Redactor


def test_a_keytool_listing_gives_each_certificate_with_its_alias_and_chain_position() -> None:
    leaf, ca = parse_certificates(keytool_listing(EXPIRING, alias="kafka-1"))
    assert (leaf.alias, leaf.position, ca.alias, ca.position) == ("kafka-1", 1, "kafka-1", 2)
    assert leaf.subject == "CN=kafka-1.example.internal,O=Example" and leaf.issuer == "CN=Example Kafka CA,O=Example"
    assert (leaf.not_before, leaf.not_after) == (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 6, tzinfo=UTC))
    assert ca.self_signed and not leaf.self_signed and ca.not_after == datetime(2034, 12, 30, tzinfo=UTC)


def test_pem_blocks_without_aliases_and_several_entries() -> None:
    text = f"Alias name: a\nCertificate[1]:\n{HEALTHY}Alias name: b\nCertificate[1]:\n{EXPIRED}"
    assert [(c.alias, c.position, c.not_after.year) for c in parse_certificates(text)] == [("a", 1, 2028),
                                                                                           ("b", 1, 2026)]
    assert [c.alias for c in parse_certificates(CA + HEALTHY)] == [None, None]
    assert parse_certificates("") == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("keytool error: java.io.IOException: keystore password was incorrect\n", "line 1: no PEM certificate"),
    ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "line 1: certificate 1 is not a valid X.509"),
    ("x\n" + HEALTHY.replace("MI", "MX", 1), "line 2: certificate 1 is not a valid X.509"),
])
def test_what_is_not_a_certificate_is_a_one_line_error(text: str, expected: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_certificates(text)
    assert str(caught.value).startswith(expected) and "\n" not in str(caught.value)


def test_keystores_named_by_kafka_and_zookeeper_configs() -> None:
    config = {
        "ssl.keystore.location": "/etc/kafka/ssl/k.p12",
        "listener.name.internal.ssl.keystore.location": "/etc/kafka/ssl/internal.jks",
        "listener.name.internal.ssl.keystore.type": "jks",
        "zookeeper.ssl.keystore.location": "/etc/kafka/ssl/k.p12",  # the same file: listed once
        "ssl.truststore.location": "/etc/kafka/ssl/trust.p12",     # public certificates of others: not listed
        "ssl.keyStore.location": "/etc/zookeeper/zk.pem",          # ZooKeeper's spelling
        "ssl.quorum.keyStore.location": "relative/path.jks",       # not an absolute path
    }
    assert keystores(config) == [
        Keystore("listener.name.internal.ssl.keystore.location", "/etc/kafka/ssl/internal.jks", "JKS",
                 "listener.name.internal.ssl.keystore.password", "listener.name.internal.ssl.keystore.passwordPath"),
        Keystore("ssl.keyStore.location", "/etc/zookeeper/zk.pem", "PEM", "ssl.keyStore.password",
                 "ssl.keyStore.passwordPath"),
        Keystore("ssl.keystore.location", "/etc/kafka/ssl/k.p12", "PKCS12", "ssl.keystore.password",
                 "ssl.keystore.passwordPath"),
    ]
    assert config_providers({"config.providers": "file, vault",
                             "config.providers.file.class": "x.FileConfigProvider"}) \
        == {"file": "x.FileConfigProvider", "vault": ""}


def test_the_redaction_pass_keeps_public_certificates_only() -> None:
    key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n"
    text = f"Keystore type: PKCS12\nAlias name: kafka\nCertificate[1]:\n{HEALTHY}{key}Certificate[2]:\n{CA}"
    kept, count = Redactor().certificates(text)
    assert kept == f"Alias name: kafka\nCertificate[1]:\n{HEALTHY}Certificate[2]:\n{CA}"
    assert count == 2  # the key block, and the line that was neither a certificate nor an alias line


def _node_facts(patches: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    facts = build_facts(load_snapshot(materialize(fixture_spec({"base": "kraft3", "patches": patches}),
                                                  tmp_path / "s")))
    return next(n for n in facts.nodes if n["host"] == "kafka-1")


def test_days_left_count_from_the_end_of_the_collection(tmp_path: Path) -> None:
    node = _node_facts([{"host": "kafka-1", "artifact": "keystore_certificates",
                         "content": keytool_listing(EXPIRED)}], tmp_path)
    leaf, ca = node["certificates"]
    assert (leaf["not_after"], leaf["days_left"], leaf["expired"]) == ("2026-11-01T00:00:00Z", -25.6, True)
    assert (ca["position"], ca["self_signed"], ca["expired"]) == (2, True, False)


def test_a_keystore_whose_password_is_not_resolved_leaves_the_fact_unknown_with_the_reason(tmp_path: Path) -> None:
    node = _node_facts([{"host": "kafka-1", "artifact": "keystore_certificates", "status": "skipped",
                         "error": "ssl.keystore.password comes from config provider 'vault' (x.Vault): not resolved"}],
                       tmp_path)
    assert node["certificates"] is None
    assert node["unavailable"]["certificates"] == ("not collected: keystore_certificates skipped: "
                                                   "ssl.keystore.password "
                                                   "comes from config provider 'vault' (x.Vault): not resolved")
