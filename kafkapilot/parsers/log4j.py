"""Logging configurations of Kafka and ZooKeeper (log4j 1 and log4j 2, every format).

Kafka 3.x ships ``config/log4j.properties`` (log4j 1 syntax, run by reload4j); Kafka 4.x
ships ``config/log4j2.yaml``; log4j 2 also reads ``.properties``, ``.xml`` and ``.json``.
:func:`parse_log4j` finds the appenders (name, kind, file, rollover pattern), the root
level and the properties declared in the file; :func:`resolve_log_paths` turns the file
names into paths with the JVM's system properties and environment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.properties import parse_properties

__all__ = [
    "Log4jAppender",
    "Log4jConfig",
    "get_attribute",
    "parse_log4j",
    "resolve_log_paths",
    "substitute",
]

LOG4J1: Final[str] = "log4j1-properties"
LOG4J2_PROPERTIES: Final[str] = "log4j2-properties"
LOG4J2_XML: Final[str] = "log4j2-xml"
LOG4J2_YAML: Final[str] = "log4j2-yaml"
LOG4J2_JSON: Final[str] = "log4j2-json"

_LOG4J1_APPENDER: Final[re.Pattern[str]] = re.compile(r"^log4j\.appender\.([^.]+)$")
_LOG4J2_TOP_KEYS: Final[re.Pattern[str]] = re.compile(
    r"^(?:appender|appenders|rootLogger|logger|loggers|property|filter|filters|status|name|"
    r"dest|monitorInterval|packages|shutdownHook|shutdownTimeout|strict|verbose|advertiser|"
    r"script|scripts|customLevel|customLevels|properties)(?:\.|$)",
    re.IGNORECASE,
)
_YAML_ROOT: Final[re.Pattern[str]] = re.compile(r"^configuration\s*:", re.IGNORECASE | re.MULTILINE)
_LOOKUP: Final[re.Pattern[str]] = re.compile(r"\$\{([^${}]+)\}")
_MAX_SUBSTITUTION_ROUNDS: Final[int] = 10


@dataclass(frozen=True, slots=True)
class Log4jAppender:
    """An appender; ``kind`` is the log4j 2 type (``RollingFile``) or the simple name of
    the log4j 1 class (``DailyRollingFileAppender``). ``attributes`` holds its other
    settings, nested ones with dotted keys (``policies.interval``)."""

    name: str
    kind: str
    file: str | None
    file_pattern: str | None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Log4jConfig:
    """``format`` is one of ``log4j1-properties``, ``log4j2-properties``, ``log4j2-xml``,
    ``log4j2-yaml``, ``log4j2-json``. ``properties`` are the values the file declares for
    substitution (log4j 2 ``Properties``; for log4j 1 the keys outside ``log4j.*``)."""

    format: str
    appenders: tuple[Log4jAppender, ...]
    root_level: str | None
    properties: dict[str, str]


def parse_log4j(text: str, filename: str) -> Log4jConfig:
    """Parse a logging configuration; the format comes from the content, then the name.

    Raises ParseError for malformed XML/YAML/JSON, a DTD or entity in XML, or a file with
    none of the keys or elements of a logging configuration.
    """
    body = text.lstrip("\ufeff \t\r\n")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not body:
        kind = {"xml": LOG4J2_XML, "yaml": LOG4J2_YAML, "yml": LOG4J2_YAML, "json": LOG4J2_JSON}
        default = LOG4J2_PROPERTIES if "log4j2" in filename.lower() else LOG4J1
        return Log4jConfig(kind.get(suffix, default), (), None, {})
    from kafkapilot.parsers import log4j2_tree  # noqa: PLC0415 - it imports this module; PyYAML and XML only when needed

    if body.startswith("<"):
        return log4j2_tree.parse_xml(text, LOG4J2_XML)
    if body.startswith("{"):
        return log4j2_tree.parse_json(text, LOG4J2_JSON)
    if suffix in ("yaml", "yml") or _YAML_ROOT.search(body):
        return log4j2_tree.parse_yaml(text, LOG4J2_YAML)
    return _parse_properties_config(text)


def resolve_log_paths(
    config: Log4jConfig, system_properties: Mapping[str, str], env: Mapping[str, str]
) -> tuple[str, ...]:
    """Paths of the file appenders with ``${…}`` substituted, in appender order, without
    duplicates. ``${x}``: config properties then system properties (log4j 1: system
    properties first); ``${sys:x}``, ``${env:X}``: then the config properties, as log4j 2
    falls back; ``${x:-default}`` defaults. What cannot be resolved is left as it is."""
    paths: dict[str, None] = {}
    for appender in config.appenders:
        if appender.file:
            paths[substitute(appender.file, config, system_properties, env)] = None
    return tuple(paths)


def substitute(
    value: str, config: Log4jConfig, system_properties: Mapping[str, str], env: Mapping[str, str]
) -> str:
    """``value`` with the lookups :func:`resolve_log_paths` understands replaced."""

    def replace(match: re.Match[str]) -> str:
        found = _lookup(match.group(1), config, system_properties, env)
        return found if found is not None else match.group(0)

    for _ in range(_MAX_SUBSTITUTION_ROUNDS):
        replaced = _LOOKUP.sub(replace, value)
        if replaced == value:
            break
        value = replaced
    return value


def _lookup(
    expression: str,
    config: Log4jConfig,
    system_properties: Mapping[str, str],
    env: Mapping[str, str],
) -> str | None:
    name, has_default, default = expression.partition(":-")
    prefix, colon, key = name.partition(":")
    own = config.properties
    if config.format == LOG4J1:
        found = system_properties.get(name, own.get(name))
    elif not colon:
        found = own.get(name, system_properties.get(name))
    elif prefix == "sys":
        found = system_properties.get(key, own.get(key))
    elif prefix == "env":
        found = env.get(key, own.get(key))
    else:
        found = None
    if found is None and has_default:
        return default
    return found


def _parse_properties_config(text: str) -> Log4jConfig:
    props = parse_properties(text)
    values = props.as_dict()
    if any(key.startswith("log4j.") for key in values):
        return _log4j1(values)
    if any(_LOG4J2_TOP_KEYS.match(key) for key in values) or not values:
        return _log4j2_properties(values)
    first = props.entries[0]
    raise ParseError(
        f"no log4j keys (first key {first.key!r}): not a logging configuration", line=first.line
    )


def _log4j1(values: dict[str, str]) -> Log4jConfig:
    appenders = []
    for key, cls in values.items():
        match = _LOG4J1_APPENDER.match(key)
        if match is None:
            continue
        name = match.group(1)
        attributes = _subkeys(values, f"{key}.")
        pattern = get_attribute(attributes, "rollingPolicy.FileNamePattern") or get_attribute(
            attributes, "FileNamePattern"
        )
        appenders.append(
            Log4jAppender(
                name=name,
                kind=cls.strip().rsplit(".", 1)[-1],
                file=get_attribute(attributes, "File"),
                file_pattern=pattern,
                attributes=attributes,
            )
        )
    root = values.get("log4j.rootLogger", values.get("log4j.rootCategory"))
    own = {k: v for k, v in values.items() if not k.startswith("log4j.")}
    return Log4jConfig(LOG4J1, tuple(appenders), _first_item(root), own)


def _log4j2_properties(values: dict[str, str]) -> Log4jConfig:
    ids: dict[str, None] = {}
    for key in values:
        parts = key.split(".")
        if len(parts) >= 3 and parts[0] == "appender":
            ids[parts[1]] = None
    appenders = []
    for ident in ids:
        attributes = _subkeys(values, f"appender.{ident}.")
        appenders.append(
            Log4jAppender(
                name=get_attribute(attributes, "name") or ident,
                kind=get_attribute(attributes, "type") or "",
                file=get_attribute(attributes, "fileName"),
                file_pattern=get_attribute(attributes, "filePattern"),
                attributes=attributes,
            )
        )
    level = values.get("rootLogger.level")
    root = level.strip() if level else _first_item(values.get("rootLogger"))
    own = {k[len("property.") :]: v for k, v in values.items() if k.startswith("property.")}
    return Log4jConfig(LOG4J2_PROPERTIES, tuple(appenders), root or None, own)


def _subkeys(values: dict[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: v.strip() for k, v in values.items() if k.startswith(prefix)}


def get_attribute(attributes: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive attribute lookup (log4j 2 attribute names ignore case)."""
    lowered = name.lower()
    for key, value in attributes.items():
        if key.lower() == lowered:
            return value
    return None


def _first_item(value: str | None) -> str | None:
    """``INFO, stdout`` → ``INFO``; ``, stdout`` → None."""
    if value is None:
        return None
    return value.split(",", 1)[0].strip() or None
