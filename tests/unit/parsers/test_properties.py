"""Java .properties parsing, exactly as java.util.Properties.load reads files."""

from __future__ import annotations

from kafkapilot.parsers.properties import (
    PropertyEntry,
    ProviderRef,
    parse_properties,
    provider_references,
)
from tests.unit.parsers._samples import sample


def test_server_properties_sample() -> None:
    props = parse_properties(sample("server.properties"))
    values = props.as_dict()
    assert values["process.roles"] == "broker,controller"
    assert values["listeners"] == "PLAINTEXT://:9092,CONTROLLER://:9093"
    assert values["advertised.listeners"] == "PLAINTEXT://kafka-1.example.com:9092"
    assert values["controller.listener.names"] == "CONTROLLER"
    assert values["num.network.threads"] == "3"
    assert values["log.retention.hours"] == "168"
    assert values["log.dir=weird:key"] == "escaped separators"
    assert values["greeting"] == "café \t tab"
    assert values["sasl.jaas.config"] == (
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        'username="admin" password="${env:KAFKA_ADMIN_PASSWORD}";'
    )
    assert props.duplicates() == ("log.retention.hours",)
    assert props.line_of("log.retention.hours") == 22
    assert props.line_of("listeners") == 9
    assert props.line_of("missing") is None
    assert "old-style comment" not in " ".join(values)


def test_meta_properties_sample() -> None:
    values = parse_properties(sample("meta.properties")).as_dict()
    assert values == {
        "node.id": "1",
        "directory.id": "fO3m0Y3yQp6cJ5Vg7a2TQw",
        "version": "1",
        "cluster.id": "MkU3OEVBNTcwNTJENDM2Qg",
    }


def test_comment_only() -> None:
    assert parse_properties("# a\n! b\n   \n").entries == ()


def test_separators_and_whitespace() -> None:
    text = "a=1\nb:2\nc 3\nd\t=\t4\n  e   :  5  \nf\ng=\nh = x = y\n"
    assert parse_properties(text).as_dict() == {
        "a": "1",
        "b": "2",
        "c": "3",
        "d": "4",
        "e": "5  ",  # Java keeps trailing white space of values
        "f": "",
        "g": "",
        "h": "x = y",
    }


def test_continuations() -> None:
    text = "key = first \\\n     second\\\n\tthird\nodd=\\\\\nnext=1\nend=last\\"
    props = parse_properties(text)
    assert props.as_dict() == {"key": "first secondthird", "odd": "\\", "next": "1", "end": "last"}
    assert [e.line for e in props.entries] == [1, 4, 5, 6]


def test_comment_is_not_continued_but_continued_line_may_start_with_hash() -> None:
    text = "# comment \\\nkey=a\\\n#not a comment\n"
    assert parse_properties(text).as_dict() == {"key": "a#not a comment"}


def test_escapes_in_keys_and_values() -> None:
    text = "my\\ key\\:x=v\\=1\\n\\u0041\\t\\\\\nbad=\\uZZ\nemoji=\\ud83d\\ude00\n"
    values = parse_properties(text).as_dict()
    assert values["my key:x"] == "v=1\nA\t\\"
    assert values["bad"] == "\\uZZ"
    assert values["emoji"] == "😀"


def test_unicode_and_crlf() -> None:
    props = parse_properties("name=Grüße\r\nother=ok\r\n")
    assert props.entries == (
        PropertyEntry(key="name", value="Grüße", line=1),
        PropertyEntry(key="other", value="ok", line=2),
    )


def test_provider_references() -> None:
    assert provider_references("${file:/etc/kafka/secrets.properties:keystore.password}") == (
        ProviderRef(provider="file", path="/etc/kafka/secrets.properties", key="keystore.password"),
    )
    assert provider_references("${env:KAFKA_PASSWORD}") == (
        ProviderRef(provider="env", path=None, key="KAFKA_PASSWORD"),
    )
    assert provider_references("u=${dir:/run/secrets:user} p=${dir:/run/secrets:pass}") == (
        ProviderRef("dir", "/run/secrets", "user"),
        ProviderRef("dir", "/run/secrets", "pass"),
    )
    assert provider_references("plain value ${notaref}") == ()
