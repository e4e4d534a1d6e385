"""No escape sequence or control character from a snapshot or an LLM reaches the terminal."""

from __future__ import annotations

import re

import pytest

from kafkapilot.findings import Evidence, NotEvaluated, Subject, SubjectKind
from kafkapilot.report.render_terminal import render_terminal_text
from kafkapilot.report.terminal_safe import terminal_safe
from tests.unit.report.sample import finding, make_report

HOSTILE = {
    "csi clear screen": ("a\x1b[2Jb", "ab"),
    "csi colour": ("\x1b[31mred\x1b[0m", "red"),
    "csi 8-bit": ("\x9b31mred", "red"),
    "osc title, BEL": ("x\x1b]0;owned\x07y", "xy"),
    "osc-8 link, ST": ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),
    "osc 8-bit": ("\x9d0;owned\x9cy", "y"),
    "dcs": ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),
    "unterminated csi": ("end\x1b[", "end"),
    "lone escape": ("a\x1bcb", "ab"),
    "bell and backspaces": ("ok\x07\x08\x08no", "okno"),
    "carriage return": ("shown\rhidden", "shownhidden"),
    "nul and del": ("a\x00b\x7fc", "abc"),
    "lone surrogate": ("a\ud800b", "a\ufffdb"),
    "newline and tab kept": ("a\n\tb", "a\n\tb"),
    "unicode kept": ("Zürich → 東京 ✓", "Zürich → 東京 ✓"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_terminal_safe(name: str) -> None:
    text, expected = HOSTILE[name]
    assert terminal_safe(text) == expected


def _hostile_report() -> object:
    evil = "\x1b]8;;https://evil.example\x07x\x1b]8;;\x07\x1b[2J\x07\x08\x9b1m\ud800"
    evidence = Evidence(subject=Subject(kind=SubjectKind.TOPIC, topic=f"orders{evil}"), host=f"kafka-1{evil}",
                        source=f"/var/log/kafka/server.log{evil}", item=f"item{evil}", actual=f"observed{evil}",
                        expected=f"e{evil}", message=f"message{evil}")
    hostile = finding(f"t{evil}", title=f"title{evil}", summary=f"summary{evil}", hosts=(f"kafka-1{evil}",),
                      evidence=(evidence,), remediation=f"fix{evil}", impact=f"impact{evil}",
                      not_evaluated=(NotEvaluated(subject=Subject(kind=SubjectKind.HOST, host="kafka-2"),
                                                  reason=f"reason{evil}"),),
                      references=(f"https://kafka.apache.org/{evil}",))
    llm = finding("llm.x", title=f"model says{evil}", summary=f"answer{evil}", source="llm", model=f"m{evil}")
    return make_report([hostile, llm], errors=(f"tasks/bad.yaml: {evil}",))


@pytest.mark.parametrize("color", [False, True])
def test_no_escape_but_the_renderers_own_colours_reaches_the_terminal(color: bool) -> None:
    out = render_terminal_text(_hostile_report(), color=color, width=100)
    without_colours = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", without_colours), repr(without_colours)
    assert ("\x1b[" in out) is color
    for word in ("summary", "observed", "fix", "model says", "reason", "tasks/bad.yaml"):
        assert word in without_colours, word
