"""The last check before a prompt leaves the machine: nothing that looks like a secret.

The collection already replaces secret values by `[REDACTED:<kind>]`; this looks again, at what is
about to be sent, and names what it found (never the value) so that the call can be refused.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["find_secret"]

#: the names of keys whose values are secrets (a regular expression)
_SENSITIVE_KEY: Final = (
    r"[\w.-]*?(?:password|passwd|pwd|secret|token|credentials?|api[_.-]?key|access[_.-]?key|secret[_.-]?key"
    r"|master[_.-]?key|private[_.-]?key|sasl\.jaas\.config)"
)
_ASSIGNMENT: Final = re.compile(
    rf"(?i)(?<![\w.])({_SENSITIVE_KEY})[\"']?\s*[=:]\s*(?!\s)(\"[^\"]*\"|'[^']*'|\$\{{[^}}]*\}}|[^\s,;}}]*)"
)
_SHAPES: Final = (
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")),
    ("an AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a bearer token", re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{20,}")),
    ("a JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("a password in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/:@]+:(?!\[REDACTED)[^\s/@]+@")),
)
_HARMLESS: Final = re.compile(
    r"(?i)^(?:|\[REDACTED(?::[a-z0-9-]+)?\]|\*+|<[^>]*>|\$\{[^}]*\}|-?\d+(?:\.\d+)?|true|false|null|none|required|requested)$"
)
_JAAS_PASSWORD: Final = re.compile(r"(?i)\b(\w*password)\s*=\s*\"([^\"]*)\"")


def find_secret(text: str) -> str | None:
    """A description of the first secret-looking value in `text` ("line 3: ssl.key.password"), or None."""
    for number, line in enumerate(text.splitlines(), start=1):
        found = _line_secret(line)
        if found:
            return f"line {number}: {found}"
    return None


def _line_secret(line: str) -> str | None:
    for match in _JAAS_PASSWORD.finditer(line):
        if not _HARMLESS.match(match.group(2)):
            return f"{match.group(1)} in a JAAS entry"
    for match in _ASSIGNMENT.finditer(line):
        key, value = match.group(1), match.group(2).strip("\"'")
        if key.lower() == "sasl.jaas.config":
            continue  # its password="…" entries are checked above
        if not _HARMLESS.match(value) and not _is_reference(key, value):
            return f"the value of {key}"
    for label, pattern in _SHAPES:
        if pattern.search(line):
            return label
    return None


def _is_reference(key: str, value: str) -> bool:
    """Values that name where a secret lives, not the secret: file paths, classes, algorithms, URLs."""
    lowered = key.lower()
    if lowered.endswith((".location", ".file", ".path", ".class", ".algorithm", ".url", ".type",
                         ".callback.handler.class")):
        return True
    return value.startswith(("/", "file:", "classpath:"))
