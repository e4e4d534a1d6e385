"""`kafkapilot diff` from the command line: formats, files, --fail-on, reports as input, bad input."""

from __future__ import annotations

import json
import tarfile
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kafkapilot.cli import main
from kafkapilot.exit_codes import EXIT_ERROR, EXIT_FAIL_ON, EXIT_OK


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["diff", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_two_snapshots_to_the_terminal(pair: tuple[Path, Path]) -> None:
    code, out, err = _run(*pair)
    assert code == EXIT_OK, err
    assert "kafka-1  num.io.threads" in out and "8         16" in out
    assert "orders-0   1200 → 1200       100 → 300  +100.0/h  stalled" in out


def test_several_formats_written_into_a_directory(pair: tuple[Path, Path], tmp_path: Path) -> None:
    code, _, err = _run(*pair, "-r", "json", "-r", "markdown", "-r", "html", "-o", tmp_path / "out")
    assert code == EXIT_OK, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "kafkapilot-diff.html", "kafkapilot-diff.json", "kafkapilot-diff.md"]
    assert json.loads((tmp_path / "out" / "kafkapilot-diff.json").read_text())["changes"]["topics"]["added"] == [
        "clicks"]


def test_fail_on_gates_on_new_findings(reports: tuple[Path, Path]) -> None:
    assert _run(*reports, "--fail-on", "high")[0] == EXIT_FAIL_ON  # min_insync_replicas_vs_rf is new and high
    assert _run(*reports, "--fail-on", "critical")[0] == EXIT_OK  # nothing new is critical
    backward = _run(reports[1], reports[0], "--fail-on", "critical")
    assert backward[0] == EXIT_FAIL_ON  # back to OLD: broker_not_running (critical) is new again


def test_reports_diff_their_findings_and_say_changes_need_snapshots(reports: tuple[Path, Path],
                                                                    pair: tuple[Path, Path]) -> None:
    from_reports = json.loads(_run(*reports, "-r", "json")[1])
    from_snapshots = json.loads(_run(*pair, "-r", "json")[1])
    for key in ("new", "resolved", "changed"):
        assert [f["task_id"] for f in from_reports["findings"][key]] == \
               [f["task_id"] for f in from_snapshots["findings"][key]]
    assert from_reports["findings"]["unchanged"] == from_snapshots["findings"]["unchanged"]
    assert from_reports["old"]["kind"] == "report" and from_reports["old"]["report_version"]
    assert from_reports["changes"]["config"] is None
    assert from_reports["changes"]["missing"] == [
        {"section": "all", "reason": "OLD and NEW are reports: changes need a snapshot on both sides"}]
    mixed = json.loads(_run(pair[0], reports[1], "-r", "json")[1])
    assert mixed["changes"]["missing"][0]["reason"] == "NEW is a report: changes need a snapshot on both sides"


def _bad_inputs(root: Path, reports: tuple[Path, Path]) -> dict[str, tuple[Path, str]]:
    (root / "empty-dir").mkdir()
    (root / "corrupt.json").write_text('{"report_version": "1.1", "findings": [', encoding="utf-8")
    (root / "notes.txt").write_text("hello\n", encoding="utf-8")
    (root / "binary.bin").write_bytes(b"\x00\xff\xfe")
    (root / "snapshot.json").write_text(json.dumps({"kind": "kafkapilot-snapshot"}), encoding="utf-8")
    (root / "diff.json").write_text(json.dumps({"diff_version": "1.0"}), encoding="utf-8")
    future = json.loads(reports[0].read_text())
    future["report_version"] = "9.0"
    (root / "future.json").write_text(json.dumps(future), encoding="utf-8")
    return {
        "missing": (root / "nowhere", "no such file or directory"),
        "empty dir": (root / "empty-dir", "snapshot.json is missing"),
        "corrupt JSON": (root / "corrupt.json", "invalid JSON: Expecting value at line 1 column 40"),
        "text": (root / "notes.txt", "not a snapshot or a JSON report"),
        "binary": (root / "binary.bin", "not a snapshot or a JSON report (binary content)"),
        "manifest": (root / "snapshot.json", f"this is a snapshot's snapshot.json (give its directory: {root})"),
        "diff": (root / "diff.json", "this is a diff, not a report"),
        "future report": (root / "future.json", "report_version 9.0 is not supported"),
    }


@pytest.mark.parametrize("case", ["missing", "empty dir", "corrupt JSON", "text", "binary", "manifest", "diff",
                                  "future report"])
def test_bad_input_is_one_line_naming_the_file(case: str, tmp_path: Path, reports: tuple[Path, Path]) -> None:
    path, expected = _bad_inputs(tmp_path, reports)[case]
    for args in ((path, reports[1]), (reports[0], path)):
        code, out, err = _run(*args)
        assert code == EXIT_ERROR
        assert out == ""
        assert err.startswith(f"kafkapilot: error: {path}: ") and expected in err, err
        assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_several_formats_need_an_output_directory(reports: tuple[Path, Path]) -> None:
    code, _, err = _run(*reports, "-r", "json", "-r", "html")
    assert code == EXIT_ERROR
    assert err == "kafkapilot: error: --report: several --report formats need --output DIR\n"


def test_a_tar_gz_snapshot_is_unpacked_within_the_cap_and_removed(pair: tuple[Path, Path], tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "old.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(pair[0], arcname="old")
    unpack_into = tmp_path / "tmp"
    unpack_into.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(unpack_into))
    code, out, err = _run(archive, pair[1], "-r", "json")
    assert code == EXIT_OK, err
    assert json.loads(out)["changes"]["config"] == json.loads(_run(*pair, "-r", "json")[1])["changes"]["config"]
    assert list(unpack_into.iterdir()) == []  # the unpacked snapshot is gone
    code, _, err = _run(archive, pair[1], "--max-archive-bytes", "1000")
    assert code == EXIT_ERROR
    assert err.startswith(f"kafkapilot: error: {archive}: the archive unpacks to more than 1,000 bytes")
    assert list(unpack_into.iterdir()) == []
