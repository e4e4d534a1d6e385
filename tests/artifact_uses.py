"""Every artifact name used in the repository, found by reading Python ASTs and YAML/JSON, never by grep.

Where a name is used:
- the collection (plugins/): ArtifactStore.add / add_result and registry.declared calls, `by_name` lookups,
  comparisons of a `name` with a string;
- the analysis (kafkapilot/): FactReader.read / artifact / artifacts, Snapshot.host_artifact(s) /
  cluster_artifact, unavailable_reason, `sources.get(…)`, the keywords source_key=, artifact= and
  evidence_artifact=, kafkapilot.artifacts.artifact / parser;
- the checks (analysis_tasks/): `evidence_artifact`;
- the test fixtures: `artifact:` of patches, `name:` of raw artifacts (tests/fixtures/**.yaml), artifact
  dicts and name comparisons in tests/factory/;
- snapshots shipped or kept as data (snapshot.json under kafkapilot/ and tests/).

A name is a string constant, a module-level constant, or a loop variable over a module-level literal
(`for fact, artifact in _FILTERS.items()`); anything else (a declaration's `.name`, a parameter) is the
registry's or the caller's and is not a use.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Use", "uses"]

_ARTIFACT_KEYS = frozenset({"content", "source", "source_type", "instance", "key"})


@dataclass(frozen=True)
class Use:
    """An artifact name and where it is used (file:line)."""

    name: str
    where: str


def _literal_strings(node: ast.AST | None, part: str) -> list[str]:
    """The strings of a literal: a str, a tuple/list/set of them, a dict's keys or values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for e in node.elts for s in _literal_strings(e, part)]
    if isinstance(node, ast.Dict):
        items = node.keys if part == "keys" else node.values
        return [s for e in items if e is not None for s in _literal_strings(e, part)]
    return []


class _Module:
    """One Python file: its module-level literals and the enclosing loops of each node."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        self.constants: dict[str, ast.AST] = {}
        for node in self.tree.body:
            targets = (node.targets if isinstance(node, ast.Assign)
                       else [node.target] if isinstance(node, ast.AnnAssign) else [])
            for target in targets:
                if isinstance(target, ast.Name) and getattr(node, "value", None) is not None:
                    self.constants[target.id] = node.value  # type: ignore[attr-defined]
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent

    def names(self, node: ast.AST) -> list[str]:
        """The artifact names an argument stands for (empty when it is not a literal use)."""
        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, str) else []
        if not isinstance(node, ast.Name):
            return []
        if node.id in self.constants:
            return _literal_strings(self.constants[node.id], "values")
        return self._loop_names(node)

    def _loop_names(self, node: ast.Name) -> list[str]:
        current: ast.AST | None = node
        while current is not None:
            current = self.parents.get(current)
            if isinstance(current, (ast.For, ast.comprehension)):
                found = self._bound_by(current.target, current.iter, node.id)
                if found is not None:
                    return found
        return []

    def _bound_by(self, target: ast.AST, iterable: ast.AST, name: str) -> list[str] | None:
        """The strings `name` takes when `target` (a name or a pair) runs over `iterable` (a module literal)."""
        part = None
        if isinstance(target, ast.Name) and target.id == name:
            part = "keys"
        elif isinstance(target, ast.Tuple) and len(target.elts) == 2:  # key, value
            for index, element in enumerate(target.elts):
                if isinstance(element, ast.Name) and element.id == name:
                    part = ("keys", "values")[index]
        if part is None:
            return None
        items = (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute)
                 and iterable.func.attr == "items")
        source = iterable.func.value if items else iterable  # type: ignore[union-attr]
        if isinstance(source, ast.Name):
            source = self.constants.get(source.id)
        return _literal_strings(source, part if items else "values")

    def where(self, node: ast.AST) -> str:
        return f"{self.path}:{getattr(node, 'lineno', 0)}"


def _argument(call: ast.Call, position: int, keyword: str = "name") -> ast.AST | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _receiver(call: ast.Call) -> str:
    value = call.func.value if isinstance(call.func, ast.Attribute) else None
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Attribute):
        return value.attr
    return ""


def _collection_arguments(call: ast.Call, function: str) -> list[ast.AST | None]:
    if function in ("add", "add_result", "declared"):
        return [_argument(call, 0)]
    if function == "get" and _receiver(call) == "by_name":
        return [_argument(call, 0)]
    return []


def _analysis_arguments(call: ast.Call, function: str) -> list[ast.AST | None]:
    receiver = _receiver(call)
    found: list[ast.AST | None] = [k.value for k in call.keywords
                                   if k.arg in ("source_key", "artifact", "evidence_artifact")]
    if function == "get" and receiver == "sources":
        found.append(_argument(call, 0))
    if function in ("host_artifact", "host_artifacts", "unavailable_reason"):
        found.append(_argument(call, 1))
    elif function == "cluster_artifact":
        found.append(_argument(call, 0))
    elif function == "read" and "reader" in receiver:
        found.append(_argument(call, 1))
    elif (function in ("artifact", "artifacts") and "reader" in receiver) or (
            receiver == "artifacts" and function in ("artifact", "parser")):
        found.append(_argument(call, 0))
    return found


def _compared_names(module: _Module, node: ast.AST) -> Iterator[Use]:
    """`x["name"] == "…"` and `x.name == "…"`."""
    if isinstance(node, ast.Compare) and len(node.comparators) == 1:
        left, right = node.left, node.comparators[0]
        subscript = (isinstance(left, ast.Subscript) and isinstance(left.slice, ast.Constant)
                     and left.slice.value == "name")
        if subscript or (isinstance(left, ast.Attribute) and left.attr == "name"):
            yield from (Use(n, module.where(node)) for n in module.names(right))


def _factory_uses(module: _Module, node: ast.AST) -> Iterator[Use]:
    if isinstance(node, ast.Dict):
        keys = {k.value: v for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        if "name" in keys and _ARTIFACT_KEYS & set(keys):
            yield from (Use(n, module.where(node)) for n in module.names(keys["name"]))
    yield from _compared_names(module, node)


def python_uses(path: Path, side: str) -> list[Use]:
    """Names used in one Python file of the collection, the analysis or the test factory."""
    module = _Module(path)
    found: list[Use] = []
    for node in ast.walk(module.tree):
        if side == "factory":
            found += _factory_uses(module, node)
            continue
        if side == "collection":
            found += _compared_names(module, node)
        if not isinstance(node, ast.Call):
            continue
        function = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        arguments = (_collection_arguments if side == "collection" else _analysis_arguments)(node, function)
        found += [Use(n, module.where(node)) for a in arguments if a is not None for n in module.names(a)]
    return found


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def task_uses(path: Path) -> list[Use]:
    """`evidence_artifact` of a check file."""
    data = _yaml(path)
    name = data.get("evidence_artifact") if isinstance(data, dict) else None
    return [Use(name, f"{path}: evidence_artifact")] if name else []


def fixture_uses(path: Path) -> list[Use]:
    """`artifact:` of each patch, `name:` of each raw host or cluster artifact of a fixture file."""
    data = _yaml(path)
    if not isinstance(data, dict):
        return []
    found = [Use(p["artifact"], f"{path}: patches[{i}].artifact") for i, p in enumerate(data.get("patches") or [])
             if isinstance(p, dict) and "artifact" in p]
    for host, entry in (data.get("hosts") or {}).items():
        found += [Use(a["name"], f"{path}: hosts.{host}.artifacts[{i}]")
                  for i, a in enumerate((entry or {}).get("artifacts") or []) if isinstance(a, dict) and "name" in a]
    found += [Use(a["name"], f"{path}: cluster[{i}]") for i, a in enumerate(data.get("cluster") or [])
              if isinstance(a, dict) and "name" in a]
    return found


def snapshot_uses(path: Path) -> list[Use]:
    """The artifacts of a snapshot.json."""
    manifest = json.loads(path.read_text(encoding="utf-8"))
    found = [Use(a["name"], f"{path}: hosts.{h}")
             for h, e in manifest.get("hosts", {}).items() for a in e.get("artifacts", [])]
    return found + [Use(a["name"], f"{path}: cluster_artifacts") for a in manifest.get("cluster_artifacts", [])]


def uses(root: Path) -> list[Use]:
    """Every artifact name used under `root` (a checkout, or a tree laid out like one); `where` relative to it."""
    found: list[Use] = []
    for path in sorted((root / "plugins").rglob("*.py")):
        found += python_uses(path, "collection")
    for path in sorted((root / "kafkapilot").rglob("*.py")):
        if path.name != "artifacts.py" or path.parent.name != "kafkapilot":  # the registry's own loader
            found += python_uses(path, "analysis")
    for path in sorted((root / "tests" / "factory").rglob("*.py")):
        found += python_uses(path, "factory")
    for path in sorted((root / "analysis_tasks").rglob("*.yaml")):
        found += task_uses(path)
    for path in sorted((root / "tests" / "fixtures").rglob("*.yaml")):
        found += fixture_uses(path)
    for top in ("kafkapilot", "tests"):
        found += [u for path in sorted((root / top).rglob("snapshot.json")) for u in snapshot_uses(path)]
    return [Use(u.name, u.where.removeprefix(f"{root}/")) for u in found]
