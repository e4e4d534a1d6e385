"""Conformance of the artifact registry (meta/artifacts.yml): every artifact name used anywhere is
declared, both sides of the snapshot contract read the same declarations, and what the registry says
an artifact feeds agrees with what the fact models say they come from."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml

from kafkapilot import artifacts
from kafkapilot.catalog.fact_paths import requires_error
from kafkapilot.catalog.load import load_catalog
from kafkapilot.catalog.schema import Scope
from kafkapilot.facts.model import Cluster, Host, KafkaNode, Record, ZooKeeperNode
from kafkapilot.facts.model.base import FACT_KEY
from kafkapilot.llm.data import PLACEHOLDERS
from kafkapilot.snapshot.manifest import FORMAT_VERSION
from tests.artifact_uses import uses
from tests.collection.collection_path import plugin_utils

ROOT = Path(__file__).resolve().parents[1]
registry = plugin_utils("registry")


def test_every_artifact_name_used_anywhere_is_declared() -> None:
    found = uses(ROOT)
    undeclared = sorted({(u.name, u.where) for u in found if u.name not in artifacts.names()})
    assert undeclared == [], "declare these in meta/artifacts.yml (or fix the name):\n" + "\n".join(
        f"  {name}  ({where})" for name, where in undeclared)
    places = {u.where.split("/")[0] if not u.where.startswith("tests/") else "/".join(u.where.split("/")[:2])
              for u in found}
    assert {"plugins", "kafkapilot", "analysis_tasks", "tests/fixtures", "tests/factory"} <= places, places
    assert len(found) > 500


GHOSTS = {
    "plugins/plugin_utils/extra.py": 'def f(store):\n    store.add("ghost_store", content="x")\n',
    "kafkapilot/facts/extra.py": (
        'FILTERS = {"a": "ghost_loop"}\nNAME = "ghost_constant"\n\n'
        "def f(reader, snapshot):\n"
        '    reader.read("fact", "ghost_read", str)\n'
        "    snapshot.host_artifacts('h', NAME)\n"
        "    for fact, artifact in FILTERS.items():\n"
        "        reader.read(fact, artifact, str)\n"
        "    for name in ('server_properties',):\n"  # a declared one, through a loop over a literal tuple: no finding
        "        reader.artifacts(name)\n"
    ),
    "analysis_tasks/x/ghost_task.yaml": "id: ghost_task\nevidence_artifact: ghost_evidence\n",
    "tests/fixtures/tasks/t/fires.yaml": "base: kraft3\npatches:\n  - {host: kafka-1, artifact: ghost_patch, append: "
                                         "x}\n"
                                         "cluster:\n  - {name: ghost_raw, content: x}\n",
    "tests/factory/extra.py": 'ARTIFACTS = [{"name": "ghost_factory", "content": "x"}]\n',
    "kafkapilot/examples/e/snapshot.json": json.dumps({"hosts": {"h": {"artifacts": [{"name": "ghost_snapshot"}]}},
                                                       "cluster_artifacts": []}),
}


def test_the_check_names_each_undeclared_use_and_where_it_is(tmp_path: Path) -> None:
    for relative, text in GHOSTS.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    found = {(u.name, u.where) for u in uses(tmp_path) if u.name not in artifacts.names()}
    assert found == {
        ("ghost_store", "plugins/plugin_utils/extra.py:2"),
        ("ghost_read", "kafkapilot/facts/extra.py:5"),
        ("ghost_constant", "kafkapilot/facts/extra.py:6"),
        ("ghost_loop", "kafkapilot/facts/extra.py:8"),
        ("ghost_evidence", "analysis_tasks/x/ghost_task.yaml: evidence_artifact"),
        ("ghost_patch", "tests/fixtures/tasks/t/fires.yaml: patches[0].artifact"),
        ("ghost_raw", "tests/fixtures/tasks/t/fires.yaml: cluster[0]"),
        ("ghost_factory", "tests/factory/extra.py:1"),
        ("ghost_snapshot", "kafkapilot/examples/e/snapshot.json: hosts.h"),
    }
    assert ("server_properties", "kafkapilot/facts/extra.py:10") in {(u.name, u.where) for u in uses(tmp_path)}


def test_both_sides_read_the_same_declarations() -> None:
    collection = registry.load()
    assert list(collection) == list(artifacts.names())
    for name, declaration in collection.items():
        spec = artifacts.artifact(name)
        assert (declaration.scope, declaration.kinds, declaration.source_types, declaration.repeats) == (
            spec.scope, spec.kinds, spec.source_types, spec.repeats), name
    assert artifacts.KEYS == set(registry.COLLECTION_KEYS) | set(registry.ANALYSIS_KEYS)
    raw = yaml.safe_load(registry.REGISTRY_FILE.read_text())["artifacts"]
    assert {k for item in raw for k in item} <= artifacts.KEYS


def test_since_is_a_format_version_this_analyser_reads() -> None:
    def version(text: str) -> tuple[int, ...]:
        return tuple(int(p) for p in text.split("."))

    assert all(version("1.0") <= version(artifacts.artifact(n).since) <= version(FORMAT_VERSION)
               for n in artifacts.names())
    assert artifacts.artifact("jvm_options").since == "1.1"


def test_prompt_sections_are_the_placeholders_and_checks_ask_for_those_only() -> None:
    sections = set(artifacts.LLM_SECTIONS) - {"none"}
    assert sections == set(PLACEHOLDERS) - {"facts"}
    assert all(artifacts.names(llm=s) for s in sections)
    assert artifacts.names(llm="logs") == ("log_file",)  # what kafkapilot.facts.logs.log_files samples
    catalog = load_catalog(ROOT / "analysis_tasks")
    asked = {kind for task in catalog.tasks for kind in task.include_data}
    assert asked <= set(PLACEHOLDERS)


# ------------------------------------------------------------------------------------------------ facts
def _element(annotation: Any) -> tuple[Any, bool]:
    """(the type inside, whether it is a list): Jvm | None → (Jvm, False); list[Topic] | None → (Topic, True)."""
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        annotation = rest[0] if len(rest) == 1 else annotation
    if get_origin(annotation) is list and get_args(annotation):
        return get_args(annotation)[0], True
    return annotation, False


def _fact_paths(model: type, path: str, roots: tuple[type, ...]) -> list[tuple[str, Any]]:
    """(fact path, FactInfo) of every fact reachable from `model` at `path`. Facts of records inside a
    list are reported at the list's path (a check cannot name an element); the scope variables' own
    models (`cluster.brokers` are nodes, `node.os` is a host) are reported at their own scope."""
    found = []
    hints = typing.get_type_hints(model)
    for field in dataclasses.fields(model):
        info = field.metadata.get(FACT_KEY)
        annotation = hints[field.name]
        here = f"{path}.{field.name}"
        if info is not None:
            found.append((here, info))
        inner, listed = _element(annotation)
        if isinstance(inner, type) and issubclass(inner, Record) and not issubclass(inner, roots):
            found += [(here if listed else p, i) for p, i in _fact_paths(inner, here, roots)]
    return found


def test_feeds_and_the_fact_models_sources_agree() -> None:
    """Every `feeds` path is a fact; every fact's source artifact is declared and lists the fact in its feeds."""
    scopes = {"host": (Scope.HOST,), "node": (Scope.KAFKA_NODE, Scope.ZOOKEEPER), "cluster": (Scope.CLUSTER,)}
    not_facts = [(n, p) for n in artifacts.names() for p in artifacts.artifact(n).feeds
                 if all(requires_error(p, s) for s in scopes[p.split(".")[0]])]
    assert not_facts == [], "feeds naming no fact"
    roots = (Host, KafkaNode, ZooKeeperNode, Cluster)
    facts = [*_fact_paths(Host, "host", roots), *_fact_paths(KafkaNode, "node", roots),
             *_fact_paths(ZooKeeperNode, "node", roots), *_fact_paths(Cluster, "cluster", roots)]
    undeclared, unlisted = set(), set()
    for path, info in facts:
        for source in info.sources:
            if source == "manifest":  # snapshot.json itself, not an artifact
                continue
            if source not in artifacts.names():
                undeclared.add((path, source))
            elif not any(path == f or path.startswith(f + ".") for f in artifacts.artifact(source).feeds):
                unlisted.add((source, path))
    assert undeclared == set(), "facts read from undeclared artifacts"
    assert unlisted == set(), "add these facts to the artifact's feeds in meta/artifacts.yml"
    for name in artifacts.names():  # and each feed is a fact that says it comes from this artifact
        for feed in artifacts.artifact(name).feeds:
            fed = any(name in info.sources and (p == feed or p.startswith(feed + ".")) for p, info in facts)
            assert fed, (name, feed)
