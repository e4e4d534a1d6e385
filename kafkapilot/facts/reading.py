"""The one way facts read artifacts: by name, through a parser, turning absence and parse failures into reasons."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from kafkapilot.parsers.errors import ParseError
from kafkapilot.snapshot.load import Snapshot, unavailable_reason
from kafkapilot.snapshot.manifest import Artifact

__all__ = ["FactReader"]

T = TypeVar("T")

# Parse results by (parser, text): hosts of one cluster hold many identical artifacts (limits,
# units, sysctl, java -version …), each parsed once. Bounded, and only for small texts; the
# results are shared, so the facts copy what they keep as a mutable value.
_MEMO: Final[OrderedDict[tuple[Callable[[str], Any], str], Any]] = OrderedDict()
_MEMO_ENTRIES: Final = 256
_MEMO_CHARS: Final = 64 * 1024


def _parse(parser: Callable[[str], T], text: str) -> T:
    if len(text) > _MEMO_CHARS:
        return parser(text)
    key = (parser, text)
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return _MEMO[key]
    value = parser(text)
    _MEMO[key] = value
    if len(_MEMO) > _MEMO_ENTRIES:
        _MEMO.popitem(last=False)
    return value


@dataclass
class FactReader:
    """Reads the artifacts of one host (or, with host None, the cluster-wide ones) and records,
    per fact, why it is unknown (`unavailable`) and where each artifact came from (`sources`)."""

    snapshot: Snapshot
    host: str | None
    unavailable: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def artifact(self, name: str, instance: str | None = None) -> Artifact | None:
        """The artifact, host-level or cluster-wide depending on this reader."""
        if self.host is None:
            return self.snapshot.cluster_artifact(name)
        return self.snapshot.host_artifact(self.host, name, instance=instance)

    def artifacts(self, name: str, instance: str | None = None) -> list[Artifact]:
        """Every artifact called `name` (repeated ones: log files, keystores, meta.properties per dir)."""
        if self.host is None:
            return [a for a in self.snapshot.manifest.cluster_artifacts if a.name == name]
        return self.snapshot.host_artifacts(self.host, name, instance=instance)

    def text(self, artifact: Artifact | None, *, source_key: str | None = None) -> str | None:
        """The content of one artifact (None when it has none), noting where it came from."""
        text = self.snapshot.text(artifact)
        if text is not None and artifact is not None and artifact.source:
            self.sources.setdefault(source_key or artifact.name, artifact.source)
        return text

    def read(
        self,
        fact: str,
        name: str,
        parser: Callable[[str], T],
        *,
        instance: str | None = None,
        artifact: Artifact | None = None,
        text: str | None = None,
    ) -> T | None:
        """Parse artifact `name` into fact `fact`; on failure record the reason and return None.
        `text`: the content already read (and completed, e.g. a unit with its drop-ins)."""
        found = artifact if artifact is not None else self.artifact(name, instance)
        if text is None:
            text = self.text(found, source_key=name)
        if text is None:
            self.unavailable.setdefault(fact, unavailable_reason(found, name))
            return None
        try:
            return _parse(parser, text)
        except (ParseError, ValueError) as exc:
            self.unavailable.setdefault(fact, f"could not parse {name}: {exc}")
            return None
        except Exception as exc:  # noqa: BLE001 - a parser bug: this fact unknown, the file named, the rest goes on
            where = found.path if found is not None and found.path else name
            self.unavailable.setdefault(
                fact, f"internal error reading {where}: {type(exc).__name__}: {exc} (a bug; please report it)")
            return None

    def note(self, fact: str, reason: str) -> None:
        """Record why `fact` is unknown (first reason wins)."""
        self.unavailable.setdefault(fact, reason)

    def bookkeeping(self) -> tuple[dict[str, str], dict[str, str]]:
        """(unavailable, sources), sorted, for the fact model that owns them."""
        return dict(sorted(self.unavailable.items())), dict(sorted(self.sources.items()))
