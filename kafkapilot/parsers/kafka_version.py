"""The Kafka version of a process, from the jar names on its class path.

``kafka_2.13-4.1.0.jar`` (the broker jar, Scala version first) is the most telling, then
``kafka-server-4.1.0.jar``, then ``kafka-clients-4.1.0.jar``, then the other module jars
(``kafka-server-common``, ``kafka-metadata`` …). Confluent Platform jars
carry their own version with a suffix (``kafka_2.13-7.6.0-ccs.jar`` for the community
edition, ``-ce`` for Confluent Server); Red Hat's builds ``3.9.0.redhat-00001``. The
version is returned as the jar names it, suffix included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = ["kafka_version_from_jars"]

_VERSION: Final[str] = r"(?P<version>\d+\.\d+(?:\.\d+)*(?:[.-][0-9A-Za-z][0-9A-Za-z.-]*)?)"
#: Jars of the build that are not the running code.
_CLASSIFIED: Final[re.Pattern[str]] = re.compile(
    r"-(?:test|test-sources|sources|javadoc|scaladoc)\.jar$"
)
#: Jar name patterns, most telling first.
_PATTERNS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(rf"^kafka_\d+\.\d+(?:\.\d+)?-{_VERSION}\.jar$"),
    re.compile(rf"^kafka-server-{_VERSION}\.jar$"),
    re.compile(rf"^kafka-clients-{_VERSION}\.jar$"),
    re.compile(
        rf"^kafka-(?:server-common|metadata|raft|storage|group-coordinator)-{_VERSION}\.jar$"
    ),
)


def kafka_version_from_jars(names: Iterable[str]) -> str | None:
    """The version named by the best jar among ``names`` (file names or paths; class path
    wildcards like ``libs/*`` are ignored), None when no Kafka jar is there."""
    basenames = [name.rstrip("/").rsplit("/", 1)[-1].strip() for name in names]
    basenames = [name for name in basenames if not _CLASSIFIED.search(name)]
    for pattern in _PATTERNS:
        for basename in basenames:
            match = pattern.match(basename)
            if match is not None:
                return match.group("version")
    return None
