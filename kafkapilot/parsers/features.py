"""``kafka-features.sh describe``: one line a feature, tab-separated ``Label: value`` (⇥ here)::

    Feature: kraft.version⇥SupportedMinVersion: 0⇥SupportedMaxVersion: 1⇥FinalizedVersionLevel: 1⇥Epoch: 5

``metadata.version`` levels print as release names (``3.9-IV0``, ``UNKNOWN 27`` for a
level the tool does not know), other features as numbers. A feature that is supported
but not finalized prints ``FinalizedVersionLevel: 0``; ``Epoch: -`` when there is none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import (
    content_lines,
    labelled_fields,
    optional_int,
    reject_unrecognised,
)

__all__ = ["Feature", "parse_features"]

_LABELS: Final[tuple[str, ...]] = (
    "Feature",
    "SupportedMinVersion",
    "SupportedMaxVersion",
    "FinalizedVersionLevel",
    "Epoch",
)


@dataclass(frozen=True, slots=True)
class Feature:
    """Levels as printed (strings); ``finalized_level`` None when not printed."""

    name: str
    supported_min: str | None
    supported_max: str | None
    finalized_level: str | None
    epoch: int | None = None


def parse_features(text: str) -> tuple[Feature, ...]:
    """Features in printed order. Raises ParseError when output has no ``Feature:`` line."""
    features: list[Feature] = []
    first_other: int | None = None
    for number, line in content_lines(text):
        if not line.lstrip().startswith("Feature:"):
            first_other = first_other or number
            continue
        fields = labelled_fields(line.strip(), _LABELS)
        features.append(
            Feature(
                name=fields.get("Feature", ""),
                supported_min=fields.get("SupportedMinVersion") or None,
                supported_max=fields.get("SupportedMaxVersion") or None,
                finalized_level=fields.get("FinalizedVersionLevel") or None,
                epoch=optional_int(fields.get("Epoch")),
            )
        )
    reject_unrecognised(features, first_other, "kafka-features describe output")
    return tuple(features)
