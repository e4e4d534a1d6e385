"""docs/facts.md, generated from the fact models and the prose of docs/facts.md.in.

    python -m kafkapilot.facts.docs > docs/facts.md

Each `<!-- facts: Model -->` line of the template becomes the table of that model's facts:
name, type, unit, meaning and source artifacts, all read from the models' field metadata
(kafkapilot/facts/model/). tests/unit/test_facts_docs.py fails when docs/facts.md is stale.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any, Final, Union, get_args, get_origin

from kafkapilot.facts import model
from kafkapilot.facts.model.base import FACT_KEY, FactInfo, Record

__all__ = ["TEMPLATE", "render", "render_model"]

TEMPLATE: Final = Path(__file__).resolve().parents[2] / "docs" / "facts.md.in"
_MARKER: Final = re.compile(r"^<!-- facts: (\w+) -->$", re.MULTILINE)
_SEQUENCES: Final[dict[type, str]] = {model.Partitions: "Partition", model.PartitionSizes: "PartitionSize"}


def _anchor(cls: type) -> str:
    return cls.__name__.lower()


def _type_text(annotation: Any) -> str:
    """`Jvm | None` → '[Jvm](#jvm) or None', `list[str]` → 'list of str', `dict[str, int]` → 'dict str → int'."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        parts = [_type_text(a) for a in get_args(annotation) if a is not type(None)]
        none = " or None" if type(None) in get_args(annotation) else ""
        return " or ".join(parts) + none
    if origin is list:
        return f"list of {_type_text(get_args(annotation)[0])}"
    if origin is dict:
        key, value = get_args(annotation)
        return f"dict {_type_text(key)} → {_type_text(value)}"
    if annotation in _SEQUENCES:
        return f"sequence of [{_SEQUENCES[annotation]}](#{_SEQUENCES[annotation].lower()}) (columns)"
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return f"[{annotation.__name__}](#{_anchor(annotation)})"
    return getattr(annotation, "__name__", str(annotation))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_model(cls: type[Record]) -> str:
    """The section of one model: its heading, its docstring, and one row per fact."""
    hints = typing.get_type_hints(cls)
    lines = [f"### {cls.__name__}", "", " ".join((cls.__doc__ or "").split()), ""]
    lines += ["| fact | type | unit | meaning | from |", "|---|---|---|---|---|"]
    for item in dataclasses.fields(cls):  # type: ignore[arg-type]
        info: FactInfo | None = item.metadata.get(FACT_KEY)
        if info is None:
            continue
        meaning = ("*derived:* " if info.derived else "") + info.doc
        sources = ", ".join(f"`{s}`" for s in info.sources)
        lines.append(
            f"| `{item.name}` | {_cell(_type_text(hints[item.name]))} | {info.unit or ''} "
            f"| {_cell(meaning)} | {sources} |"
        )
    return "\n".join(lines)


def render(template: str | None = None) -> str:
    """docs/facts.md: the template with each marker replaced by its model's table."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    models = {cls.__name__: cls for cls in model.ALL_MODELS}

    def table(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in models:
            msg = f"{TEMPLATE.name}: unknown model {name!r} in a facts marker"
            raise ValueError(msg)
        return render_model(models.pop(name))

    rendered = _MARKER.sub(table, text)
    if models:
        msg = f"{TEMPLATE.name}: no marker for {', '.join(sorted(models))}"
        raise ValueError(msg)
    return rendered


if __name__ == "__main__":
    sys.stdout.write(render())
