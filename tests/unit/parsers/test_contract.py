"""What every parser promises: empty (or noise-only) input gives an empty result, text
of another kind raises ParseError at the first line it could not read, with a one-line
message. The format-specific behaviour is tested in the test module of each parser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kafkapilot.parsers.acls import parse_acls
from kafkapilot.parsers.cluster_tools import (
    parse_broker_api_versions,
    parse_features,
    parse_log_dirs,
    parse_zookeeper_srvr,
)
from kafkapilot.parsers.configs import ConfigsDescription, parse_configs_describe
from kafkapilot.parsers.consumer_groups import parse_consumer_groups, parse_consumer_groups_state
from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.gc_log import GcLog, parse_gc_log
from kafkapilot.parsers.java_version import parse_java_version
from kafkapilot.parsers.log4j import Log4jConfig, parse_log4j
from kafkapilot.parsers.log_dirs import LogDirs
from kafkapilot.parsers.mounts import parse_mounts
from kafkapilot.parsers.os_facts import parse_clock_sync, parse_df, parse_int, parse_thp
from kafkapilot.parsers.proc import parse_limits, parse_meminfo, parse_proc_status
from kafkapilot.parsers.prometheus import Scrape, parse_scrape
from kafkapilot.parsers.properties import Properties, parse_properties
from kafkapilot.parsers.quorum import QuorumStatus, parse_quorum_replication, parse_quorum_status
from kafkapilot.parsers.quotas import parse_quotas
from kafkapilot.parsers.sockets import parse_listening_sockets
from kafkapilot.parsers.sysctl import parse_sysctl
from kafkapilot.parsers.systemd import SystemdUnit, parse_environment_file, parse_unit
from kafkapilot.parsers.topics import parse_topics_describe
from kafkapilot.parsers.transactions import (
    parse_hanging_transactions,
    parse_transaction_describe,
    parse_transactions_list,
)

Parser = Callable[[str], Any]

NOISE = (
    "SLF4J: Failed to load class \"org.slf4j.impl.StaticLoggerBinder\".\r\n"
    "WARNING: A terminally deprecated method in java.lang.System has been called\n"
    "Picked up JAVA_TOOL_OPTIONS: -Xmx64m\n"
    "[2025-11-26 13:30:02,114] WARN [AdminClient clientId=a] Connection refused "
    "(org.apache.kafka.clients.NetworkClient)\n"
    "   \n"
)

EMPTY: list[tuple[Parser, Any]] = [
    (parse_properties, Properties(entries=())),
    (parse_unit, SystemdUnit(sections={})),
    (parse_environment_file, {}),
    (lambda text: parse_log4j(text, "log4j.properties"), Log4jConfig("log4j1-properties", (), None, {})),
    (parse_df, ()),
    (parse_mounts, ()),
    (parse_limits, {}),
    (parse_proc_status, {}),
    (parse_meminfo, {}),
    (parse_sysctl, {}),
    (parse_thp, None),
    (parse_int, None),
    (parse_clock_sync, None),
    (parse_listening_sockets, ()),
    (parse_topics_describe, ()),
    (parse_consumer_groups, ()),
    (parse_consumer_groups_state, ()),
    (parse_quorum_status, QuorumStatus(None, None, None, None, None, None, (), ())),
    (parse_quorum_replication, ()),
    (parse_configs_describe, ConfigsDescription(entities=())),
    (parse_features, ()),
    (parse_log_dirs, LogDirs()),
    (parse_broker_api_versions, ()),
    (parse_zookeeper_srvr, {}),
    (parse_gc_log, GcLog(0, (), 0, None, 0, None, None)),
    (parse_acls, ()),
    (parse_scrape, Scrape(started=None, duration_s=None, lines=0, values={})),
    (parse_transactions_list, ()),
    (parse_transaction_describe, ()),
    (parse_hanging_transactions, ()),
    (parse_quotas, ()),
]

#: (parser, text of another kind, line where it gives up)
JUNK: list[tuple[Parser, str, int]] = [
    (parse_unit, "No files found for kafka.service.\n", 1),
    (lambda text: parse_log4j(text, "application.properties"), "server.port=8080\n", 1),
    (parse_df, "total 12\ndrwxr-xr-x 2 root root 4096 Nov 26 13:40 .\n", 1),
    (parse_mounts, "/dev/sda1 / ext4 rw 0 0\nnot a mount\n", 2),
    (parse_limits, "Max open files            lots                 1024                 files\n", 1),
    (parse_proc_status, "this is not a status file\n", 1),
    (parse_meminfo, "MemFree: 5 kB\nMemTotal: lots\n", 2),
    (parse_sysctl, "Usage: sysctl [options] [variable[=value] ...]\n", 1),
    (parse_listening_sockets, "Active Internet connections (only servers)\nProto Recv-Q\n", 1),
    (parse_topics_describe, "Error while executing topic command : Timed out waiting for a node.\n", 1),
    (parse_consumer_groups, "\nError: Executing consumer group command failed due to timeout\n", 2),
    (parse_consumer_groups_state, "Error: Executing consumer group command failed\n", 1),
    (parse_quorum_status, "org.apache.kafka.common.errors.UnsupportedVersionException: no KRaft\n", 1),
    (parse_quorum_replication, "Error while computing relative time, possible drift in system clock.\n", 1),
    (parse_configs_describe, "The topic 'x' doesn't exist and doesn't have dynamic config.\n", 1),
    (parse_features, "Error while describing features\n", 1),
    (parse_log_dirs, "ERROR: The given brokers do not exist from --broker-list: 9.\n", 1),
    (parse_broker_api_versions, "Exception in thread main: Timed out\n", 1),
    (parse_zookeeper_srvr, "srvr is not executed because it is not in the whitelist.\n", 1),
    (parse_java_version, "bash: java: command not found\n", 1),
    (parse_acls, "Error while executing ACL command: No Authorizer is configured.\n", 1),
    (parse_transactions_list, "Failed to list transactions: TimeoutException\n", 1),
    (parse_transaction_describe, "\nFailed to describe transaction state of transactional-id `x`\n", 2),
    (parse_hanging_transactions, "Failed to find hanging transactions\n", 1),
    (parse_quotas, "Error while executing config command with args '--describe'\n", 1),
    (parse_gc_log,
     "2026-11-26T10:00:00.123+0000: 12.345: [GC pause (G1 Evacuation Pause) (young), 0.0123456 secs]\n", 1),
    (parse_scrape, "<html><head><title>404 Not Found</title></head></html>\n", 1),
]


@pytest.mark.parametrize(("parser", "expected"), EMPTY)
def test_empty_input_gives_an_empty_result(parser: Parser, expected: Any) -> None:
    assert parser("") == expected


#: Parsers of command output, where the JVM and the CLI tools print such noise; file
#: formats (properties, units, /proc files) read every line as data.
COMMAND_OUTPUT_PARSERS: frozenset[Parser] = frozenset(
    {
        parse_df,
        parse_sysctl,
        parse_int,
        parse_clock_sync,
        parse_listening_sockets,
        parse_topics_describe,
        parse_consumer_groups,
        parse_consumer_groups_state,
        parse_quorum_status,
        parse_quorum_replication,
        parse_configs_describe,
        parse_acls,
        parse_transactions_list,
        parse_transaction_describe,
        parse_hanging_transactions,
        parse_quotas,
        parse_features,
        parse_log_dirs,
        parse_broker_api_versions,
        parse_zookeeper_srvr,
    }
)


@pytest.mark.parametrize(
    ("parser", "expected"), [(p, e) for p, e in EMPTY if p in COMMAND_OUTPUT_PARSERS]
)
def test_tool_noise_alone_gives_an_empty_result(parser: Parser, expected: Any) -> None:
    assert parser(NOISE) == expected


@pytest.mark.parametrize(("parser", "text", "line"), JUNK)
def test_text_of_another_kind_raises_at_its_line(parser: Parser, text: str, line: int) -> None:
    with pytest.raises(ParseError) as raised:
        parser(text)
    assert raised.value.line == line
    assert "\n" not in str(raised.value)


def test_java_version_has_no_empty_result() -> None:
    with pytest.raises(ParseError):
        parse_java_version("")
