"""An artifact above the read cap: a log is read from its tail (the newest lines), anything else
from its head, whole lines only, and every report says which artifacts were cut and where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.facts.reading import FactReader
from kafkapilot.report.registry import get_renderer
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.llm.spec import llm_spec

CAP = 4096


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return materialize(llm_spec(log_lines=200), tmp_path / "snapshot")


def _path(snapshot: Path, name: str) -> str:
    manifest = json.loads((snapshot / "snapshot.json").read_text())
    return next(a["path"] for a in manifest["hosts"]["kafka-1"]["artifacts"] if a["name"] == name and a.get("path"))


def test_a_log_above_the_cap_is_read_from_its_tail_in_whole_lines(snapshot: Path) -> None:
    log = snapshot / _path(snapshot, "log_file")
    full = log.read_text()
    assert len(full) > CAP
    with load_snapshot(snapshot, max_artifact_bytes=CAP) as loaded:
        text = loaded.text(loaded.host_artifact("kafka-1", "log_file", instance="kafka"))
        assert text is not None and len(text.encode()) <= CAP
        assert full.endswith(text) and text.startswith("[")  # the newest lines, the first partial one dropped
        assert list(loaded.cut) == [_path(snapshot, "log_file")]
        assert "read its last" in loaded.cut[_path(snapshot, "log_file")]


def test_anything_else_above_the_cap_is_read_from_its_head(snapshot: Path) -> None:
    properties = snapshot / _path(snapshot, "server_properties")
    properties.write_text(properties.read_text() + "".join(f"custom.key.{i}=value-{i}\n" for i in range(400)))
    with load_snapshot(snapshot, max_artifact_bytes=CAP) as loaded:
        text = loaded.text(loaded.host_artifact("kafka-1", "server_properties", instance="kafka"))
        assert text is not None and properties.read_text().startswith(text) and text.endswith("\n")
        assert "read its first" in loaded.cut[_path(snapshot, "server_properties")]


def test_under_the_cap_nothing_is_cut(snapshot: Path) -> None:
    with load_snapshot(snapshot) as loaded:
        log = loaded.host_artifact("kafka-1", "log_file", instance="kafka")
        assert loaded.text(log) == (snapshot / _path(snapshot, "log_file")).read_text()
        assert loaded.cut == {}


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json", "html"])
def test_every_report_says_which_artifacts_were_cut(snapshot: Path, fmt: str) -> None:
    report = analyse(snapshot, load_catalog(default_tasks_dir()), Selection(), EngineOptions(),
                     max_artifact_bytes=CAP)
    cut = [e for e in report.errors if ": cut: " in e]
    assert any(_path(snapshot, "log_file") in e and "read its last" in e for e in cut)
    text = get_renderer(fmt)(report, color=False, width=300)
    assert f"{_path(snapshot, 'log_file')}: cut: log_file is" in text.replace("&#x27;", "'")


def test_a_parser_that_breaks_names_the_file_and_the_analysis_goes_on(snapshot: Path) -> None:
    def broken(_text: str) -> None:
        raise IndexError("list index out of range")

    with load_snapshot(snapshot) as loaded:
        reader = FactReader(loaded, "kafka-1")
        assert reader.read("node.config", "server_properties", broken, instance="kafka") is None
        reason = reader.unavailable["node.config"]
    assert reason.startswith(f"internal error reading {_path(snapshot, 'server_properties')}: IndexError")
    assert "please report it" in reason
