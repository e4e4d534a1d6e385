"""``kafka-configs.sh --describe`` for brokers, topics, broker loggers, groups and client
metrics (``--all`` or dynamic only, ``--entity-default``).

One header line an entity, then one indented line a config::

    All configs for broker 1 are:
      num.io.threads=8 sensitive=false synonyms={STATIC_BROKER_CONFIG:num.io.threads=8, DEFAULT_CONFIG:num.io.threads=8}
    Default configs for brokers in the cluster are:

Values may hold ``=``, spaces, commas and braces; sensitive values print as ``null``. The
synonyms list the sources in precedence order, the first being the one in effect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines, reject_unrecognised
from kafkapilot.parsers.errors import ParseError

__all__ = ["ConfigEntry", "ConfigsDescription", "EntityConfigs", "parse_configs_describe"]

_HEADER: Final[re.Pattern[str]] = re.compile(r"^(?:All|Dynamic) configs for (\S+) (.*) are:$")
_DEFAULT_HEADER: Final[re.Pattern[str]] = re.compile(
    r"^Default configs for (\S+) in the cluster are:$"
)
_ENTRY: Final[re.Pattern[str]] = re.compile(
    r"^(?P<name>[^=\s]+)=(?P<value>.*) "
    r"sensitive=(?P<sensitive>true|false) synonyms=\{(?P<syn>.*)\}$"
)
#: A synonym starts with its source: DYNAMIC_TOPIC_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG …
_SYNONYM_START: Final[re.Pattern[str]] = re.compile(r", (?=(?:[A-Z_]+_CONFIG|UNKNOWN):)")
_SYNONYM: Final[re.Pattern[str]] = re.compile(
    r"^(?P<source>[A-Z_]+):(?P<name>[^=]+)=(?P<value>.*)$"
)
_NULL: Final[str] = "null"


@dataclass(frozen=True, slots=True)
class ConfigEntry:
    """``value`` None when printed ``null`` (sensitive or unset). ``source`` is the first
    synonym's source, the one in effect; ``synonyms`` are (source, name, value)."""

    value: str | None
    sensitive: bool
    source: str | None
    synonyms: tuple[tuple[str, str, str | None], ...]


@dataclass(frozen=True, slots=True)
class EntityConfigs:
    """``entity_type`` plural as on the command line (``brokers``, ``topics``,
    ``broker-loggers``, ``groups``, ``client-metrics``); ``entity_name`` None for the
    cluster-wide default."""

    entity_type: str
    entity_name: str | None
    entries: dict[str, ConfigEntry]


@dataclass(frozen=True, slots=True)
class ConfigsDescription:
    entities: tuple[EntityConfigs, ...]

    def get(self, entity_type: str, entity_name: str | None) -> EntityConfigs | None:
        """The entity, e.g. ``get("brokers", "1")`` or ``get("brokers", None)``."""
        for entity in self.entities:
            if entity.entity_type == entity_type and entity.entity_name == entity_name:
                return entity
        return None


def parse_configs_describe(text: str) -> ConfigsDescription:
    """Entities in printed order.

    Raises ParseError when there is output but no entity header, or a config line that
    does not read ``name=value sensitive=… synonyms={…}``.
    """
    entities: list[tuple[str, str | None, dict[str, ConfigEntry]]] = []
    first_other: int | None = None
    for number, line in content_lines(text):
        header = _entity(line.strip())
        if header is not None:
            entities.append((header[0], header[1], {}))
            continue
        if not entities or not line[:1].isspace():
            first_other = first_other or number
            continue
        name, entry = _entry(line.strip(), number)
        entities[-1][2][name] = entry
    reject_unrecognised(entities, first_other, "kafka-configs --describe output")
    return ConfigsDescription(
        entities=tuple(EntityConfigs(kind, name, entries) for kind, name, entries in entities)
    )


def _entity(line: str) -> tuple[str, str | None] | None:
    default = _DEFAULT_HEADER.match(line)
    if default is not None:
        return default.group(1), None
    header = _HEADER.match(line)
    if header is None:
        return None
    return header.group(1) + "s", header.group(2)


def _entry(line: str, number: int) -> tuple[str, ConfigEntry]:
    match = _ENTRY.match(line)
    if match is None:
        raise ParseError(
            "config line is not 'name=value sensitive=… synonyms={…}'", line=number
        )
    synonyms = tuple(_synonym(part) for part in _SYNONYM_START.split(match.group("syn")) if part)
    return match.group("name"), ConfigEntry(
        value=_nullable(match.group("value")),
        sensitive=match.group("sensitive") == "true",
        source=synonyms[0][0] if synonyms else None,
        synonyms=synonyms,
    )


def _synonym(part: str) -> tuple[str, str, str | None]:
    match = _SYNONYM.match(part)
    if match is None:
        return ("UNKNOWN", part, None)
    return match.group("source"), match.group("name"), _nullable(match.group("value"))


def _nullable(value: str) -> str | None:
    return None if value == _NULL else value
