"""Redaction rules: what is a secret and what is not, per artifact kind (no lab needed)."""

from __future__ import annotations

import pytest

from tests.collection.collection_path import plugin_utils

Redactor, is_keystore_path, is_secret_key, placeholder = (getattr(plugin_utils("redact"), n) for n in (
    "Redactor", "is_keystore_path", "is_secret_key", "placeholder"))


@pytest.mark.parametrize(
    "key",
    ["ssl.keystore.password", "ssl.key.password", "ssl.truststore.password", "sasl.jaas.config",
     "password.encoder.secret", "ssl.keystore.key", "delegation.token.secret.key", "KAFKA_KEYSTORE_PASSWORD",
     "SCHEMA_REGISTRY_API_SECRET", "MY_TOKEN", "AWS_SECRET_ACCESS_KEY", "-Djavax.net.ssl.keyStorePassword",
     "basic.auth.user.info", "sasl.oauthbearer.client.credentials.client.secret", "apikey", "private.key"],
)
def test_secret_keys(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize(
    "key",
    ["ssl.keystore.location", "ssl.keystore.type", "ssl.truststore.location", "key.serializer", "key.deserializer",
     "ssl.keymanager.algorithm", "password.encoder.cipher.algorithm", "password.encoder.key.length",
     "ssl.keyStore.passwordPath", "delegation.token.expiry.time.ms", "sasl.oauthbearer.token.endpoint.url",
     "log.dirs", "KAFKA_HEAP_OPTS", "sasl.kerberos.service.name", "java.security.auth.login.config"],
)
def test_descriptive_keys_are_kept(key: str) -> None:
    assert not is_secret_key(key)


def test_properties_values_and_counts() -> None:
    redactor = Redactor()
    text, count = redactor.redact("properties", "\n".join([
        "ssl.keystore.password=s3cr3t-keystore",
        "ssl.key.password = s3cr3t-key",
        "ssl.keystore.location=/etc/kafka/ssl/k.jks",
        "ssl.truststore.password=${file:/etc/kafka/secrets/ssl.properties:truststore.password}",
        'listener.name.client.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule '
        'required username="admin" password="jaas-pass-123";',
        "# ssl.keystore.password=commented-out",
        "ssl.keystore.key=-----BEGIN PRIVATE KEY----- \\",
        "  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC \\",
        "  -----END PRIVATE KEY-----",
        "num.io.threads=8",
    ]))
    assert count == {"password": 4, "private-key": 1}  # the commented-out one too: often the real value
    for secret in ("s3cr3t-keystore", "s3cr3t-key", "jaas-pass-123", "MIIEvQIBADANBgkq", "commented-out"):
        assert secret not in text
    assert "ssl.keystore.location=/etc/kafka/ssl/k.jks" in text
    assert "${file:/etc/kafka/secrets/ssl.properties:truststore.password}" in text  # a reference, not a secret
    # the options of a JAAS config are redacted one by one; the login module and the user stay readable
    assert ('sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" '
            'password="[REDACTED:password]";') in text
    assert "num.io.threads=8" in text


def test_a_jaas_config_without_secret_stays_readable() -> None:
    kerberos = ('sasl.jaas.config=com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true '
                'keyTab="/etc/security/kafka.keytab" principal="kafka/h1@EXAMPLE.COM";')
    assert Redactor().redact("properties", kerberos) == (kerberos, {})


def test_jaas_env_unit_and_cmdline() -> None:
    redactor = Redactor()
    jaas, n_jaas = redactor.redact("jaas", 'KafkaServer {\n  x required\n  username="admin"\n  password="pw-one-1"\n'
                                           '  user_admin="pw-two-2";\n};\n')
    env, n_env = redactor.redact("env", 'KAFKA_HEAP_OPTS="-Xmx1g"\nKAFKA_KEYSTORE_PASSWORD="pw-three-3"\n'
                                        'KAFKA_OPTS="-Djavax.net.ssl.keyStorePassword=pw-four-4 -Dx=y"\n')
    unit, n_unit = redactor.redact("unit", '[Service]\nEnvironment="API_SECRET=pw-five-5" PLAIN=ok\n'
                                           'ExecStart=/usr/bin/java -Dtrust.password=pw-six-6 kafka.Kafka\n')
    cmd, n_cmd = redactor.redact("cmdline", "/usr/bin/java\n-Djavax.net.ssl.trustStorePassword=pw-seven-7\n"
                                            "--password\npw-eight-8\nkafka.Kafka\n")
    assert [sum(n.values()) for n in (n_jaas, n_env, n_unit, n_cmd)] == [2, 2, 2, 2]
    joined = jaas + env + unit + cmd
    for n in ("one-1", "two-2", "three-3", "four-4", "five-5", "six-6", "seven-7", "eight-8"):
        assert f"pw-{n}" not in joined
    assert 'username="admin"' in jaas and "PLAIN=ok" in unit and "-Dx=y" in env


def test_log4j2_yaml_xml_and_properties() -> None:
    redactor = Redactor()
    yaml, n_yaml = redactor.redact("log4j", 'Configuration:\n  Properties:\n    Property:\n'
                                            '      - name: "alertWebhookToken"\n        value: "tok-yaml-123"\n'
                                            '      - name: "kafka.logs.dir"\n        value: "/var/log/kafka"\n')
    xml, n_xml = redactor.redact("log4j", '<Configuration><Properties><Property name="apiToken">tok-xml-123</Property>'
                                          '<Property name="logDir">/var/log</Property></Properties></Configuration>')
    props, n_props = redactor.redact("properties", "log4j.rootLogger=INFO\nalertWebhookToken=tok-props-123\n")
    assert (n_yaml, n_xml, n_props) == ({"token": 1}, {"token": 1}, {"token": 1})
    assert "tok-" not in yaml + xml + props
    assert "/var/log/kafka" in yaml and "/var/log" in xml


def test_known_secrets_are_scrubbed_everywhere_else() -> None:
    redactor = Redactor()
    redactor.redact("properties", "ssl.keystore.password=a-long-secret-value\nshort.password=abc\n"
                                  "mid.password=k4fk\nnum.password=1234\n")
    text, count = redactor.literals("ps: java -Dfoo=a-long-secret-value ... abc stays (too short to scrub blindly); "
                                    "k4fk as a word, k4fka inside another, 1234 a short number")
    assert count == {"password": 2}
    assert text == ("ps: java -Dfoo=[REDACTED:password] ... abc stays (too short to scrub blindly); "
                    "[REDACTED:password] as a word, k4fka inside another, 1234 a short number")


def test_free_text_keeps_kafkas_own_masks() -> None:
    text, count = Redactor().free_text("ssl.keystore.password = [hidden]\nsasl.jaas.config = null\n"
                                       "ssl.keystore.type = JKS\npassword=oops-leaked\n")
    assert count == 1 and "oops-leaked" not in text and "[hidden]" in text and "JKS" in text
    assert "password=[REDACTED:password]" in text


@pytest.mark.parametrize("path", ["/etc/kafka/ssl/k.jks", "/x/a.p12", "/x/ca.pem", "/x/server.key", "/x/t.truststore"])
def test_keystore_paths(path: str) -> None:
    assert is_keystore_path(path)
