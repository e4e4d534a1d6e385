# Copyright: KafkaPilot developers. Apache-2.0.
"""Where a Kafka or ZooKeeper logging config writes: its file appenders and properties.

The controller's lean copy of kafkapilot.parsers.log4j and log4j2_tree (the analysis side's
authority): log4j 1 properties (Kafka 3.x, reload4j) and log4j 2 properties, XML, YAML and
JSON (Kafka 4.x ships log4j2.yaml). Only what finding the log files needs: each appender's
name, file and rollover pattern, the config's own properties, and ${...} substitution.
A test runs both over the parser samples and asserts equal results.
"""

from __future__ import annotations

import json
import re
from collections import namedtuple
from xml.etree import ElementTree

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.properties import parse_properties

__all__ = ["Appender", "Log4jConfig", "parse_log4j", "substitute"]

LOG4J1 = "log4j1-properties"
Appender = namedtuple("Appender", "name file file_pattern")
Log4jConfig = namedtuple("Log4jConfig", "format appenders properties")

_LOG4J1_APPENDER = re.compile(r"^log4j\.appender\.([^.]+)$")
_LOG4J2_KEYS = re.compile(
    r"^(?:appender|appenders|rootLogger|logger|loggers|property|filter|filters|status|name|dest|monitorInterval|"
    r"packages|shutdownHook|shutdownTimeout|strict|verbose|advertiser|script|scripts|customLevel|customLevels|"
    r"properties)(?:\.|$)", re.IGNORECASE)
_YAML_ROOT = re.compile(r"^configuration\s*:", re.IGNORECASE | re.MULTILINE)
_UNSAFE_XML = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_LOOKUP = re.compile(r"\$\{([^${}]+)\}")


def parse_log4j(text: str, filename: str) -> Log4jConfig:
    """The config's appenders and properties; ValueError when it is not a logging config."""
    body = text.lstrip("\ufeff \t\r\n")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not body:
        kinds = {"xml": "log4j2-xml", "yaml": "log4j2-yaml", "yml": "log4j2-yaml", "json": "log4j2-json"}
        return Log4jConfig(kinds.get(suffix, "log4j2-properties" if "log4j2" in filename.lower() else LOG4J1), (), {})
    if body.startswith("<"):
        if _UNSAFE_XML.search(text):
            raise ValueError("XML with a DTD or entity refused")
        try:
            return _tree("log4j2-xml", _element(ElementTree.fromstring(body)))
        except ElementTree.ParseError as exc:
            raise ValueError(f"malformed XML: {exc}") from None
    if body.startswith("{"):
        return _tree("log4j2-json", _mapping(json.loads(text.lstrip("\ufeff"))))
    if suffix in ("yaml", "yml") or _YAML_ROOT.search(body):
        import yaml  # noqa: PLC0415 - PyYAML comes with ansible-core; only YAML configs need it

        try:
            return _tree("log4j2-yaml", _mapping(yaml.safe_load(text)))
        except yaml.YAMLError as exc:
            raise ValueError(f"malformed YAML: {exc}") from None
    return _properties(parse_properties(text))


def substitute(value: str, config: Log4jConfig, system_properties: dict, env: dict) -> str:
    """`value` with ${x}, ${sys:x}, ${env:X} and ${x:-default} replaced where known (as log4j does)."""
    def replace(match):
        found = _lookup(match.group(1), config, system_properties, env)
        return found if found is not None else match.group(0)

    for _round in range(10):
        replaced = _LOOKUP.sub(replace, value)
        if replaced == value:
            break
        value = replaced
    return value


def _lookup(expression, config, system_properties, env):
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
    return default if found is None and has_default else found


def _attribute(attributes: dict, name: str):
    """Case-insensitive (log4j 2 attribute names ignore case)."""
    return next((value for key, value in attributes.items() if key.lower() == name.lower()), None)


def _properties(values: dict) -> Log4jConfig:
    if any(key.startswith("log4j.") for key in values):
        appenders = []
        for key in values:
            match = _LOG4J1_APPENDER.match(key)
            if match:
                attributes = _subkeys(values, key + ".")
                pattern = _attribute(attributes, "rollingPolicy.FileNamePattern") or _attribute(attributes,
                                                                                                "FileNamePattern")
                appenders.append(Appender(match.group(1), _attribute(attributes, "File"), pattern))
        own = {k: v for k, v in values.items() if not k.startswith("log4j.")}
        return Log4jConfig(LOG4J1, tuple(appenders), own)
    if values and not any(_LOG4J2_KEYS.match(key) for key in values):
        raise ValueError(f"no log4j keys (first key {next(iter(values))!r}): not a logging configuration")
    ids = dict.fromkeys(key.split(".")[1] for key in values if key.startswith("appender.") and key.count(".") >= 2)
    appenders = []
    for ident in ids:
        attributes = _subkeys(values, f"appender.{ident}.")
        appenders.append(Appender(_attribute(attributes, "name") or ident, _attribute(attributes, "fileName"),
                                  _attribute(attributes, "filePattern")))
    own = {k[len("property."):]: v for k, v in values.items() if k.startswith("property.")}
    return Log4jConfig("log4j2-properties", tuple(appenders), own)


def _subkeys(values: dict, prefix: str) -> dict:
    return {k[len(prefix):]: v.strip() for k, v in values.items() if k.startswith(prefix)}


# log4j 2 XML, YAML and JSON: one tree of (tag, attributes, children)
def _element(element):
    attributes = dict(element.attrib)
    text = (element.text or "").strip()
    if text and "value" not in attributes:
        attributes["value"] = text  # <Property name="x">value</Property>
    return element.tag.rsplit("}", 1)[-1], attributes, [_element(child) for child in element]


def _mapping(data):
    if not isinstance(data, dict) or not data:
        raise ValueError("no Configuration object at the top: not a log4j 2 configuration")
    tag, body = next(iter(data.items()))
    return _node(str(tag), body)


def _node(tag, body):
    if not isinstance(body, dict):
        return tag, ({} if body is None else {"value": _scalar(body)}), []
    attributes, children = {}, []
    for key, value in body.items():
        if isinstance(value, dict):
            children.append(_node(str(key), value))
        elif isinstance(value, list):
            children.extend(_node(str(key), item) for item in value)
        elif value is not None:
            attributes[str(key)] = _scalar(value)
    return tag, attributes, children


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _named(children, tag):
    return [child for child in children if child[0].lower() == tag.lower()]


def _tree(fmt, root) -> Log4jConfig:
    tag, _attributes, children = root
    if tag.lower() != "configuration":
        raise ValueError(f"top element is {tag!r}, not Configuration: not a log4j 2 configuration")
    properties = {}
    for _tag, _attributes, holder in _named(children, "Properties"):
        for _tag, attributes, _children in _named(holder, "Property"):
            name = _attribute(attributes, "name")
            if name is not None:
                properties[name] = _attribute(attributes, "value") or ""
    appenders = []
    for _tag, _attributes, holder in _named(children, "Appenders"):
        for kind, attributes, _children in holder:
            if kind.lower() == "appender":  # strict XML form: <Appender type="RollingFile" ...>
                kind = _attribute(attributes, "type") or kind
            appenders.append(Appender(_attribute(attributes, "name") or kind, _attribute(attributes, "fileName"),
                                      _attribute(attributes, "filePattern")))
    return Log4jConfig(fmt, tuple(appenders), properties)
