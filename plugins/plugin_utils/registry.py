"""The artifact registry (meta/artifacts.yml) as the controller reads it.

Every artifact the collection writes is declared there once: its scope, how it is found (a
file, a command, another request of the host_requests module, a named locator of
plugin_utils/locators.py, or a tool of the Kafka distribution), its limits and its redaction
pass. The host-level requests and the cluster-wide tools are built from the declarations;
the store looks the redaction pass up by name and refuses a name that is not declared.
The analysis reads the same file with its own loader (kafkapilot/artifacts.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from ansible_collections.kafkapilot.kafkapilot.plugins.module_utils.constants import OP_NAMES

__all__ = [
    "ANALYSIS_KEYS",
    "COLLECTION_KEYS",
    "REDACTION_KINDS",
    "REGISTRY_FILE",
    "Declaration",
    "RegistryError",
    "declared",
    "declarations",
    "load",
]

#: the collection's root (…/ansible_collections/kafkapilot/kafkapilot, or the repository root)
REGISTRY_FILE: Final = Path(__file__).resolve().parents[2] / "meta" / "artifacts.yml"
SCOPES: Final = ("host", "process", "cluster")
KINDS: Final = ("kafka", "zookeeper")
SOURCE_TYPES: Final = ("file", "command", "derived")
MODES: Final = ("kraft", "zookeeper", "unknown")
REPEATS: Final = ("path", "dir", "unit", "scrape")
#: cluster scope: one tool run per broker id the metadata knows, or per open transaction `list` printed
CLUSTER_REPEATS: Final = ("broker", "transaction")
#: the passes of plugin_utils/redact.py (Redactor.redact)
REDACTION_KINDS: Final = ("properties", "env", "unit", "jaas", "cmdline", "log4j", "certificates", "text")
LIMITS: Final = ("max_bytes", "max_total", "timeout", "window_hours", "max_items")
#: role settings a limit may name, and the HostOptions / ClusterOptions field holding each
SETTINGS: Final = {
    "kafkapilot_log_window_hours": "log_window_hours",
    "kafkapilot_log_max_bytes": "log_max_bytes",
    "kafkapilot_log_max_bytes_total": "log_max_total",
    "kafkapilot_command_timeout": "command_timeout",
}
#: the keys this side reads; the analysis reads ANALYSIS_KEYS (kafkapilot/artifacts.py), this side ignores them
COLLECTION_KEYS: Final = ("name", "scope", "kinds", "source_type", "read", "run", "alternatives", "op", "args",
                          "source", "locator", "tool", "modes", "repeats", "limits", "redaction", "retry")
ANALYSIS_KEYS: Final = ("about", "format", "since", "parser", "feeds", "llm", "kcpilot_files")


class RegistryError(Exception):
    """meta/artifacts.yml is not what the collection expects, or a name is not declared in it (one line)."""


@dataclass(frozen=True)
class Declaration:
    """One artifact, as the collection needs it."""

    name: str
    scope: str
    source_types: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    request: Mapping[str, Any] | None = None  # host scope: the host_requests request, without its id
    source: str | None = None  # host scope: the manifest's `source` when the result does not give one
    locator: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)  # the locator's parameters
    run: tuple[str, ...] = ()  # the command a locator completes (df of the data dirs)
    tool: str | None = None
    tool_args: tuple[str, ...] = ()
    modes: tuple[str, ...] = MODES
    repeats: str | None = None
    retry: tuple[str, int] | None = None  # cluster scope: (regex of a failed run's output, attempts in all)
    limits: Mapping[str, Any] = field(default_factory=dict)
    redaction: str = "text"
    redaction_by_suffix: tuple[tuple[str, str], ...] = ()

    @property
    def source_type(self) -> str:
        """The usual source type (the first declared)."""
        return self.source_types[0]

    def redaction_for(self, key: str | None = None) -> str:
        """The redaction pass for content of this artifact (`key`: the file it came from, when it repeats)."""
        for suffix, kind in self.redaction_by_suffix:
            if key and key.endswith(suffix):
                return kind
        return self.redaction

    def limit(self, name: str, options: object, default: Any = None) -> Any:
        """The limit `name`, a role setting resolved through `options` (HostOptions, ClusterOptions)."""
        value = self.limits.get(name, default)
        if isinstance(value, str):
            return getattr(options, SETTINGS[value])
        return value

    def host_request(self, options: object) -> dict[str, Any]:
        """The host_requests request of a host artifact found by read, run or op (its id is its name)."""
        if self.request is None:
            raise RegistryError(f"{self.name} is found by the locator {self.locator}, not by a request")
        request: dict[str, Any] = {"id": self.name, **self.request}
        request.update({k: self.limit(k, options) for k in self.limits})
        return request


def _where(path: Path, index: int, item: Any) -> str:
    name = item.get("name") if isinstance(item, Mapping) else None
    return f"{path}: artifact #{index + 1}" + (f" ({name})" if name else "")


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) and v for v in items):
        raise RegistryError(f"{where}: {key} must be a string or a non-empty list of strings")
    return tuple(items)


def _choice(value: Any, allowed: tuple[str, ...], where: str, key: str) -> str:
    if value not in allowed:
        raise RegistryError(f"{where}: {key} is {value!r}; use one of {', '.join(allowed)}")
    return value


def _limits(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RegistryError(f"{where}: limits must be a mapping of {', '.join(LIMITS)}")
    for key, limit in value.items():
        _choice(key, LIMITS, where, "a limit")
        if isinstance(limit, str):
            _choice(limit, tuple(SETTINGS), where, f"limits.{key}")
        elif isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit <= 0:
            raise RegistryError(f"{where}: limits.{key} must be a positive number or a role setting")
    return dict(value)


def _retry(value: Any, where: str) -> tuple[str, int]:
    """`retry: {when: REGEX, attempts: N}` of a cluster tool: run it again while a failed run's output matches."""
    if not isinstance(value, Mapping) or set(value) != {"when", "attempts"} or not isinstance(value["when"], str) \
            or isinstance(value["attempts"], bool) or not isinstance(value["attempts"], int) \
            or not 1 < value["attempts"] <= 20:
        raise RegistryError(f"{where}: retry is {{when: REGEX, attempts: 2..20}}")
    try:
        re.compile(value["when"])
    except re.error as exc:
        raise RegistryError(f"{where}: retry.when is not a regular expression ({exc})") from None
    return value["when"], value["attempts"]


def _redaction(value: Any, where: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    if isinstance(value, Mapping):
        by_suffix = tuple((str(k), _choice(v, REDACTION_KINDS, where, f"redaction.{k}"))
                          for k, v in value.items() if k != "default")
        return _choice(value.get("default"), REDACTION_KINDS, where, "redaction.default"), by_suffix
    return _choice(value, REDACTION_KINDS, where, "redaction"), ()


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RegistryError(f"{where}: args must be a mapping (the request's or locator's parameters)")
    return dict(value)


def _request(item: Mapping[str, Any], where: str) -> dict[str, Any] | None:
    """The request of a host artifact found by read, run or op."""
    if "read" in item:
        if not isinstance(item["read"], str) or not item["read"].startswith("/"):
            raise RegistryError(f"{where}: read must be an absolute path")
        return {"op": "read", "path": item["read"]}
    if "op" in item:
        _choice(item["op"], OP_NAMES, where, "op")
        return {"op": item["op"], **_mapping(item.get("args"), where)}
    if "run" in item and "locator" not in item:
        alternatives = item.get("alternatives")
        if alternatives is not None and not (isinstance(alternatives, list) and all(
                isinstance(a, list) and a and all(isinstance(w, str) for w in a) for a in alternatives)):
            raise RegistryError(f"{where}: alternatives must be a list of commands (lists of strings)")
        return {"op": "run", "argv": list(_strings(item["run"], where, "run")), "alternatives": alternatives}
    return None


def _how_found(item: Mapping[str, Any], scope: str, where: str) -> None:
    ways = [k for k in ("read", "op", "locator", "tool") if k in item]
    if "run" in item and "locator" not in item:
        ways.append("run")
    allowed = {"host": ("read", "run", "op", "locator"), "process": ("locator",), "cluster": ("tool", "locator")}[scope]
    if len(ways) != 1 or ways[0] not in allowed:
        raise RegistryError(f"{where}: a {scope} artifact is found by exactly one of {', '.join(allowed)}"
                            f" (found: {', '.join(ways) or 'none'})")


def _declaration(path: Path, index: int, item: Any) -> Declaration:
    where = _where(path, index, item)
    if not isinstance(item, Mapping):
        raise RegistryError(f"{where}: an artifact is a mapping")
    unknown = sorted(set(item) - set(COLLECTION_KEYS) - set(ANALYSIS_KEYS))
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(unknown)}")
    name = item.get("name")
    if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
        raise RegistryError(f"{where}: name must be a lower-case identifier")
    scope = _choice(item.get("scope"), SCOPES, where, "scope")
    _how_found(item, scope, where)
    kinds: tuple[str, ...] = ()
    if scope == "process":
        kinds = tuple(_choice(k, KINDS, where, "kinds") for k in _strings(item.get("kinds"), where, "kinds"))
    elif "kinds" in item:
        raise RegistryError(f"{where}: kinds is for process artifacts")
    redaction, by_suffix = _redaction(item.get("redaction"), where)
    modes = MODES
    if scope == "cluster":
        modes = tuple(_choice(m, MODES, where, "modes") for m in _strings(item.get("modes", list(MODES)), where, "modes"))
    return Declaration(
        name=name,
        scope=scope,
        source_types=tuple(_choice(s, SOURCE_TYPES, where, "source_type")
                           for s in _strings(item.get("source_type"), where, "source_type")),
        kinds=kinds,
        request=_request(item, where) if scope == "host" else None,
        source=item.get("source"),
        locator=item.get("locator"),
        args=_mapping(item.get("args"), where) if "locator" in item else {},
        run=_strings(item["run"], where, "run") if "locator" in item and "run" in item else (),
        tool=item.get("tool"),
        tool_args=_strings(item["args"], where, "args") if scope == "cluster" and "args" in item else (),
        modes=modes,
        repeats=_choice(item["repeats"], CLUSTER_REPEATS if scope == "cluster" else REPEATS, where, "repeats")
        if "repeats" in item else None,
        retry=_retry(item["retry"], where) if "retry" in item else None,
        limits=_limits(item.get("limits"), where),
        redaction=redaction,
        redaction_by_suffix=by_suffix,
    )


#: libyaml's safe loader where PyYAML has it (it does in ansible-core's usual installs): the registry is
#: read once per Ansible worker process, and PyYAML's pure-Python loader takes ~0.09 CPU-s for it, ~8x libyaml's
_SAFE_LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def load(path: Path = REGISTRY_FILE) -> dict[str, Declaration]:
    """name → Declaration, in the file's order (read and checked once per process)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: cannot be read: {' '.join(str(exc).split())}") from None
    items = data.get("artifacts") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not items:
        raise RegistryError(f"{path}: expected a mapping with a list `artifacts`")
    found: dict[str, Declaration] = {}
    for index, item in enumerate(items):
        declaration = _declaration(path, index, item)
        if declaration.name in found:
            raise RegistryError(f"{_where(path, index, item)}: declared twice")
        found[declaration.name] = declaration
    cluster = [d for d in found.values() if d.scope == "cluster" and d.tool]
    if any(d.repeats is None for d in cluster[next((i for i, d in enumerate(cluster) if d.repeats), len(cluster)):]):
        raise RegistryError(f"{path}: the cluster tools that repeat (per broker, per transaction) run after the "
                            "others: declare them last")
    tools = {(d.limits.get("max_bytes"), d.limits.get("timeout")) for d in cluster}
    if len(tools) > 1:
        raise RegistryError(f"{path}: the cluster-wide tools run together: give them one max_bytes and one timeout")
    return found


def declared(name: str) -> Declaration:
    """The declaration of artifact `name`; RegistryError when it is not declared."""
    try:
        return load()[name]
    except KeyError:
        raise RegistryError(f"artifact {name!r} is not declared in {REGISTRY_FILE}") from None


def declarations(scope: str, kind: str | None = None) -> list[Declaration]:
    """The declarations of a scope (of a process kind), in the registry's order."""
    return [d for d in load().values() if d.scope == scope and (kind is None or kind in d.kinds)]
