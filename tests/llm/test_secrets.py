"""The last check before sending: secret-looking values are found and named, never shown."""

from __future__ import annotations

import pytest

from kafkapilot.llm.secrets import find_secret

SECRETS = [
    ("ssl.key.password=hunter2", "the value of ssl.key.password"),
    ('{"ssl.keystore.password":"s3cr3t"}', "the value of ssl.keystore.password"),
    ("password.encoder.secret = abcdef", "the value of password.encoder.secret"),
    ("KAFKA_OPTS=-Djavax.net.ssl.trustStorePassword=changeit", "trustStorePassword"),
    ('sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="pw";',
     "password in a JAAS entry"),
    ("-----BEGIN RSA PRIVATE KEY-----", "a private key"),
    ("aws_key AKIAIOSFODNN7EXAMPLE", "an AWS access key"),
    ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123", "a bearer token"),
    ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N", "a JSON web token"),
    ("bootstrap=https://user:pa55@registry.local/", "a password in a URL"),
]
HARMLESS = [
    "ssl.key.password=[REDACTED]",
    "ssl.keystore.password=${file:/etc/kafka/secrets/ssl.properties:keystore.password}",
    '{"ssl.truststore.password":"${file:/a:b}","x":1}',
    'sasl.jaas.config=... required username="a" password="[REDACTED]";',
    "delegation.token.max.lifetime.ms=604800000",
    "ssl.keystore.location=/etc/kafka/ssl/kafka.keystore.p12",
    "sasl.oauthbearer.token.endpoint.url=https://idp/token",
    '"inline_secrets":["ssl.key.password"]',
    "Failed authentication with /ip-3 (Authentication failed: Invalid username or password)",
    "ssl.client.auth=required",
    # the collection's typed placeholders (docs/redaction.md)
    "ssl.key.password=[REDACTED:password]",
    'sasl.jaas.config=... required username="a" password="[REDACTED:password]" user_b="[REDACTED:password]";',
    "schema.registry.url=https://svc:[REDACTED:url-password]@registry.local/",
    "Authorization: Bearer [REDACTED:bearer]",
]


@pytest.mark.parametrize(("text", "named"), SECRETS)
def test_secrets_are_found_and_named_without_the_value(text: str, named: str) -> None:
    found = find_secret(f"first line\n{text}")
    assert found is not None and found.startswith("line 2: ") and named in found
    assert not any(value in found for value in ("hunter2", "s3cr3t", "changeit", "pa55", '"pw"'))


@pytest.mark.parametrize("text", HARMLESS)
def test_references_redactions_and_settings_are_not_secrets(text: str) -> None:
    assert find_secret(text) is None
