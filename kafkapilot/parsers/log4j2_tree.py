"""log4j 2 configurations in XML, YAML and JSON: one tree, one reading.

All three describe the same tree (``Configuration`` → ``Properties``, ``Appenders``,
``Loggers``); each is first turned into :class:`_Node` objects, then read once. Plugin and
attribute names are case-insensitive, as in log4j 2. XML with a DTD or entity declaration
is refused (no defusedxml here, so nothing that could expand).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Final
from xml.etree import ElementTree

from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.log4j import Log4jAppender, Log4jConfig, get_attribute

__all__ = ["parse_json", "parse_xml", "parse_yaml"]

_UNSAFE_XML: Final[re.Pattern[str]] = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_LOGGERS: Final[frozenset[str]] = frozenset({"root", "asyncroot"})


@dataclass(frozen=True, slots=True)
class _Node:
    """An element: its tag, its scalar attributes, its child elements."""

    tag: str
    attributes: dict[str, str] = field(default_factory=dict)
    children: tuple[_Node, ...] = ()

    def child(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag.lower() == tag.lower()), None)

    def children_named(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag.lower() == tag.lower()]


def parse_xml(text: str, fmt: str) -> Log4jConfig:
    unsafe = _UNSAFE_XML.search(text)
    if unsafe is not None:
        line = text.count("\n", 0, unsafe.start()) + 1
        raise ParseError(f"XML with <!{unsafe.group(1).upper()}> refused", line=line)
    try:
        root = ElementTree.fromstring(text.lstrip("\ufeff \t\r\n"))  # noqa: S314 - DTDs and entities refused above
    except ElementTree.ParseError as exc:
        raise ParseError(f"malformed XML: {exc}", line=exc.position[0]) from exc
    return _read(_from_element(root), fmt)


def parse_yaml(text: str, fmt: str) -> Log4jConfig:
    import yaml  # noqa: PLC0415 - only the YAML configurations need it: analyses of others import no YAML parser

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParseError(f"malformed YAML: {exc}", line=mark.line + 1 if mark else None) from exc
    return _read(_from_mapping(data), fmt)


def parse_json(text: str, fmt: str) -> Log4jConfig:
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ParseError(f"malformed JSON: {exc.msg}", line=exc.lineno) from exc
    return _read(_from_mapping(data), fmt)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]  # drop an XML namespace


def _from_element(element: ElementTree.Element) -> _Node:
    attributes = dict(element.attrib)
    text = (element.text or "").strip()
    if text and "value" not in attributes:
        attributes["value"] = text  # <Property name="x">value</Property>
    children = tuple(_from_element(child) for child in element)
    return _Node(tag=_local(element.tag), attributes=attributes, children=children)


def _from_mapping(data: object) -> _Node:
    if not isinstance(data, dict) or len(data) == 0:
        raise ParseError("no Configuration object at the top: not a log4j 2 configuration")
    tag, body = next(iter(data.items()))
    return _node(str(tag), body)


def _node(tag: str, body: Any) -> _Node:
    if not isinstance(body, dict):
        return _Node(tag=tag, attributes={} if body is None else {"value": _scalar(body)})
    attributes: dict[str, str] = {}
    children: list[_Node] = []
    for key, value in body.items():
        if isinstance(value, dict):
            children.append(_node(str(key), value))
        elif isinstance(value, list):
            children.extend(_node(str(key), item) for item in value)
        elif value is not None:
            attributes[str(key)] = _scalar(value)
    return _Node(tag=tag, attributes=attributes, children=tuple(children))


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read(root: _Node, fmt: str) -> Log4jConfig:
    if root.tag.lower() != "configuration":
        raise ParseError(
            f"top element is {root.tag!r}, not Configuration: not a log4j 2 configuration"
        )
    properties: dict[str, str] = {}
    for holder in root.children_named("Properties"):
        for prop in holder.children_named("Property"):
            name = get_attribute(prop.attributes, "name")
            if name is not None:
                properties[name] = get_attribute(prop.attributes, "value") or ""
    appenders: list[Log4jAppender] = []
    for holder in root.children_named("Appenders"):
        appenders.extend(_appender(node) for node in holder.children)
    return Log4jConfig(fmt, tuple(appenders), _root_level(root), properties)


def _appender(node: _Node) -> Log4jAppender:
    kind = node.tag
    if kind.lower() == "appender":  # strict XML form: <Appender type="RollingFile" …>
        kind = get_attribute(node.attributes, "type") or kind
    attributes = _flatten(node, "")
    return Log4jAppender(
        name=get_attribute(node.attributes, "name") or kind,
        kind=kind,
        file=get_attribute(node.attributes, "fileName"),
        file_pattern=get_attribute(node.attributes, "filePattern"),
        attributes=attributes,
    )


def _flatten(node: _Node, prefix: str) -> dict[str, str]:
    flat = {prefix + key: value for key, value in node.attributes.items()}
    for child in node.children:
        flat.update(_flatten(child, f"{prefix}{child.tag}."))
    return flat


def _root_level(root: _Node) -> str | None:
    for loggers in root.children_named("Loggers"):
        for logger in loggers.children:
            if logger.tag.lower() in _ROOT_LOGGERS:
                return get_attribute(logger.attributes, "level")
    return None
