"""ParseError: a one-line message with an optional line number."""

from __future__ import annotations

import pytest

from kafkapilot.parsers import ParseError
from kafkapilot.parsers._lines import content_lines, int_list, labelled_fields, optional_int


def test_str_has_line_and_is_one_line() -> None:
    error = ParseError("not what\nwas expected", line=7)
    assert str(error) == "line 7: not what was expected"
    assert error.line == 7
    assert str(ParseError("no line")) == "no line"
    assert ParseError("x").line is None


def test_is_an_exception() -> None:
    with pytest.raises(ParseError):
        raise ParseError("boom", line=1)


def test_content_lines_skips_tool_noise_and_normalises_endings() -> None:
    text = (
        "\ufeffSLF4J: Failed to load class\r\n"
        "WARNING: An illegal reflective access operation has occurred\r\n"
        "[2025-11-26 13:30:02,114] WARN something (org.apache.kafka.clients.NetworkClient)\r\n"
        "\tat org.apache.kafka.Foo.bar(Foo.java:12)\r\n"
        "log4j:WARN No appenders could be found\r\n"
        "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes\r\n"
        "real line   \r\n"
        "\r\n"
    )
    assert list(content_lines(text)) == [(7, "real line")]


def test_small_converters() -> None:
    assert optional_int(" 12 ") == 12
    assert optional_int("-") is None
    assert optional_int("none") is None
    assert optional_int(None) is None
    assert int_list("1,2, 3") == (1, 2, 3)
    assert int_list("") == ()
    assert int_list("[4,5]") == (4, 5)


def test_labelled_fields_with_tabs_spaces_and_no_space() -> None:
    labels = ("Topic", "Partition", "Leader", "Adding Replicas")
    assert labelled_fields("\tTopic: a\tPartition: 0\tLeader: 1", labels) == {
        "Topic": "a",
        "Partition": "0",
        "Leader": "1",
    }
    assert labelled_fields("Topic: a  Partition: 0 Adding Replicas: 4", labels) == {
        "Topic": "a",
        "Partition": "0",
        "Adding Replicas": "4",
    }
    assert labelled_fields("Topic:a\tPartition:1", labels) == {"Topic": "a", "Partition": "1"}
