# Copyright: KafkaPilot developers. Apache-2.0.
"""systemd units (`systemctl cat` output or unit files) and their EnvironmentFile= files.

The controller's lean copy of kafkapilot.parsers.systemd and envfile (the analysis side's
authority): the [Service] section's ExecStart, User, Environment and EnvironmentFile, which
tie a running JVM to its unit and give the environment its log4j config is resolved with.
A test runs both over the parser samples and asserts equal results.
"""

from __future__ import annotations

import re

__all__ = ["Unit", "parse_environment_file", "parse_unit"]

_CAT_HEADER = re.compile(r"^# (/\S+\.(?:service|socket|timer|target|path|mount|automount|swap|slice|scope|conf))$")
_SECTION = re.compile(r"^\[([^\]]+)\]$")
_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'"}


class Unit:
    """The [Service] keys of a unit: each key's values in order, after `Key=` resets."""

    def __init__(self, service: dict):
        self.service = service

    def _last(self, key):
        values = self.service.get(key) or []
        return values[-1] if values else None

    @property
    def exec_start(self):
        value = self._last("ExecStart")
        return value.lstrip("-@+!:|").strip() if value is not None else None

    @property
    def user(self):
        return self._last("User")

    @property
    def environment_files(self) -> list:
        """The paths of EnvironmentFile= (a leading `-`, missing file allowed, dropped)."""
        return [value.lstrip("-").strip() for value in self.service.get("EnvironmentFile", [])]

    @property
    def environment(self) -> dict:
        found = {}
        for value in self.service.get("Environment", []):
            for word in _words(value):
                key, sep, val = word.partition("=")
                if sep and key:
                    found[key] = val
        return found


def parse_unit(text: str) -> Unit:
    """A unit file, a drop-in, or `systemctl cat` output; ValueError when no section nor file header."""
    sections: dict = {}
    current = None
    seen_header, junk = False, False
    for line in _logical_lines(text):
        if _CAT_HEADER.match(line):
            seen_header, current = True, None
            continue
        if line[0] in "#;":
            continue
        section = _SECTION.match(line)
        if section:
            current = sections.setdefault(section.group(1).strip(), {})
            continue
        key, sep, value = line.partition("=")
        if not sep or current is None:
            junk = True
            continue
        key, value = key.strip(), value.strip()
        if value:
            current.setdefault(key, []).append(value)
        else:
            current[key] = []
    if not sections and not seen_header and junk:
        raise ValueError("no [Section] header: not a systemd unit file")
    return Unit(sections.get("Service", {}))


def _logical_lines(text: str) -> list:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found, index = [], 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if not line:
            continue
        if line[0] not in "#;":
            while line.endswith("\\") and index < len(lines):
                following = lines[index].strip()
                index += 1
                if following[:1] not in ("#", ";"):
                    line = line[:-1] + " " + following
            line = (line[:-1] if line.endswith("\\") else line).strip()
        found.append(line)
    return found


def _words(value: str) -> list:
    """systemd's word splitting of Environment= (quotes removed, C escapes)."""
    words, current, quote, in_word, index = [], [], None, False, 0
    while index < len(value):
        char = value[index]
        index += 1
        if char == "\\" and index < len(value):
            current.append(_C_ESCAPES.get(value[index], value[index]))
            index += 1
            in_word = True
        elif quote is not None:
            if char == quote:
                quote = None
            else:
                current.append(char)
        elif char in " \t":
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
        elif char in "\"'":
            quote, in_word = char, True
        else:
            current.append(char)
            in_word = True
    if in_word:
        words.append("".join(current))
    return words


def parse_environment_file(text: str) -> dict:
    """KEY=value assignments as systemd's parse_env_file reads them (quotes, escapes, continuations)."""
    state, key, value, keep, found = "pre_key", [], [], 0, {}

    def push():
        name = "".join(key).strip()
        if name.startswith("export "):
            name = name[len("export "):].strip()
        if name and " " not in name and "\t" not in name:
            found[name] = "".join(value[:keep])

    for char in text.replace("\r\n", "\n"):
        if state == "pre_key":
            if char in "#;":
                state = "comment"
            elif char not in " \t\r\n":
                state, key = "key", [char]
        elif state == "key":
            if char == "\n":
                state, key = "pre_key", []
            elif char == "=":
                state = "pre_value"
            else:
                key.append(char)
        elif state in ("pre_value", "value") and char == "\n":
            push()
            state, key, value, keep = "pre_key", [], [], 0
        elif state == "pre_value":
            if char in "'\"":
                state = "single" if char == "'" else "double"
            elif char == "\\":
                state = "value_escape"
            elif char not in " \t\r":
                state = "value"
                value.append(char)
                keep = len(value)
        elif state == "value":
            if char == "\\":
                state = "value_escape"
            else:
                value.append(char)
                keep = len(value) if char not in " \t\r" else keep
        elif state == "value_escape":
            state = "value"
            if char != "\n":
                value.append(char)
                keep = len(value)
        elif state == "single":
            if char == "'":
                state = "pre_value"
            else:
                value.append(char)
                keep = len(value)
        elif state == "double":
            if char == '"':
                state = "pre_value"
            elif char == "\\":
                state = "double_escape"
            else:
                value.append(char)
                keep = len(value)
        elif state == "double_escape":
            state = "double"
            if char in '"\\`$':
                value.append(char)
                keep = len(value)
            elif char != "\n":
                value.extend(("\\", char))
                keep = len(value)
        elif state == "comment":
            state = "comment_escape" if char == "\\" else "pre_key" if char == "\n" else state
        else:  # comment_escape: a comment's trailing backslash continues nothing (systemd >= 254)
            state = "pre_key" if char == "\n" else "comment"
    if state not in ("pre_key", "key", "comment", "comment_escape"):
        push()
    return found
