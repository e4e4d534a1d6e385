"""Fact paths of a check, validated against the fact models (kafkapilot/facts/model/).

`requires:` entries are checked in full (`node.jvm.xmx_bytes`: KafkaNode has `jvm`, a Jvm, which
has `xmx_bytes`). In expressions and templates, every attribute chain that starts at a scope
variable (`node`, `host`, `cluster`) is checked the same way, down to the first value that is
not a fact model (a dict such as `node.config`, a list, a number): what follows a dict is a key,
and a key can be anything. Names a template assigns itself (`{% set %}`, `{% for %}`) are not
scope variables. Attribute names given as strings to filters (`selectattr('node_id', …)`) are
not checked.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, Final, Union, get_args, get_origin

from jinja2 import nodes

from kafkapilot.catalog.schema import Scope
from kafkapilot.facts.model import Cluster, Host, KafkaNode, Record, ZooKeeperNode

__all__ = ["expression_errors", "requires_error", "scope_variables"]

_CLUSTER: Final[dict[str, type]] = {"cluster": Cluster}
_NODE: Final[dict[str, type]] = {"node": KafkaNode, "host": Host, "cluster": Cluster}
_SCOPES: Final[dict[Scope, dict[str, type]]] = {
    Scope.CLUSTER: _CLUSTER,
    Scope.HOST: {"host": Host, "cluster": Cluster},
    Scope.BROKER: _NODE,
    Scope.CONTROLLER: _NODE,
    Scope.KAFKA_NODE: _NODE,
    Scope.ZOOKEEPER: {"node": ZooKeeperNode, "host": Host, "cluster": Cluster},
}
_ROOTS: Final = frozenset({"node", "host", "cluster"})
_RECORD_METHODS: Final = frozenset({"get", "keys", "as_dict"})


def scope_variables(scope: Scope) -> dict[str, type]:
    """The fact variables of a scope and their model."""
    return _SCOPES[scope]


@cache
def _hints(model: type) -> dict[str, Any]:
    return typing.get_type_hints(model)


def _model_of(annotation: Any) -> Any:
    """The annotation without None (`Jvm | None` → Jvm)."""
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _step(current: Any, name: str, path: str) -> tuple[Any, str | None]:
    """(the type after `.name`, or None when nothing more can be checked; an error, or None)."""
    if isinstance(current, type) and issubclass(current, Record):
        hints = _hints(current)
        if name in hints:
            return _model_of(hints[name]), None
        if name in _RECORD_METHODS:
            return None, None
        return None, f"unknown fact {path} ({current.__name__} has no field {name!r}; see docs/facts.md)"
    if get_origin(current) is list or current is list:
        if hasattr(list, name):
            return None, None
        return None, f"{path.rsplit('.', 1)[0]} is a list: {name!r} is not a fact of it (use map or selectattr)"
    return None, None  # a dict (its keys), a number, a string, a sequence class: nothing more to check


def _walk(variables: dict[str, type], parts: list[str]) -> str | None:
    if parts[0] not in variables:
        return f"{parts[0]} is not a variable of this scope (it has: {', '.join(sorted(variables))})"
    current: Any = variables[parts[0]]
    for depth, name in enumerate(parts[1:], start=2):
        current, error = _step(current, name, ".".join(parts[:depth]))
        if error or current is None:
            return error
    return None


def requires_error(path: str, scope: Scope) -> str | None:
    """Why a `requires:` path names no fact of the scope, or None when it does."""
    parts = path.split(".")
    if not all(part.isidentifier() for part in parts):
        return f"{path!r} is not a dotted fact path (e.g. node.jvm.xmx_bytes)"
    if len(parts) < 2:  # a variable and at least one fact
        return f"{path!r} names a scope variable, not a fact (e.g. {path}.config)"
    return _walk(scope_variables(scope), parts)


def _chain(node: nodes.Node) -> list[str] | None:
    """['node', 'jvm', 'xmx_bytes'] for node.jvm.xmx_bytes (or node['jvm'].xmx_bytes), else None."""
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            parts.append(node.name)
            return parts[::-1]
        else:
            return None


def expression_errors(tree: nodes.Template, scope: Scope) -> list[str]:
    """Unknown facts read by a parsed expression or template, each reported once."""
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in {"store", "param"}}
    variables = {k: v for k, v in scope_variables(scope).items() if k not in assigned}
    errors: dict[str, None] = {}
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        parts = _chain(node)
        if not parts or parts[0] not in _ROOTS or parts[0] in assigned:
            continue
        error = _walk(variables, parts)
        if error:
            errors[error] = None
    return list(errors)
