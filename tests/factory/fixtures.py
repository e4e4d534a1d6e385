"""Minimal snapshots for task fixtures: a base cluster plus a few patches, written to disk.

A fixture file (tests/fixtures/tasks/<task_id>/fires.yaml or quiet.yaml)::

    base: kraft3            # kraft3 | kraft5 | kraft3-controllers3 (dedicated controllers) | zk3
    patches:
      - host: kafka-1       # "*" for every host; omit for a cluster-wide artifact
        artifact: process_cmdline
        replace: ["-Xms6g", "-Xms1g"]    # old text (must be present), new text
      - host: "*"
        artifact: server_properties
        delete_lines: "^broker\\.rack="  # regex, at least one line must match
      - artifact: topics_describe
        append: "..."
      - host: kafka-2
        artifact: process_limits
        status: denied                   # no content: the artifact was not collected
        error: permission denied
      - host: kafka-1
        artifact: prometheus_metrics
        key: 2                           # only the artifact with this key (one of several of the name)
        replace: ["a", "b"]
    generate_topics:        # optional: topics added to the base's, before the patches apply
      - {prefix: bulk, count: 40, partitions: 100, replication_factor: 3}   # bulk-000 … bulk-039
    hosts: {...}            # optional raw overrides, merged with merge_specs
    cluster: [...]
    near_miss: "none: <reason>"  # quiet.yaml left bare on purpose: why no near miss exists (ignored here)
    params: {...}           # a case's parameters, and
    expect: {...}           # what the check concludes on it (tests/factory/cases.py)

`generate_topics` makes large clusters (thousands of partitions) without committing thousands
of lines: the base is built with those topics, so topics_describe and log_dirs list every
generated partition, placed over the brokers like the base's own topics.

Patches fail loudly when they do not apply, and an unknown top-level key is an error, so a fixture
cannot silently test nothing.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from kafkapilot.snapshot.write import materialize, merge_specs
from tests.factory.cluster_spec import DEFAULT_TOPICS, cluster_spec

__all__ = ["BASES", "FIXTURE_KEYS", "YAML_LOADER", "FixtureError", "base_key", "base_spec", "build_fixture",
           "fixture_spec", "generated_topics"]

Topics = list[tuple[str, int, int]]

# Each base takes the topic list (None: the healthy default).
BASES: dict[str, Callable[[Topics | None], dict[str, Any]]] = {
    "kraft3": lambda topics: cluster_spec(topics=topics),
    "kraft5": lambda topics: cluster_spec(brokers=5, topics=topics),
    "kraft3-controllers3": lambda topics: cluster_spec(controllers=3, topics=topics),
    "zk3": lambda topics: cluster_spec(mode="zookeeper", version="3.9.1", topics=topics),
}

#: libyaml's safe loader when PyYAML has it (ten times faster on the hundreds of fixture files), else PyYAML's
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_GENERATE_KEYS = {"prefix", "count", "partitions", "replication_factor"}
#: the keys of a fixture file; `params` and `expect` belong to the case (see tests/factory/cases.py), and
#: `near_miss` says what a quiet.yaml is the closest healthy variant of (tests/catalog/test_near_miss.py)
FIXTURE_KEYS = frozenset({"base", "patches", "generate_topics", "hosts", "cluster", "cluster_name", "params", "expect",
                          "near_miss"})


class FixtureError(Exception):
    """A fixture that does not apply to its base."""


def _targets(spec: dict[str, Any], patch: dict[str, Any]) -> list[dict[str, Any]]:
    name = patch["artifact"]
    host = patch.get("host")
    if host is None:
        pools = [spec.get("cluster", [])]
    elif host == "*":
        pools = [h.get("artifacts", []) for h in spec["hosts"].values()]
    else:
        if host not in spec["hosts"]:
            raise FixtureError(f"patch names unknown host {host!r}")
        pools = [spec["hosts"][host].get("artifacts", [])]
    key = patch.get("key")
    found = [a for pool in pools for a in pool if a["name"] == name and (key is None or a.get("key") == str(key))]
    if not found:
        found = [{"name": name, **({"key": str(key)} if key is not None else {})}]
        for pool in pools:
            pool.append(found[-1])
    return found


def _apply(artifact: dict[str, Any], patch: dict[str, Any]) -> None:
    content = str(artifact.get("content", ""))
    if "content" in patch:
        content = patch["content"]
    if "replace" in patch:
        old, new = patch["replace"]
        if old not in content:
            raise FixtureError(f"{artifact['name']}: text to replace not found: {old!r}")
        content = content.replace(old, new)
    if "delete_lines" in patch:
        pattern = re.compile(patch["delete_lines"])
        kept = [line for line in content.splitlines() if not pattern.search(line)]
        if len(kept) == len(content.splitlines()):
            raise FixtureError(f"{artifact['name']}: no line matches {patch['delete_lines']!r}")
        content = "\n".join(kept) + "\n"
    if "append" in patch:
        content += patch["append"]
    artifact["content"] = content
    for key in ("status", "error", "mode", "redactions", "rc"):
        if key in patch:
            artifact[key] = patch[key]
    if patch.get("status", "ok") != "ok":
        artifact.pop("content", None)


def generated_topics(requests: list[dict[str, Any]]) -> Topics:
    """(name, partitions, rf) of each topic a fixture's `generate_topics` asks for."""
    topics: Topics = []
    for request in requests:
        unknown = set(request) - _GENERATE_KEYS
        missing = {"count", "partitions"} - set(request)
        if unknown or missing:
            raise FixtureError(
                f"generate_topics entry {request!r}: "
                + (f"unknown keys {sorted(unknown)}" if unknown else f"missing {sorted(missing)}")
            )
        count, partitions = int(request["count"]), int(request["partitions"])
        rf = int(request.get("replication_factor", 3))
        if count < 1 or partitions < 1 or rf < 1:
            raise FixtureError(
                f"generate_topics entry {request!r}: count, partitions and replication_factor must be >= 1")
        prefix = str(request.get("prefix", "generated"))
        width = max(3, len(str(count - 1)))
        topics += [(f"{prefix}-{n:0{width}d}", partitions, rf) for n in range(count)]
    return topics


def base_key(data: dict[str, Any]) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """What a fixture's base is made of: the base's name and the topics it generates."""
    unknown = set(data) - FIXTURE_KEYS
    if unknown:
        raise FixtureError(f"unknown keys {sorted(unknown)}; a fixture has {', '.join(sorted(FIXTURE_KEYS))}")
    base_name = data.get("base", "kraft3")
    if base_name not in BASES:
        raise FixtureError(f"unknown base {base_name!r}; bases: {', '.join(BASES)}")
    requests = data.get("generate_topics") or []
    return base_name, tuple(generated_topics([requests] if isinstance(requests, dict) else list(requests)))


@functools.lru_cache(maxsize=16)
def _base_spec(key: tuple[str, tuple[tuple[str, int, int], ...]]) -> dict[str, Any]:
    base_name, extra = key
    return BASES[base_name](list(DEFAULT_TOPICS) + list(extra) if extra else None)


def base_spec(data: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the spec of a fixture's base, before its patches (each base is built once)."""
    return copy.deepcopy(_base_spec(base_key(data)))


def fixture_spec(data: dict[str, Any]) -> dict[str, Any]:
    """The snapshot spec a fixture describes."""
    spec = base_spec(data)
    for patch in data.get("patches", []):
        for artifact in _targets(spec, patch):
            _apply(artifact, patch)
    overrides = {k: v for k, v in data.items() if k in {"hosts", "cluster", "cluster_name"}}
    return merge_specs(spec, overrides) if overrides else spec


def build_fixture(path: Path, target: Path) -> Path:
    """Write the snapshot of the fixture file `path` into `target`."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}  # noqa: S506 - a safe loader
    try:
        return materialize(fixture_spec(data), target)
    except FixtureError as exc:
        raise FixtureError(f"{path}: {exc}") from None
