"""``EnvironmentFile=`` files of systemd units and ``/etc/default`` / ``/etc/sysconfig`` files.

Follows systemd's own parser (``parse_env_file``): ``#``/``;`` comment lines, unquoted
values with shell-like backslash escapes and surrounding white space dropped, ``'…'`` and
``"…"`` values that may span lines, backslash-newline continuation, quotes concatenated
(``'a'"b"`` is ``ab``), no variable expansion. Also accepts the ``export KEY=value`` form
of shell-sourced defaults files. The last assignment of a key wins.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, auto
from typing import ClassVar, Final

__all__ = ["parse_environment_file"]

_NEWLINE: Final[str] = "\n"
_WHITESPACE: Final[str] = " \t\r\n"
_SHELL_NEED_ESCAPE: Final[str] = '"\\`$'


class _S(Enum):
    PRE_KEY = auto()
    KEY = auto()
    PRE_VALUE = auto()
    VALUE = auto()
    VALUE_ESCAPE = auto()
    SINGLE_QUOTE = auto()
    DOUBLE_QUOTE = auto()
    DOUBLE_QUOTE_ESCAPE = auto()
    COMMENT = auto()
    COMMENT_ESCAPE = auto()


def parse_environment_file(text: str) -> dict[str, str]:
    """Variables assigned by an environment file; lines without ``=`` are ignored."""
    parser = _Parser()
    for char in text.replace("\r\n", "\n"):
        parser.feed(char)
    parser.finish()
    return parser.result


class _Parser:
    """The state machine of systemd's ``parse_env_file_internal`` (one per call)."""

    def __init__(self) -> None:
        self.state = _S.PRE_KEY
        self.key: list[str] = []
        self.value: list[str] = []
        self.keep = 0  # length of value without trailing unquoted white space
        self.result: dict[str, str] = {}

    def push(self) -> None:
        key = "".join(self.key).strip()
        if key.startswith("export "):
            key = key[len("export ") :].strip()
        if key and " " not in key and "\t" not in key:
            self.result[key] = "".join(self.value[: self.keep])
        self.key, self.value, self.keep = [], [], 0
        self.state = _S.PRE_KEY

    def append(self, char: str, *, significant: bool = True) -> None:
        self.value.append(char)
        if significant:
            self.keep = len(self.value)

    def feed(self, char: str) -> None:
        self._STEPS[self.state](self, char)

    # One method per state, as the cases of systemd's switch.
    def _pre_key(self, char: str) -> None:
        if char in "#;":
            self.state = _S.COMMENT
        elif char not in _WHITESPACE:
            self.state = _S.KEY
            self.key.append(char)

    def _key(self, char: str) -> None:
        if char == _NEWLINE:
            self.key = []
            self.state = _S.PRE_KEY
        elif char == "=":
            self.state = _S.PRE_VALUE
        else:
            self.key.append(char)

    def _pre_value(self, char: str) -> None:
        if char == _NEWLINE:
            self.push()
        elif char == "'":
            self.state = _S.SINGLE_QUOTE
        elif char == '"':
            self.state = _S.DOUBLE_QUOTE
        elif char == "\\":
            self.state = _S.VALUE_ESCAPE
        elif char not in _WHITESPACE:
            self.state = _S.VALUE
            self.append(char)

    def _value(self, char: str) -> None:
        if char == _NEWLINE:
            self.push()
        elif char == "\\":
            self.state = _S.VALUE_ESCAPE
        else:
            self.append(char, significant=char not in _WHITESPACE)

    def _value_escape(self, char: str) -> None:
        self.state = _S.VALUE
        if char != _NEWLINE:
            self.append(char)

    def _single_quote(self, char: str) -> None:
        if char == "'":
            self.state = _S.PRE_VALUE
        else:
            self.append(char)

    def _double_quote(self, char: str) -> None:
        if char == '"':
            self.state = _S.PRE_VALUE
        elif char == "\\":
            self.state = _S.DOUBLE_QUOTE_ESCAPE
        else:
            self.append(char)

    def _double_quote_escape(self, char: str) -> None:
        self.state = _S.DOUBLE_QUOTE
        if char in _SHELL_NEED_ESCAPE:
            self.append(char)
        elif char != _NEWLINE:
            self.append("\\")
            self.append(char)

    def _comment(self, char: str) -> None:
        if char == "\\":
            self.state = _S.COMMENT_ESCAPE
        elif char == _NEWLINE:
            self.state = _S.PRE_KEY

    def _comment_escape(self, char: str) -> None:
        # since systemd 254 a comment's trailing "\\" continues nothing
        self.state = _S.PRE_KEY if char == _NEWLINE else _S.COMMENT

    _STEPS: ClassVar[dict[_S, Callable[[_Parser, str], None]]] = {
        _S.PRE_KEY: _pre_key,
        _S.KEY: _key,
        _S.PRE_VALUE: _pre_value,
        _S.VALUE: _value,
        _S.VALUE_ESCAPE: _value_escape,
        _S.SINGLE_QUOTE: _single_quote,
        _S.DOUBLE_QUOTE: _double_quote,
        _S.DOUBLE_QUOTE_ESCAPE: _double_quote_escape,
        _S.COMMENT: _comment,
        _S.COMMENT_ESCAPE: _comment_escape,
    }

    def finish(self) -> None:
        if self.state not in (_S.PRE_KEY, _S.KEY, _S.COMMENT, _S.COMMENT_ESCAPE):
            self.push()

