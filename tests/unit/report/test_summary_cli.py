"""``--summary`` on the command line: one line per failed finding, nothing trailing, other formats refused."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kafkapilot.cli import analyse_main
from kafkapilot.exit_codes import EXIT_ERROR, EXIT_OK


def test_summary_prints_one_line_per_failed_finding_of_the_example() -> None:
    runner = CliRunner()
    summary = runner.invoke(analyse_main, ["--example", "--summary"])
    document = json.loads(runner.invoke(analyse_main, ["--example", "-r", "json"]).stdout)
    assert summary.exit_code == EXIT_OK
    lines = summary.stdout.splitlines()
    failed = [f for f in document["findings"] if f["status"] == "fail"]
    assert len(lines) == len(failed) + 1
    assert [line.split()[:2] for line in lines[:-1]] == [[f["severity"].upper(), f["task_id"]] for f in failed]
    assert lines[-1].endswith(f"health {document['summary']['health_score']}/100 poor")
    assert all(line == line.rstrip() for line in lines)


def test_summary_refuses_another_format() -> None:
    result = CliRunner().invoke(analyse_main, ["--example", "--summary", "-r", "json"])
    assert result.exit_code == EXIT_ERROR
    assert result.stderr.startswith("kafkapilot: error: --summary: ") and result.stderr.count("\n") == 1


def test_summary_with_output_writes_the_summary_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(analyse_main, ["--example", "--summary", "-o", str(tmp_path)])
    assert result.exit_code == EXIT_OK and result.stdout == ""
    written = (tmp_path / "kafkapilot-report-summary.txt").read_text(encoding="utf-8").splitlines()
    assert written[0].startswith("CRITICAL  ") and written[-1].endswith("/100 poor")
    assert f"wrote {tmp_path / 'kafkapilot-report-summary.txt'}" in result.stderr


def test_summary_names_a_task_file_that_did_not_load_on_stderr(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "broken.yaml").write_text('id: broken\nname: x\ncheck:\n  fail_when: "node.x >"\n', encoding="utf-8")
    plain = CliRunner().invoke(analyse_main, ["--example", "--summary"])
    result = CliRunner().invoke(analyse_main, ["--example", "--summary", "--tasks-dir", str(tasks)])
    assert result.exit_code == EXIT_OK
    assert result.stdout == plain.stdout  # stdout: still one line per failed finding, then the totals
    assert result.stderr == f"! {tasks / 'broken.yaml'}:4: check.message: Field required\n"
