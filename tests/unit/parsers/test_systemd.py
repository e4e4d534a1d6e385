"""systemd unit files, systemctl cat output and EnvironmentFile= files."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.systemd import EnvFileRef, parse_environment_file, parse_unit
from tests.unit.parsers._samples import sample


def test_systemctl_cat_with_dropins() -> None:
    unit = parse_unit(sample("systemctl_cat_kafka.txt"))
    assert unit.source_files == (
        "/etc/systemd/system/kafka.service",
        "/etc/systemd/system/kafka.service.d/10-limits.conf",
        "/etc/systemd/system/kafka.service.d/20-exec.conf",
    )
    # the drop-in reset ExecStart= and set a new one, with the "-" prefix removed
    assert unit.exec_start == "/opt/kafka/bin/kafka-server-start.sh /etc/kafka/broker.properties"
    assert unit.values("Service", "ExecStart") == (
        "-/opt/kafka/bin/kafka-server-start.sh /etc/kafka/broker.properties",
    )
    assert unit.user == "kafka"
    assert unit.limit_nofile == (1024, 524288)
    assert unit.last("Service", "LimitMEMLOCK") == "infinity"
    assert unit.environment_files == (
        EnvFileRef(path="/etc/default/kafka", optional=True),
        EnvFileRef(path="/etc/kafka/kafka.env", optional=False),
    )
    assert unit.environment == {
        "KAFKA_HEAP_OPTS": "-Xmx6g -Xms6g",
        "LOG_DIR": "/var/log/kafka",
        "KAFKA_JMX_OPTS": "",
        "KAFKA_OPTS": "-javaagent:/opt/prometheus/jmx_prometheus_javaagent.jar=7071:/etc/kafka/jmx.yml",
    }
    assert unit.last("Unit", "Description") == "Apache Kafka broker"
    assert unit.values("Install", "WantedBy") == ("multi-user.target",)


def test_plain_unit_file() -> None:
    unit = parse_unit(sample("kafka.service"))
    assert unit.source_files == ()
    assert unit.limit_nofile == (1000000, 1000000)
    assert unit.exec_start == "/usr/bin/kafka-server-start /etc/kafka/server.properties"
    assert unit.user == "cp-kafka"
    assert unit.environment == {}
    assert unit.environment_files == ()


def test_continuation_comments_and_resets() -> None:
    text = (
        "[Service]\r\n"
        "ExecStart=/bin/java \\\r\n"
        "# a comment inside the continuation is skipped\r\n"
        "  -Xmx1g \\\r\n"
        "  Main\r\n"
        "Environment=A=1\n"
        "Environment=\n"
        "Environment=B=2 'C=x y' D=\"q\\\"uote\"\n"
        "EnvironmentFile=/a\n"
        "EnvironmentFile=\n"
        "   User = kafka   \n"
        "; semicolon comment\n"
        "ExecStart=+!/usr/bin/true\n"
    )
    unit = parse_unit(text)
    # the backslash becomes a space, leading white space of the next line is dropped
    assert unit.values("Service", "ExecStart")[0] == "/bin/java  -Xmx1g  Main"
    assert unit.exec_start == "/usr/bin/true"
    assert unit.environment == {"B": "2", "C": "x y", "D": 'q"uote'}
    assert unit.environment_files == ()
    assert unit.user == "kafka"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100000", (100000, 100000)),
        ("1024:524288", (1024, 524288)),
        ("infinity", (None, None)),
        ("65536:infinity", (65536, None)),
        ("lots", None),
        ("", None),
    ],
)
def test_limit_nofile(value: str, expected: tuple[int | None, int | None] | None) -> None:
    assert parse_unit(f"[Service]\nLimitNOFILE={value}\n").limit_nofile == expected


def test_unset_things_are_none() -> None:
    unit = parse_unit("[Unit]\nDescription=x\n")
    assert (unit.exec_start, unit.user, unit.limit_nofile) == (None, None, None)


def test_comment_only_unit() -> None:
    assert parse_unit("# only a comment\n").sections == {}


def test_environment_file_sample() -> None:
    assert parse_environment_file(sample("default_kafka.env")) == {
        "KAFKA_HEAP_OPTS": "-Xmx6g -Xms6g",
        "KAFKA_JVM_PERFORMANCE_OPTS": "-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20",
        "LOG_DIR": "/var/log/kafka",
        "KAFKA_OPTS": "-Djava.security.auth.login.config=/etc/kafka/jaas.conf -Dzookeeper.sasl.client=false",
        "JMX_PORT": "9999",
        "KAFKA_LOG4J_OPTS": "-Dlog4j.configuration=file:/etc/kafka/log4j.properties",
        "EMPTY": "",
        "QUOTED_DOLLAR": 'price $5 and "quotes"',
    }


def test_environment_file_rules() -> None:
    text = (
        "A='single $HOME \\n kept'\n"
        'B="multi\nline"\n'
        "C=unquoted \\\"x\\\" $NOEXPAND\n"
        "D='a'\"b\"c\n"
        "E=later\n"
        "E=wins\r\n"
        "# comment \\\n"
        "F=after-comment\n"
        'G="\\a\\$"\n'
        "H"
    )
    assert parse_environment_file(text) == {
        "A": "single $HOME \\n kept",
        "B": "multi\nline",
        "C": 'unquoted "x" $NOEXPAND',
        "D": "abc",
        "E": "wins",
        "F": "after-comment",
        "G": "\\a$",
    }
    assert parse_environment_file("X=1") == {"X": "1"}
