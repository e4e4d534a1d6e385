"""docs/facts.md is generated from the fact models and stays current; every fact says what it is."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kafkapilot.facts import docs
from kafkapilot.facts.model import ALL_MODELS, Host, KafkaNode, iter_facts

DOC = Path(__file__).resolve().parents[2] / "docs" / "facts.md"


def test_facts_md_is_generated_from_the_models() -> None:
    assert DOC.read_text(encoding="utf-8") == docs.render(), (
        "docs/facts.md is stale: python -m kafkapilot.facts.docs > docs/facts.md"
    )


def test_every_field_of_every_model_is_a_documented_fact() -> None:
    for model in ALL_MODELS:
        for field in dataclasses.fields(model):
            assert "fact" in field.metadata, f"{model.__name__}.{field.name} is not declared with fact()"
    assert all(info.doc.strip() for _, _, info in iter_facts())


def test_the_table_of_a_model_names_type_unit_and_artifacts() -> None:
    table = docs.render_model(Host)
    assert "| `mem_total_bytes` | int or None | bytes | MemTotal | `meminfo` |" in table
    assert "| `mounts` | list of [Mount](#mount) or None |" in table
    assert "*derived:* `vm.swappiness` as a number" in table
    assert "| `jvm` | [Jvm](#jvm) or None |" in docs.render_model(KafkaNode)


def test_a_marker_for_an_unknown_model_or_a_model_without_marker_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown model 'Nope'"):
        docs.render("<!-- facts: Nope -->\n")
    with pytest.raises(ValueError, match="no marker for"):
        docs.render("<!-- facts: Host -->\n")


def test_every_fact_names_its_source_artifacts_for_the_artifact_registry() -> None:
    """What the collection's artifact registry will be cross-checked against (see /work/coord/notes-facts.md)."""
    sources = {s for _, _, info in iter_facts() for s in info.sources}
    assert {"server_properties", "topics_describe", "log_dirs", "gc_log", "meminfo", "manifest"} <= sources
    assert all(s.isidentifier() for s in sources)
