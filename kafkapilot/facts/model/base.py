"""The building blocks of the fact models: a record base class and the `fact()` field.

Every fact is a field of a slotted dataclass, declared with :func:`fact`, whose metadata says
what it means, which artifacts it comes from, its unit, and whether it is derived from other
facts. docs/facts.md is generated from that metadata (``python -m kafkapilot.facts.docs``) and
:func:`iter_facts` enumerates it, e.g. to cross-check against the collection's artifact registry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

__all__ = ["FACT_KEY", "FactInfo", "Record", "fact", "field_names", "iter_facts", "record_types"]

FACT_KEY: Final = "fact"


@dataclass(frozen=True, slots=True)
class FactInfo:
    """What one fact is: its meaning, the artifacts it is read from, its unit, whether it is derived."""

    doc: str
    sources: tuple[str, ...] = ()
    unit: str | None = None
    derived: bool = False


def fact(
    doc: str,
    *,
    source: str | tuple[str, ...] = (),
    unit: str | None = None,
    derived: bool = False,
    default: Any = None,
    factory: Any = None,
) -> Any:
    """A dataclass field carrying its FactInfo. `default` (None unless given) or `factory` (list, dict…)."""
    sources = (source,) if isinstance(source, str) else tuple(source)
    metadata = {FACT_KEY: FactInfo(doc=doc, sources=sources, unit=unit, derived=derived)}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@cache
def field_names(cls: type) -> frozenset[str]:
    """The field names of a record class."""
    return frozenset(f.name for f in dataclasses.fields(cls))


class Record(Mapping[str, Any]):
    """Base of every fact model: attribute access, and a read-only mapping of its fields.

    Checks read facts as attributes (`node.jvm.xmx_bytes`); `node['jvm']`, `node.get('jvm')` and
    `dict(node)` also work, for Python code that takes facts as mappings (rules, report subjects).
    Only field names are keys, so neither reaches anything but facts from inside the sandbox.
    """

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        if key not in field_names(type(self)):
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(f.name for f in dataclasses.fields(self))  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(field_names(type(self)))

    def as_dict(self) -> dict[str, Any]:
        """Shallow: field name → value (nested records stay records)."""
        return {name: getattr(self, name) for name in self}


def record_types() -> tuple[type[Record], ...]:
    """Every concrete fact model, for docs and validation (imported lazily: the models import this module)."""
    from kafkapilot.facts.model import ALL_MODELS  # noqa: PLC0415 - the models import this module

    return ALL_MODELS


def iter_facts() -> Iterator[tuple[type[Record], str, FactInfo]]:
    """(model, field name, FactInfo) of every fact of every model, in declaration order."""
    for model in record_types():
        for item in dataclasses.fields(model):  # type: ignore[arg-type]
            info = item.metadata.get(FACT_KEY)
            if info is not None:
                yield model, item.name, info
