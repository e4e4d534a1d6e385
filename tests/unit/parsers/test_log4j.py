"""log4j 1 and log4j 2 configurations in every format, and log path resolution."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.log4j import Log4jConfig, parse_log4j, resolve_log_paths
from tests.unit.parsers._samples import sample

SYS = {"kafka.logs.dir": "/var/log/kafka"}


def _files(config: Log4jConfig) -> dict[str, str | None]:
    return {appender.name: appender.file for appender in config.appenders}


def test_log4j1_kafka3() -> None:
    config = parse_log4j(sample("log4j.properties"), "/etc/kafka/log4j.properties")
    assert config.format == "log4j1-properties"
    assert config.root_level == "INFO"
    assert _files(config) == {
        "stdout": None,
        "kafkaAppender": "${kafka.logs.dir}/server.log",
        "stateChangeAppender": "${kafka.logs.dir}/state-change.log",
        "controllerAppender": "${kafka.logs.dir}/controller.log",
    }
    kinds = {a.name: a.kind for a in config.appenders}
    assert kinds["kafkaAppender"] == "DailyRollingFileAppender"
    assert kinds["stdout"] == "ConsoleAppender"
    controller = config.appenders[3]
    assert controller.attributes["MaxBackupIndex"] == "10"
    assert controller.attributes["layout"] == "org.apache.log4j.PatternLayout"
    assert resolve_log_paths(config, SYS, {}) == (
        "/var/log/kafka/server.log",
        "/var/log/kafka/state-change.log",
        "/var/log/kafka/controller.log",
    )


def test_log4j1_own_properties_are_a_fallback() -> None:
    text = "kafka.logs.dir=logs\nlog4j.rootCategory=WARN\nlog4j.appender.a=org.apache.log4j.FileAppender\n"
    text += "log4j.appender.a.File=${kafka.logs.dir}/a.log\n"
    config = parse_log4j(text, "log4j.properties")
    assert config.properties == {"kafka.logs.dir": "logs"}
    assert config.root_level == "WARN"
    assert resolve_log_paths(config, {}, {}) == ("logs/a.log",)
    assert resolve_log_paths(config, SYS, {}) == ("/var/log/kafka/a.log",)


def test_log4j2_yaml_kafka4() -> None:
    config = parse_log4j(sample("log4j2.yaml"), "/opt/kafka/config/log4j2.yaml")
    assert config.format == "log4j2-yaml"
    assert config.root_level == "INFO"
    assert config.properties == {"kafka.logs.dir": ".", "logPattern": "[%d] %p %m (%c)%n"}
    assert [(a.name, a.kind) for a in config.appenders] == [
        ("STDOUT", "Console"),
        ("KafkaAppender", "RollingFile"),
        ("ControllerAppender", "RollingFile"),
        ("RequestAppender", "RollingFile"),
    ]
    kafka = config.appenders[1]
    assert kafka.file == "${sys:kafka.logs.dir}/server.log"
    assert kafka.file_pattern == "${sys:kafka.logs.dir}/server.log.%d{yyyy-MM-dd-HH}"
    assert kafka.attributes["TimeBasedTriggeringPolicy.interval"] == "1"
    assert kafka.attributes["TimeBasedTriggeringPolicy.modulate"] == "true"
    assert resolve_log_paths(config, SYS, {}) == (
        "/var/log/kafka/server.log",
        "/var/log/kafka/controller.log",
        "/var/log/kafka-requests/kafka-request.log",
    )
    # without the system property log4j 2 falls back to the declared property
    assert resolve_log_paths(config, {}, {"KAFKA_REQUEST_LOG_DIR": "/r"})[::2] == (
        "./server.log",
        "/r/kafka-request.log",
    )


def test_log4j2_properties() -> None:
    config = parse_log4j(sample("log4j2.properties"), "log4j2.properties")
    assert config.format == "log4j2-properties"
    assert config.root_level == "WARN"
    assert config.properties == {"logDir": "/data/logs/kafka"}
    assert _files(config) == {
        "STDOUT": None,
        "KafkaAppender": "${logDir}/server.log",
        "CleanerAppender": "${sys:kafka.logs.dir}/log-cleaner.log",
    }
    cleaner = config.appenders[2]
    assert cleaner.file_pattern == "${sys:kafka.logs.dir}/log-cleaner.log.%i"
    assert cleaner.attributes["strategy.max"] == "5"
    assert resolve_log_paths(config, SYS, {}) == (
        "/data/logs/kafka/server.log",
        "/var/log/kafka/log-cleaner.log",
    )


def test_log4j2_properties_root_shorthand() -> None:
    config = parse_log4j("rootLogger = ERROR, STDOUT\nappender.c.type = Console\n", "x.properties")
    assert (config.root_level, config.appenders[0].name, config.appenders[0].kind) == ("ERROR", "c", "Console")


def test_log4j2_xml() -> None:
    config = parse_log4j(sample("log4j2.xml"), "/etc/kafka/log4j2.xml")
    assert config.format == "log4j2-xml"
    assert config.root_level == "info"
    assert config.properties["logDir"] == "${sys:kafka.logs.dir:-/var/log/kafka}"
    assert [(a.name, a.kind) for a in config.appenders] == [
        ("STDOUT", "Console"),
        ("KafkaAppender", "RollingRandomAccessFile"),
        ("AuditAppender", "File"),
    ]
    assert config.appenders[1].attributes["DefaultRolloverStrategy.max"] == "20"
    assert config.appenders[1].attributes["Policies.SizeBasedTriggeringPolicy.size"] == "250 MB"
    assert resolve_log_paths(config, {}, {}) == (
        "/var/log/kafka/server.log",
        "${env:AUDIT_DIR}/kafka-authorizer.log",
    )
    assert resolve_log_paths(config, {"kafka.logs.dir": "/k"}, {"AUDIT_DIR": "/audit"}) == (
        "/k/server.log",
        "/audit/kafka-authorizer.log",
    )


def test_log4j2_json() -> None:
    config = parse_log4j(sample("log4j2.json"), "log4j2.json")
    assert config.format == "log4j2-json"
    assert config.root_level == "debug"
    assert config.appenders[1].file == "${logDir}/server.log"
    assert config.appenders[1].attributes["DefaultRolloverStrategy.max"] == "10"
    assert resolve_log_paths(config, {}, {}) == ("/srv/kafka/logs/server.log",)


def test_format_from_content_when_the_name_says_nothing() -> None:
    assert parse_log4j(sample("log4j2.yaml"), "logging.conf").format == "log4j2-yaml"
    assert parse_log4j(sample("log4j2.xml"), "logging.conf").format == "log4j2-xml"
    assert parse_log4j(sample("log4j2.json"), "logging.conf").format == "log4j2-json"


def test_empty_files() -> None:
    assert parse_log4j("", "log4j.properties") == Log4jConfig("log4j1-properties", (), None, {})
    assert parse_log4j("\n", "log4j2.yaml").format == "log4j2-yaml"
    assert parse_log4j("", "/etc/kafka/log4j2.properties").format == "log4j2-properties"
    assert parse_log4j("# nothing\n", "log4j.properties").appenders == ()


def test_unresolvable_and_recursive_lookups() -> None:
    config = parse_log4j(
        "property.a=${b}/x\nproperty.b=${sys:root}\nappender.f.type=File\n"
        "appender.f.fileName=${a}/f.log\nappender.g.type=File\nappender.g.fileName=${ctx:who}/g.log\n"
        "appender.h.type=File\nappender.h.fileName=${loop}\nproperty.loop=${loop}\n",
        "log4j2.properties",
    )
    assert resolve_log_paths(config, {"root": "/r"}, {}) == ("/r/x/f.log", "${ctx:who}/g.log", "${loop}")


@pytest.mark.parametrize(
    ("text", "name", "line"),
    [
        ("<Configuration><Appenders></Configuration>", "log4j2.xml", 1),
        ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "boom">]>\n<Configuration/>', "log4j2.xml", 2),
        ("<Other/>", "log4j2.xml", None),
        ("Configuration:\n  Appenders: [unclosed\n", "log4j2.yaml", 3),
        ("- just a list\n", "log4j2.yaml", None),
        ('{"configuration": ', "log4j2.json", 1),
    ],
)
def test_not_a_logging_configuration(text: str, name: str, line: int | None) -> None:
    with pytest.raises(ParseError) as raised:
        parse_log4j(text, name)
    assert raised.value.line == line
    assert "\n" not in str(raised.value)
