"""ACL facts (kafkapilot/facts/acls.py): cluster.acls from kafka-acls --list, super_users and the
principal kinds the nodes' listeners can authenticate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kafkapilot.facts import build_facts
from kafkapilot.facts.acls import principal_kind
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec


def _cluster(fixture: dict[str, Any], tmp_path: Path):  # noqa: ANN202
    return build_facts(load_snapshot(materialize(fixture_spec(fixture), tmp_path / "snapshot"))).cluster


def _properties(append: str) -> dict[str, Any]:
    return {"host": "*", "artifact": "server_properties", "append": append}


@pytest.mark.parametrize(("principal", "kind"), [
    ("User:*", "everyone"),
    ("User:ANONYMOUS", "anonymous"),
    ("User:CN=orders-app,OU=eng", "certificate"),
    ("User:alice", "name"),
    ("Group:admins", "other"),
    ("alice", "other"),
])
def test_principal_kind(principal: str, kind: str) -> None:
    assert principal_kind(principal) == kind


def test_healthy_base_acls_super_users_and_kinds(tmp_path: Path) -> None:
    cluster = _cluster({"base": "kraft3"}, tmp_path)
    assert len(cluster.acls) == 6
    first = cluster.acls[0]
    assert (first.resource_type, first.resource_name, first.pattern_type, first.principal, first.operation,
            first.permission, first.principal_kind) == (
        "TOPIC", "orders", "LITERAL", "User:CN=orders-app", "WRITE", "ALLOW", "certificate")
    assert cluster.super_users == ["User:CN=admin", "User:CN=kafka-1", "User:CN=kafka-2", "User:CN=kafka-3"]
    assert cluster.principal_kinds == ["certificate"]  # every listener: SSL with ssl.client.auth=required


@pytest.mark.parametrize(("patches", "kinds"), [
    # a client listener without client certificates: those clients are User:ANONYMOUS
    ([{"host": "*", "artifact": "server_properties", "replace": ["ssl.client.auth=required",
                                                                  "ssl.client.auth=requested"]}],
     ["anonymous", "certificate"]),
    # per-listener setting wins over the broker-wide one
    ([_properties("listener.name.client.ssl.client.auth=none\n")], ["anonymous", "certificate"]),
    ([_properties("ssl.principal.mapping.rules=RULE:^CN=([^,]+).*$/$1/,DEFAULT\n")], ["certificate", "name"]),
    ([{"host": "*", "artifact": "server_properties",
       "replace": ["CLIENT:SSL,", "CLIENT:SASL_SSL,"]}], ["certificate", "name"]),
    ([_properties("principal.builder.class=com.example.Builder\n")], ["anonymous", "certificate", "name"]),
])
def test_principal_kinds_follow_the_listeners(tmp_path: Path, patches: list[dict[str, Any]], kinds: list[str]) -> None:
    assert _cluster({"base": "kraft3", "patches": patches}, tmp_path).principal_kinds == kinds


def test_no_acl_is_an_empty_list_and_a_failed_listing_is_unknown(tmp_path: Path) -> None:
    empty = _cluster({"base": "kraft3", "cluster": [{"name": "acls", "source": "kafka-acls.sh --list",
                                                     "content": ""}]}, tmp_path / "a")
    assert empty.acls == []
    failed = _cluster({"base": "kraft3", "patches": [{"artifact": "acls", "status": "failed", "error": "rc 1"}]},
                      tmp_path / "b")
    assert failed.acls is None
    assert "acls" in failed.unavailable["acls"]
