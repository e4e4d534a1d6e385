"""Read one artifact through one parser, turning absence and parse failures into reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from kafkapilot.parsers.errors import ParseError
from kafkapilot.snapshot.load import Snapshot, unavailable_reason
from kafkapilot.snapshot.manifest import Artifact

__all__ = ["FactReader"]

T = TypeVar("T")


@dataclass
class FactReader:
    """Parses artifacts of one host (or the cluster) and records why a fact is unknown."""

    snapshot: Snapshot
    host: str | None
    unavailable: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def artifact(self, name: str, instance: str | None = None) -> Artifact | None:
        """The artifact, host-level or cluster-wide depending on this reader."""
        if self.host is None:
            return self.snapshot.cluster_artifact(name)
        return self.snapshot.host_artifact(self.host, name, instance=instance)

    def read(
        self,
        fact: str,
        name: str,
        parser: Callable[[str], T],
        *,
        instance: str | None = None,
        artifact: Artifact | None = None,
    ) -> T | None:
        """Parse artifact `name` into fact `fact`; on failure record the reason and return None."""
        found = artifact if artifact is not None else self.artifact(name, instance)
        text = self.snapshot.text(found)
        if text is None:
            self.unavailable.setdefault(fact, unavailable_reason(found, name))
            return None
        if found is not None and found.source:
            self.sources.setdefault(name, found.source)
        try:
            return parser(text)
        except (ParseError, ValueError) as exc:
            self.unavailable.setdefault(fact, f"could not parse {name}: {exc}")
            return None

    def note(self, fact: str, reason: str) -> None:
        """Record why `fact` is unknown (first reason wins)."""
        self.unavailable.setdefault(fact, reason)

    def export(self) -> dict[str, Any]:
        """The bookkeeping keys every fact dict carries."""
        return {"unavailable": dict(sorted(self.unavailable.items())), "sources": dict(sorted(self.sources.items()))}
