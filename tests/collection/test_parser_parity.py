"""The collection's lean parsers (plugins/plugin_utils) read what the analysis side's parsers
(kafkapilot/parsers, the authority) read: both run over the same corpus, the parser samples of
tests/unit/parsers/samples plus edge cases, and must agree, so that the two cannot drift.

The collection cannot import kafkapilot (ansible-core is all it may need on the controller) and
the analysis never imports collection code (the snapshot is their only contract); this test is
the one place that sees both.
"""

from __future__ import annotations

import shlex

import pytest

from kafkapilot.parsers import (
    broker_api_versions,
    envfile,
    jvm,
    kafka_version,
    log4j,
    properties,
    quorum,
    systemd,
    transactions,
)
from kafkapilot.parsers.errors import ParseError
from tests.collection.collection_path import plugin_utils
from tests.unit.parsers._samples import SAMPLES, sample

CORPUS = sorted(p.name for p in SAMPLES.iterdir() if p.is_file())
#: edge cases of the formats, beyond the samples
PROPERTIES_EDGES = (
    "a=b\nb : c\nc d\n  d\t=\te  \n", "k=one \\\n   two \\\n three\n", "k=v\\\n", "# c \\\nx=1\n! c\n",
    "a\\=b=c\nd\\:e:f\ng\\ h i\n", "u=\\u00e9\\u4e2d\\ud83d\\ude00\nbad=\\uZZ\n", "\ufeffa=1\r\nb=2\rc=3",
    "k=\\\n", "=v\n:w\n", "key\n", "dup=1\ndup=2\n", "tab\\tkey=\\t\\n\\r\\f\\x\n", "a=b\\\\\nc=d\n",
)
JVM_EDGES = (
    ["java", "-cp", "a.jar:b.jar", "-jar", "app.jar", "x"], ["java", "--class-path=/x/*", "-m", "mod/Main", "y"],
    ["java", "--module=mod/Main", "z"], ["/usr/bin/java", "@/etc/kafka/jvm.options", "-XX:Flags=/etc/flags",
                                        "-XX:-UsePerfData", "-XX:MaxHeapSize=1g", "Main"],
    ["java", "-Xlog:disable", "-Xlog:gc*:file=\"/var/log/a b/gc.log\":time", "Main"],
    ["java", "-Xlog:gc=off:file=/x", "-Xlog:safepoint:file=/y", "-Xlog:all:stdout", "-Xloggc:", "Main"],
    ["java", "-javaagent:/opt/jmx_prometheus_javaagent.jar=7071:/c.yml", "-javaagent:/opt/a.jar", "-D", "-Dx", "M"],
    ["java", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-p", "/mods", "Main", "--", "-D"], [], ["-Xmx1g"],
)


def _samples() -> list[str]:
    return [sample(name) for name in CORPUS]


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("text", [*_samples(), *PROPERTIES_EDGES], ids=[*CORPUS, *map(repr, PROPERTIES_EDGES)])
def test_java_properties(text: str) -> None:
    assert plugin_utils("properties").parse_properties(text) == properties.parse_properties(text).as_dict()


def _jvm_fields(command: object) -> dict[str, object]:
    agents = [(a.jar, a.options) for a in command.javaagents]  # type: ignore[attr-defined]
    fields = ("java", "main_class", "program_args", "jar", "system_properties", "xx_options", "classpath",
              "argfiles", "gc_log_path")
    return {**{f: getattr(command, f) for f in fields}, "javaagents": agents}


def _argument_lists() -> list[list[str]]:
    lists = [list(jvm.split_cmdline(sample(n))) for n in CORPUS if n.startswith(("cmdline_", "ps_"))]
    assert len(lists) >= 3
    for text in _samples():  # every sample's words as a command line: odd arguments in bulk
        try:
            lists.append(shlex.split(text))
        except ValueError:
            lists.append(text.split())
    return lists + [list(e) for e in JVM_EDGES]


@pytest.mark.parametrize("args", _argument_lists())
def test_jvm_command_line(args: list[str]) -> None:
    assert _jvm_fields(plugin_utils("jvm").parse_java_command(args)) == _jvm_fields(jvm.parse_java_command(args))


def _log4j_view(config: object) -> tuple:
    return (config.format, [(a.name, a.file, a.file_pattern) for a in config.appenders],  # type: ignore[attr-defined]
            config.properties)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", CORPUS)
def test_log4j(name: str) -> None:
    text = sample(name)
    try:
        expected = _log4j_view(log4j.parse_log4j(text, name))
    except ParseError:
        with pytest.raises(ValueError):  # the lean copy raises ValueError where the authority raises ParseError
            plugin_utils("log4j").parse_log4j(text, name)
        return
    lean = plugin_utils("log4j").parse_log4j(text, name)
    assert _log4j_view(lean) == expected
    props, env = {"kafka.logs.dir": "/var/log/kafka", "x": "y"}, {"LOG_DIR": "/logs"}
    for appender, authority in zip(lean.appenders, log4j.parse_log4j(text, name).appenders, strict=True):
        for value in (appender.file, appender.file_pattern, "${env:LOG_DIR:-/d}/${sys:x}/${missing:-z}/${nope}"):
            if value:
                assert plugin_utils("log4j").substitute(value, lean, props, env) == \
                    log4j.substitute(value, log4j.parse_log4j(text, name), props, env), (value, authority.name)


@pytest.mark.parametrize("name", CORPUS)
def test_systemd_unit_and_environment_file(name: str) -> None:
    text = sample(name)
    lean = plugin_utils("systemd")
    assert lean.parse_environment_file(text) == envfile.parse_environment_file(text)
    try:
        unit = systemd.parse_unit(text)
    except ParseError:
        with pytest.raises(ValueError):
            lean.parse_unit(text)
        return
    mine = lean.parse_unit(text)
    assert (mine.exec_start, mine.user, mine.environment, mine.environment_files) == \
        (unit.exec_start, unit.user, unit.environment, [r.path for r in unit.environment_files])


def test_the_unit_samples_are_read_for_real() -> None:
    unit = plugin_utils("systemd").parse_unit(sample("systemctl_cat_kafka.txt"))
    assert unit.exec_start and unit.environment_files and unit.user  # the comparison above compared something


@pytest.mark.parametrize("jars", [
    ["/opt/kafka/libs/kafka_2.13-4.1.0.jar", "/opt/kafka/libs/kafka-clients-4.1.0.jar"],
    ["kafka-clients-3.9.0.redhat-00001.jar", "kafka-server-common-3.9.0.jar"], ["kafka_2.13-7.6.0-ccs.jar"],
    ["kafka_2.13-4.1.0-test.jar", "kafka-raft-4.0.0.jar"], ["zookeeper-3.8.4.jar", "libs/*"], [],
    ["/usr/share/java/kafka/kafka-server-3.7.1.jar", "kafka-metadata-3.7.2.jar"],
])
def test_kafka_version_from_jar_names(jars: list[str]) -> None:
    assert plugin_utils("plan").kafka_version_from_jars(jars) == kafka_version.kafka_version_from_jars(jars)


@pytest.mark.parametrize("name", CORPUS)
def test_discovery_reads_the_brokers_and_voters_the_cluster_tools_print(name: str) -> None:
    text, cluster = sample(name), plugin_utils("cluster")
    try:
        expected = [(b.host, b.port, b.broker_id) for b in broker_api_versions.parse_broker_api_versions(text)]
    except ParseError:
        expected = []
    assert cluster.api_versions_brokers(text) == expected
    try:
        voters = list(quorum.parse_quorum_status(text).current_voters)
    except ParseError:
        voters = []
    assert cluster.quorum_voters(text) == voters
    if name.startswith(("broker_api_versions", "quorum_status")):
        assert expected or voters, name


@pytest.mark.parametrize("name", CORPUS)
def test_the_open_transactions_the_collection_describes_are_the_analysis_s(name: str) -> None:
    """The collection describes the transactions its lean reading of `kafka-transactions list` finds open."""
    text = sample(name)
    try:
        expected = [(t.transactional_id, t.state) for t in transactions.parse_transactions_list(text)]
    except ParseError:
        expected = []
    assert plugin_utils("cluster").transaction_states(text) == expected
    if name.startswith("transactions_list"):
        assert expected, name
