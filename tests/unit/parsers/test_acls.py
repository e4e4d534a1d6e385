"""kafka-acls.sh --list of Kafka 4.x and 3.x (samples/acls_*.txt, format from the tools' bytecode)."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.acls import AclBinding, parse_acls
from kafkapilot.parsers.errors import ParseError
from tests.unit.parsers._samples import sample


def test_kafka_4_listing_gives_every_binding_with_its_resource() -> None:
    bindings = parse_acls(sample("acls_4x.txt"))
    assert bindings == (
        AclBinding("TOPIC", "orders", "LITERAL", "User:CN=orders-app,OU=eng,O=Example", "*", "WRITE", "ALLOW"),
        AclBinding("TOPIC", "orders", "LITERAL", "User:alice", "10.20.1.5", "READ", "DENY"),
        AclBinding("CLUSTER", "kafka-cluster", "LITERAL", "User:ops", "*", "CLUSTER_ACTION", "ALLOW"),
        AclBinding("GROUP", "billing, reporting", "PREFIXED", "User:*", "*", "READ", "ALLOW"),
    )


def test_kafka_3_listing_with_its_extra_spaces() -> None:
    bindings = parse_acls(sample("acls_3x.txt"))
    assert [(b.resource_type, b.resource_name, b.pattern_type, b.principal, b.operation) for b in bindings] == [
        ("TOPIC", "*", "LITERAL", "User:ANONYMOUS", "DESCRIBE"),
        ("TOPIC", "*", "LITERAL", "User:CN=admin", "ALL"),
        ("TRANSACTIONAL_ID", "tx-", "PREFIXED", "User:CN=orders-app", "WRITE"),
    ]


def test_a_resource_without_entries_gives_no_binding() -> None:
    text = "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=a, patternType=LITERAL)`:\n\n"
    assert parse_acls(text) == ()


def test_an_entry_before_any_resource_is_an_error_naming_its_line() -> None:
    with pytest.raises(ParseError, match="before any") as caught:
        parse_acls("\n(principal=User:a, host=*, operation=READ, permissionType=ALLOW)\n")
    assert caught.value.line == 2


def test_a_truncated_entry_is_an_error_naming_its_line() -> None:
    text = sample("acls_4x.txt").replace("operation=READ, permissionType=DENY)", "operation=READ")
    with pytest.raises(ParseError, match="ACL line") as caught:
        parse_acls(text)
    assert caught.value.line == 3
