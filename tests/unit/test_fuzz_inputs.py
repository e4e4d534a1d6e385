"""Bounded fuzzing of what reads a snapshot: every parser, the loader, the facts and the checks.

Inputs are the example snapshot's own texts, mutated (cut, spliced, lines repeated or dropped,
numbers made huge, NUL, control characters, lone surrogates, invalid UTF-8), and random text.
A parser may only answer or raise ParseError/ValueError (which the facts turn into a reason); the
loader may only load or raise KafkaPilotError (one line); a loaded snapshot must always analyse.
Deterministic: hypothesis derandomized, no example database, a fixed number of examples.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import pkgutil
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kafkapilot.parsers
from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.errors import KafkaPilotError
from kafkapilot.parsers.errors import ParseError
from kafkapilot.report.render_json import render_json
from kafkapilot.report.render_terminal import render_terminal_text

pytestmark = pytest.mark.fuzz

EXAMPLE: Final = Path(__file__).resolve().parents[2] / "kafkapilot" / "examples" / "example-snapshot"
CATALOG: Final = load_catalog(default_tasks_dir())
_SETTINGS: Final = {"derandomize": True, "database": None, "deadline": None,
                    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]}
PARSER_RUNS: Final = settings(max_examples=60, **_SETTINGS)  # a parse is cheap
ANALYSIS_RUNS: Final = settings(max_examples=12, **_SETTINGS)  # a whole analysis of the example each


def _seeds() -> list[str]:
    texts = []
    for path in sorted(EXAMPLE.rglob("*")):
        if path.is_file() and path.name != "snapshot.json":
            texts.append(path.read_bytes()[:4096].decode("utf-8", errors="replace"))
    return texts


SEEDS: Final = _seeds()


def _parsers() -> list[tuple[str, Callable[[str], Any]]]:
    """Every parse_* function of kafkapilot.parsers that takes one text."""
    found = []
    for info in pkgutil.iter_modules(kafkapilot.parsers.__path__):
        module = importlib.import_module(f"kafkapilot.parsers.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("parse_") or function.__module__ != module.__name__:
                continue
            required = [p for p in inspect.signature(function).parameters.values()
                        if p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD]
            if len(required) == 1:
                found.append((f"{info.name}.{name}", function))
    return found


PARSERS: Final = _parsers()

_NASTY: Final = ["\x00", "\ud800", "\x1b[2J", "\r", "\t", "=", ":", "\\", "\\u00", "[", "]", "{", "}", "\"", "'",
                 "99999999999999999999999999", "-1", "NaN", "1e309", "\n\n", "…", "\u2028", " " * 300]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A seed text with a few mutations, or random text."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=2000))
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        operation = draw(st.integers(0, 5))
        at = draw(st.integers(0, max(0, len(text))))
        if operation == 0:
            text = text[:at]
        elif operation == 1:
            text = text[:at] + draw(st.sampled_from(_NASTY)) + text[at:]
        elif operation == 2 and lines:
            index = draw(st.integers(0, len(lines) - 1))
            text = "\n".join(lines[:index] + [lines[index]] * draw(st.integers(2, 50)) + lines[index + 1:])
        elif operation == 3 and lines:
            index = draw(st.integers(0, len(lines) - 1))
            text = "\n".join(lines[:index] + lines[index + 1:])
        elif operation == 4:
            text = text[:at] + draw(st.sampled_from(SEEDS)) + text[at:]  # another kind's text spliced in
        else:
            text = re.sub(r"\d+", draw(st.sampled_from(["9" * 30, "-1", "0", "1e309", "0x1f"])), text)
    return text


@pytest.mark.parametrize("parser", [parser for _, parser in PARSERS], ids=[name for name, _ in PARSERS])
def test_a_parser_answers_or_says_why_it_cannot(parser: Callable[[str], Any]) -> None:
    assert len(PARSERS) >= 25  # every parser module is reached

    @PARSER_RUNS
    @given(text=mutated())
    def check(text: str) -> None:
        try:
            parser(text)
        except (ParseError, ValueError):
            pass

    check()


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the example; each example changes one file and puts it back."""
    return Path(shutil.copytree(EXAMPLE, tmp_path_factory.mktemp("fuzz") / "snapshot"))


@contextlib.contextmanager
def _changed(snapshot: Path, relative: str, data: bytes) -> Iterator[Path]:
    path = snapshot / relative
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        yield snapshot
    finally:
        path.write_bytes(original)


def _analyse_everything(snapshot: Path) -> None:
    """Load, analyse with every task, render: only a one-line KafkaPilotError may stop it."""
    try:
        report = analyse(snapshot, CATALOG, Selection(), EngineOptions(check_budget_s=None))
    except KafkaPilotError as error:
        assert "\n" not in str(error)
        return
    assert render_json(report) and render_terminal_text(report, width=120)


_VALUES: Final = [None, 0, -1, 10**30, "", "../../etc/passwd", "/etc/passwd", "a\x00b", [], {}, True, 1.5,
                  "hosts/../../outside", "x" * 10_000]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:6]):
            found += _paths(value, (*prefix, index))
    return found


MANIFEST: Final = json.loads((EXAMPLE / "snapshot.json").read_text())
MANIFEST_PATHS: Final = _paths(MANIFEST)[1:]


@ANALYSIS_RUNS
@given(changes=st.lists(st.tuples(st.sampled_from(MANIFEST_PATHS), st.sampled_from(_VALUES), st.booleans()),
                        min_size=1, max_size=3))
def test_a_mangled_manifest_loads_or_is_one_line(copy: Path, changes: list[tuple[Any, Any, bool]]) -> None:
    manifest = json.loads(json.dumps(MANIFEST))
    for path, value, delete in changes:
        parent = manifest
        for step in path[:-1]:
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                break
        else:
            try:
                if delete and isinstance(parent, dict):
                    parent.pop(path[-1], None)
                else:
                    parent[path[-1]] = value
            except (IndexError, TypeError):
                pass
    with _changed(copy, "snapshot.json", json.dumps(manifest).encode()) as snapshot:
        _analyse_everything(snapshot)


ARTIFACT_FILES: Final = sorted(str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*")
                               if p.is_file() and p.name != "snapshot.json")


@ANALYSIS_RUNS
@given(relative=st.sampled_from(ARTIFACT_FILES), text=mutated(), raw=st.binary(max_size=64))
def test_mangled_artifact_contents_always_analyse(copy: Path, relative: str, text: str, raw: bytes) -> None:
    data = text.encode("utf-8", errors="surrogatepass") + raw  # invalid UTF-8 too
    with _changed(copy, relative, data) as snapshot:
        _analyse_everything(snapshot)
