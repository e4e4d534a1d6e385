"""The artifact registry (meta/artifacts.yml) as the analysis reads it.

The registry declares every artifact a snapshot can hold, once; the collection reads the same
file with its own loader (the analysis never imports collection code). Here it gives each
artifact's parser, the facts it feeds and the prompt section it goes to, and it generates the
artifact tables of docs/snapshot-format.md::

    python -m kafkapilot.artifacts docs            # print the tables
    python -m kafkapilot.artifacts docs --write    # put them into docs/snapshot-format.md
    python -m kafkapilot.artifacts names           # one name per line

A test keeps the document equal to what `docs` prints.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, reduce
from pathlib import Path
from typing import Any, Final, Literal

import yaml

from kafkapilot.errors import KafkaPilotError

__all__ = [
    "KEYS",
    "LLM_SECTIONS",
    "ArtifactSpec",
    "artifact",
    "artifacts",
    "docs_tables",
    "for_kcpilot_file",
    "kcpilot_files",
    "names",
    "parser",
    "parser_function",
    "registry_file",
]

Scope = Literal["host", "process", "cluster"]
_PACKAGE: Final = Path(__file__).resolve().parent
_RELATIVE: Final = Path("meta") / "artifacts.yml"
_IN_WHEEL: Final = Path("ansible_project/collections/ansible_collections/kafkapilot/kafkapilot") / _RELATIVE
LLM_SECTIONS: Final = ("config", "system", "logs", "metrics", "admin", "none")
#: every key an artifact may have (the collection's loader, plugins/plugin_utils/registry.py, refuses others)
KEYS: Final = frozenset({
    "name", "scope", "kinds", "source_type", "read", "run", "alternatives", "op", "args", "source", "locator", "tool",
    "modes", "repeats", "retry", "limits", "redaction", "about", "format", "since", "parser", "feeds", "llm",
    "kcpilot_files",
})
_FACT_ROOTS: Final = ("host", "node", "cluster")
_DOCS_FILE: Final = Path("docs") / "snapshot-format.md"
_BEGIN: Final = ("<!-- artifact tables: generated from meta/artifacts.yml by `python -m kafkapilot.artifacts docs "
                 "--write` -->")
_END: Final = "<!-- end of the generated artifact tables -->"


@dataclass(frozen=True, slots=True)
class ArtifactSpec:
    """One declared artifact: what the analysis needs of it, and what the docs say about it."""

    name: str
    scope: Scope
    kinds: tuple[str, ...]
    source_types: tuple[str, ...]
    about: str
    format: str
    since: str
    parsers: tuple[str, ...]  # MODULE.FUNCTION of kafkapilot.parsers, applied in turn
    feeds: tuple[str, ...]
    llm: str
    repeats: str | None
    redaction: str
    limits: Mapping[str, Any]
    kcpilot_files: tuple[str, ...] = ()  # the original tool's file names for this content (include_data)


def registry_file() -> Path:
    """meta/artifacts.yml: in the checkout this package runs from, else the copy an installed wheel carries."""
    for candidate in (_PACKAGE.parent / _RELATIVE, _PACKAGE / _IN_WHEEL):
        if candidate.is_file():
            return candidate
    raise KafkaPilotError(f"the artifact registry {_RELATIVE} is missing", where=str(_PACKAGE),
                          hint="reinstall kafkapilot, or run it from a complete checkout")


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
        raise KafkaPilotError(f"{key} must be a string or a list of strings", where=where)
    return tuple(items)


def _command(words: list[str]) -> str:
    return "`" + " ".join(words) + "`"


def _about(item: Mapping[str, Any]) -> str:
    """The docs' source column: `about`, else made from how the artifact is found."""
    if item.get("about"):
        return " ".join(str(item["about"]).split())
    if "read" in item:
        return f"`{item['read']}`"
    if "tool" in item:
        text = _command([item["tool"], *item.get("args", [])])
        return text + (" (KRaft)" if item.get("modes") == ["kraft"] else "")
    if "run" in item:
        return ", else ".join(_command(a) for a in item.get("alternatives") or [item["run"]])
    return f"`{item.get('source') or item.get('op')}`"


def _redaction(value: Any) -> str:
    if isinstance(value, Mapping):
        others = ", ".join(f"{kind} for `*{suffix}`" for suffix, kind in value.items() if suffix != "default")
        return f"{value.get('default')} ({others})"
    return str(value)


def _spec(index: int, item: Any, path: Path) -> ArtifactSpec:
    name = item.get("name") if isinstance(item, Mapping) else None
    where = f"{path}: artifact #{index + 1}" + (f" ({name})" if name else "")
    if not isinstance(item, Mapping) or not isinstance(name, str):
        raise KafkaPilotError("an artifact is a mapping with a name", where=where)
    unknown = sorted(set(item) - KEYS)
    if unknown:
        raise KafkaPilotError(f"unknown key(s) {', '.join(unknown)}", where=where)
    scope = item.get("scope")
    if scope not in ("host", "process", "cluster"):
        raise KafkaPilotError(f"scope is {scope!r}; use host, process or cluster", where=where)
    llm = item.get("llm")
    if llm not in LLM_SECTIONS:
        raise KafkaPilotError(f"llm is {llm!r}; use one of {', '.join(LLM_SECTIONS)}", where=where)
    feeds = _strings(item.get("feeds"), where, "feeds")
    wrong = [f for f in feeds if f.split(".", 1)[0] not in _FACT_ROOTS or "." not in f]
    if wrong:
        raise KafkaPilotError(f"feeds {', '.join(wrong)}: a fact path starts with host., node. or cluster.",
                              where=where)
    since = str(item.get("since", ""))
    if not since.replace(".", "", 1).isdigit() or "." not in since:
        raise KafkaPilotError(f"since is {since!r}; give the snapshot format version (MAJOR.MINOR) that added it",
                              where=where)
    if not isinstance(item.get("format"), str):
        raise KafkaPilotError("format (what the content looks like) is missing", where=where)
    return ArtifactSpec(
        name=name, scope=scope, kinds=_strings(item.get("kinds"), where, "kinds"),
        source_types=_strings(item.get("source_type"), where, "source_type"), about=_about(item),
        format=" ".join(item["format"].split()), since=since, parsers=_strings(item.get("parser"), where, "parser"),
        feeds=feeds, llm=llm, repeats=item.get("repeats"), redaction=_redaction(item.get("redaction")),
        limits=dict(item.get("limits") or {}),
        kcpilot_files=_strings(item.get("kcpilot_files"), where, "kcpilot_files"),
    )


@cache
def _load(path: Path) -> dict[str, ArtifactSpec]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KafkaPilotError(f"cannot be read: {' '.join(str(exc).split())}", where=str(path)) from None
    items = data.get("artifacts") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        raise KafkaPilotError("expected a mapping with a list `artifacts`", where=str(path))
    found: dict[str, ArtifactSpec] = {}
    for index, item in enumerate(items):
        spec = _spec(index, item, path)
        if spec.name in found:
            raise KafkaPilotError(f"artifact {spec.name} is declared twice", where=str(path))
        found[spec.name] = spec
    return found


def artifacts() -> dict[str, ArtifactSpec]:
    """name → ArtifactSpec, in the registry's order."""
    return _load(registry_file())


def artifact(name: str) -> ArtifactSpec:
    """The declaration of `name`; an error naming the registry when it is not declared."""
    try:
        return artifacts()[name]
    except KeyError:
        raise KafkaPilotError(f"artifact {name!r} is not declared", where=str(registry_file()),
                              hint="declare it there (docs/collection.md: Adding an artifact)") from None


def names(*, scope: Scope | None = None, llm: str | None = None) -> tuple[str, ...]:
    """Declared names, in the registry's order; only those of a scope, of a prompt section."""
    return tuple(a.name for a in artifacts().values()
                 if (scope is None or a.scope == scope) and (llm is None or a.llm == llm))


def for_kcpilot_file(file_name: str) -> tuple[str, ...]:
    """Artifacts holding what the original tool kept in `file_name` (processes.txt, server.properties …)."""
    return tuple(a.name for a in artifacts().values() if file_name in a.kcpilot_files)


def kcpilot_files() -> tuple[str, ...]:
    """Every file name of the original tool that maps to an artifact, sorted."""
    return tuple(sorted({f for a in artifacts().values() for f in a.kcpilot_files}))


def parser_function(dotted: str) -> Callable[[Any], Any]:
    """MODULE.FUNCTION of kafkapilot/parsers, as a registry's `parser` names it."""
    module, _, function = dotted.rpartition(".")
    try:
        found = getattr(importlib.import_module(f"kafkapilot.parsers.{module}"), function)
    except (ImportError, AttributeError, ValueError):
        found = None
    if not callable(found):
        raise KafkaPilotError(f"parser {dotted} is not a function of kafkapilot/parsers", where=str(registry_file()))
    return found


@cache
def parser(name: str) -> Callable[[str], Any] | None:
    """The function reading artifact `name`'s content (its parsers applied in turn), or None."""
    functions = [parser_function(dotted) for dotted in artifact(name).parsers]
    if not functions:
        return None
    return lambda text: reduce(lambda value, function: function(value), functions, text)


# ------------------------------------------------------------------------------------------------ docs
def _size(value: Any) -> str:
    if isinstance(value, str):
        return f"`{value}`"
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if value >= factor and value % factor == 0:
            return f"{value // factor} {unit}"
    return f"{value} bytes"


def _limits(limits: Mapping[str, Any]) -> str:
    parts = []
    if "max_bytes" in limits:
        parts.append(_size(limits["max_bytes"]) + (" per file" if "max_total" in limits else ""))
    if "max_total" in limits:
        parts.append(_size(limits["max_total"]) + " in all")
    if "window_hours" in limits:
        value = limits["window_hours"]
        parts.append(f"the last `{value}` hours" if isinstance(value, str) else f"the last {value} hours")
    if "timeout" in limits:
        value = limits["timeout"]
        parts.append(f"`{value}` s" if isinstance(value, str) else f"{value} s")
    return ", ".join(parts) or "—"


_KEY: Final = {"path": "its path", "dir": "the log dir", "unit": "the unit's name",
                "scrape": "the scrape's number (1, then 2 `kafkapilot_metrics_interval` seconds later)",
                "broker": "the broker id", "transaction": "the transactional id"}


def _source_cell(spec: ArtifactSpec) -> str:
    text = spec.about + (f"; `key` is {_KEY[spec.repeats]}" if spec.repeats else "")
    text += "; " + ("Kafka only" if spec.kinds == ("kafka",) else "ZooKeeper only") if len(spec.kinds) == 1 else ""
    return (f"({spec.since}) " if spec.since != "1.0" else "") + text.replace("|", "\\|")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def docs_tables() -> str:
    """The artifact tables of docs/snapshot-format.md (Markdown), from the registry."""
    declared = artifacts().values()
    lines = [_BEGIN, "", "`redaction` is the pass that runs over the content before it is written (collection.md,",
             "Secrets). `limits` are the bounds the registry sets, a number or the `kafkapilot_*` role setting that",
             "gives it; — means the host_requests module's defaults (1 MiB of content, 60 s for a command).", "",
             "### Per host (`instance` null)", "",
             "| name | source | format | redaction | limits |", "|---|---|---|---|---|"]
    lines += [f"| `{a.name}` | {_source_cell(a)} | {_cell(a.format)} | {a.redaction} | {_limits(a.limits)} |"
              for a in declared if a.scope == "host"]
    lines += ["", "### Per process (`instance` set)", "",
              "| name | source | format | redaction | limits |", "|---|---|---|---|---|"]
    lines += [f"| `{a.name}` | {_source_cell(a)} | {_cell(a.format)} | {a.redaction} | {_limits(a.limits)} |"
              for a in declared if a.scope == "process"]
    cluster = [a for a in declared if a.scope == "cluster"]
    lines += ["", "### Cluster-wide (in `cluster_artifacts`, run once on `cluster_source_host`)", "",
              f"Each tool is bounded to {_limits(cluster[0].limits)} (output, time)." if cluster else "", "",
              "| name | command (`bin/` of the running distribution, with `--command-config` when a client config is "
              "given) |",
              "|---|---|"]
    lines += [f"| `{a.name}` | {_source_cell(a)} |" for a in cluster]
    return "\n".join([*lines, "", _END]) + "\n"


def _write_docs(root: Path) -> bool:
    """Put the tables into docs/snapshot-format.md; True when it changed."""
    path = root / _DOCS_FILE
    text = path.read_text(encoding="utf-8")
    if _BEGIN not in text or _END not in text:
        raise KafkaPilotError(f"the markers of the generated tables are missing ({_BEGIN} … {_END})", where=str(path))
    head, rest = text.split(_BEGIN, 1)
    new = head + docs_tables().rstrip("\n") + rest.split(_END, 1)[1]
    path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    """python -m kafkapilot.artifacts docs [--write] | names."""
    import argparse  # noqa: PLC0415 - only the command line needs it

    parser_ = argparse.ArgumentParser(prog="python -m kafkapilot.artifacts", description=__doc__.split("\n")[0])
    commands = parser_.add_subparsers(dest="command", required=True)
    docs = commands.add_parser("docs", help="the artifact tables of docs/snapshot-format.md")
    docs.add_argument("--write", action="store_true", help="write them into docs/snapshot-format.md of the checkout")
    commands.add_parser("names", help="the declared names, one per line")
    args = parser_.parse_args(argv)
    try:
        if args.command == "names":
            sys.stdout.write("".join(f"{n}\n" for n in names()))
        elif args.write:
            changed = _write_docs(registry_file().parents[1])
            sys.stdout.write(f"{_DOCS_FILE}: {'updated' if changed else 'up to date'}\n")
        else:
            sys.stdout.write(docs_tables())
    except KafkaPilotError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
