"""kafka-configs.sh --describe of user, client-id, user+client-id and ip quotas (samples/quotas_*.txt: the
lab's Kafka 3.9.2, the same on 4.4.0)."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.quotas import Quota, parse_quotas
from tests.unit.parsers._samples import sample


def test_users_with_the_default_and_java_doubles() -> None:
    assert parse_quotas(sample("quotas_users.txt")) == (
        Quota(None, None, None, ("user",), (("request_percentage", 200.0),)),
        Quota("app", None, None, (), (("consumer_byte_rate", 2048.0), ("request_percentage", 0.5),
                                      ("producer_byte_rate", 1024.0))),
    )
    assert parse_quotas(sample("quotas_clients.txt")) == (
        Quota(None, None, None, ("client",), (("producer_byte_rate", 10485760.0),)),)


def test_a_user_with_a_client_id_and_an_ip() -> None:
    assert parse_quotas(sample("quotas_user_clients.txt")) == (
        Quota("app", "c1", None, (), (("consumer_byte_rate", 4096.0),)),)
    assert parse_quotas(sample("quotas_ips.txt")) == (
        Quota(None, None, "10.1.2.3", (), (("connection_creation_rate", 2.0),)),)


def test_a_name_holding_a_comma_and_scram_credentials_in_zookeeper_mode() -> None:
    text = ("SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192\n"
            "Quota configs for user-principal 'CN=app,OU=eng', client-id 'the default client-id' are "
            "producer_byte_rate=1024.0\n")
    assert parse_quotas(text) == (Quota("CN=app,OU=eng", "the default client-id", None, (),
                                        (("producer_byte_rate", 1024.0),)),)


def test_a_value_that_is_not_a_number_is_an_error_naming_its_line() -> None:
    with pytest.raises(ParseError, match="'producer_byte_rate=fast' is not KEY=NUMBER") as caught:
        parse_quotas("\nQuota configs for user-principal 'a' are producer_byte_rate=fast\n")
    assert caught.value.line == 2


def test_other_output_is_refused() -> None:
    with pytest.raises(ParseError, match="not kafka-configs --describe quota output"):
        parse_quotas("Error while executing config command with args '--describe'\n")
