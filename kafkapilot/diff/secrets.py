"""Which config values a diff never shows: those of secret-looking keys, and any value the collection redacted
or that looks like a secret (kafkapilot.llm.secrets, the check made before a prompt leaves the machine)."""

from __future__ import annotations

import re
from typing import Final

from kafkapilot.llm.secrets import find_secret

__all__ = ["is_hidden"]

#: key names whose values are secrets, after the collection's rule (ssl.key.password, sasl.jaas.config …)
_SECRET_KEY: Final = re.compile(
    r"(?i)(passw(or)?d|passwd|pwd|secret|token|credential|private|jaas|api[._-]?key|access[._-]?key|(^|[._-])key$)"
)
#: keys that name where a secret is or what kind it is, not the secret (ssl.keystore.location …)
_DESCRIPTIVE: Final = re.compile(r"(?i)[._-](location|type|path|file|dir|url|class|algorithm|mechanism|protocol)$")


def is_hidden(key: str, *values: str | None) -> bool:
    """True when the values of `key` must not be shown: a secret-looking key, a value holding `[REDACTED`,
    or a value that looks like a secret whatever its key."""
    if _SECRET_KEY.search(key) and not _DESCRIPTIVE.search(key):
        return True
    return any(v is not None and ("[REDACTED" in v or find_secret(f"{key}={v}") is not None) for v in values)
