"""The command line as a user meets it: real subprocesses, real exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from kafkapilot.snapshot.write import materialize
from tests.factory.cluster_spec import cluster_spec

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]], capture_output=True, text=True, timeout=120,
        env={**os.environ, "NO_COLOR": "1", **(env or {})}, check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_help_is_fast_and_lists_commands() -> None:
    started = time.perf_counter()
    result = run("kafkapilot-analyse", "--help")
    elapsed = time.perf_counter() - started
    assert result.returncode == 0
    assert "--example" in result.stdout and "--fail-on" in result.stdout
    group = run("kafkapilot", "--help")
    for command in ("analyse", "tasks", "snapshot"):
        assert command in group.stdout
    assert elapsed < 5  # generous for CI noise; the budget is measured in bench/


def test_help_imports_only_the_command_line() -> None:
    """--help stays fast: no report model, renderer, expression engine, YAML or LLM library is imported for it.

    The time it takes is measured by bench/cli_help.py.
    """
    code = (
        "import sys\n"
        "from kafkapilot.cli import analyse_main\n"
        "try:\n"
        "    analyse_main(['--help'], prog_name='kafkapilot-analyse')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('pydantic', 'rich', 'jinja2', 'yaml', 'markdown_it', 'litellm')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith('kafkapilot.report.render')),"
        " file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.stderr.strip() == "[]"
    assert "Usage: kafkapilot-analyse" in result.stdout


def test_formats_and_severities_come_from_the_registries() -> None:
    from kafkapilot.report.registry import RENDERERS  # noqa: PLC0415
    from kafkapilot.severity import Severity  # noqa: PLC0415

    result = run("kafkapilot-analyse", "--example", "--report", "pdf")
    assert result.returncode == 2
    assert ", ".join(f"'{name}'" for name in RENDERERS) in result.stderr
    result = run("kafkapilot-analyse", "--example", "--fail-on", "urgent")
    assert result.returncode == 2
    assert ", ".join(f"'{s.value}'" for s in Severity) in result.stderr


def test_version() -> None:
    result = run("kafkapilot", "--version")
    assert result.returncode == 0 and "0.1.0" in result.stdout


def test_example_report_has_failures_with_evidence_and_remediation() -> None:
    result = run("kafkapilot-analyse", "--example", "--report", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    failed = [f for f in report["findings"] if f["status"] == "fail"]
    assert len(failed) >= 5
    for finding in failed:
        assert finding["evidence"] and finding["remediation"].strip()
    ids = {f["task_id"] for f in failed}
    assert {"jvm_heap_preallocation", "open_files_limit", "in_transit_encryption",
            "topic_replication_factor_one"} <= ids
    skipped = {f["task_id"]: f["summary"] for f in report["findings"] if f["status"] == "skipped"}
    assert "needs an LLM" in skipped["recent_log_errors"]
    by_id = {f["task_id"]: f for f in failed}
    # every piece of evidence says what it is about, as data: a for_each over topics names the topic ...
    assert [e["subject"] for e in by_id["topic_replication_factor_one"]["evidence"]] == [
        {"kind": "topic", "topic": e["item"]} for e in by_id["topic_replication_factor_one"]["evidence"]
    ]
    # ... a per-broker check the broker's node, a drift rule the setting that drifts
    assert {e["subject"]["kind"] for e in by_id["open_files_limit"]["evidence"]} == {"node"}
    open_files = by_id["open_files_limit"]
    assert {e["subject"]["host"] for e in open_files["evidence"]} == set(open_files["hosts"])
    assert all(e["subject"]["kind"] == "setting" for e in by_id["config_drift"]["evidence"])
    # a cluster-wide check whose items are hosts names them among the finding's hosts
    assert [e["subject"] for e in by_id["broker_not_running"]["evidence"]] == [{"kind": "host", "host": "kafka-2"}]
    assert by_id["broker_not_running"]["hosts"] == ["kafka-2"]


def test_analyze_alias_and_fail_on_exit_code() -> None:
    result = run("kafkapilot", "analyze", "--example", "--report", "json", "--fail-on", "high")
    assert result.returncode == 3
    assert json.loads(result.stdout)["summary"]["failed_by_severity"]["high"] >= 1
    quiet = run("kafkapilot", "analyse", "--example", "--report", "json", "--fail-on", "critical",
                "--severity-min", "high", "--category", "jvm")
    assert quiet.returncode == 0


def test_not_a_snapshot_directory(tmp_path: Path) -> None:
    assert_one_line_error(run("kafkapilot-analyse", str(tmp_path)), str(tmp_path), "snapshot.json is missing")
    assert_one_line_error(run("kafkapilot-analyse", str(tmp_path / "nope")), "no such file")


def test_an_archive_above_the_cap_is_one_line_naming_it(tmp_path: Path) -> None:
    root = materialize(cluster_spec(brokers=1), tmp_path / "kafka-snapshot-x")
    archive = tmp_path / "snap.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(root, arcname=root.name)
    assert_one_line_error(run("kafkapilot-analyse", str(archive), "--max-archive-bytes", "1000"),
                          str(archive), "unpacks to more than 1,000 bytes", "--max-archive-bytes")
    assert run("kafkapilot-analyse", str(archive), "-r", "json").returncode == 0


def test_invalid_manifest_json_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "snapshot.json").write_text('{\n  "kind": "kafkapilot-snapshot",\n  oops\n}\n')
    assert_one_line_error(run("kafkapilot-analyse", str(tmp_path)), "snapshot.json:3", "invalid JSON")


def test_unsupported_format_version(tmp_path: Path) -> None:
    (tmp_path / "snapshot.json").write_text('{"kind": "kafkapilot-snapshot", "format_version": "9.0"}')
    assert_one_line_error(run("kafkapilot-analyse", str(tmp_path)), "format_version 9.0 is not supported")


def test_malformed_task_file_is_reported_and_others_run(tmp_path: Path) -> None:
    extra = tmp_path / "tasks"
    extra.mkdir()
    (extra / "broken_task.yaml").write_text("id: broken_task\nname: x\nseverity: catastrophic\ncheck:\n  fail_when: "
                                            "true\n")
    result = run("kafkapilot-analyse", "--example", "--tasks-dir", str(extra), "--report", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert any("broken_task.yaml:3" in e and "severity" in e for e in report["errors"])
    assert len(report["findings"]) >= 20
    validate = run("kafkapilot", "tasks", "validate", str(extra / "broken_task.yaml"))
    assert validate.returncode == 1
    assert "broken_task.yaml:3" in validate.stderr and "Traceback" not in validate.stderr


def test_missing_artifact_is_a_skip_with_reason(tmp_path: Path) -> None:
    spec = cluster_spec()
    for host in spec["hosts"].values():
        for artifact in host["artifacts"]:
            if artifact["name"] == "process_limits":
                artifact.pop("content")
                artifact.update(status="denied", error="permission denied")
    snapshot = materialize(spec, tmp_path / "snap")
    result = run("kafkapilot-analyse", str(snapshot), "--tasks", "open_files_limit", "--report", "json")
    assert result.returncode == 0, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["status"] == "skipped"
    assert "not collected: process_limits denied: permission denied" in finding["summary"]


def test_several_formats_need_output_and_are_written(tmp_path: Path) -> None:
    assert_one_line_error(run("kafkapilot-analyse", "--example", "-r", "json", "-r", "html"), "--output")
    out = tmp_path / "reports"
    result = run("kafkapilot-analyse", "--example", "-r", "json", "-r", "markdown", "-r", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "kafkapilot-report.html", "kafkapilot-report.json", "kafkapilot-report.md",
    ]


def test_reports_for_ci_and_prometheus_are_written_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "textfile"
    result = run("kafkapilot-analyse", "--example", "-r", "junit", "-r", "prometheus", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["kafkapilot-report.prom", "kafkapilot-report.xml"]  # no temp file
    assert "kafkapilot_health_score{" in (out / "kafkapilot-report.prom").read_text()
    # a path the report cannot replace: one line naming it, no temporary file left behind
    blocked = tmp_path / "blocked"
    (blocked / "kafkapilot-report.prom").mkdir(parents=True)
    assert_one_line_error(run("kafkapilot-analyse", "--example", "-r", "prometheus", "-o", str(blocked)),
                          str(blocked / "kafkapilot-report.prom"), "cannot write the report")
    assert [p.name for p in blocked.iterdir()] == ["kafkapilot-report.prom"]


def test_identical_input_gives_identical_output_except_timestamps() -> None:
    first = run("kafkapilot-analyse", "--example", "--report", "markdown").stdout
    second = run("kafkapilot-analyse", "--example", "--report", "markdown").stdout

    def strip(text: str) -> list[str]:
        return [line for line in text.splitlines() if "generated" not in line.lower()]

    assert strip(first) == strip(second)


def test_param_override_changes_a_threshold() -> None:
    strict = run("kafkapilot-analyse", "--example", "--tasks", "minimum_cpu_cores", "--param",
                 "minimum_cpu_cores.min_cores=16", "-r", "json")
    (finding,) = json.loads(strict.stdout)["findings"]
    assert finding["status"] == "fail"
    lenient = run("kafkapilot-analyse", "--example", "--tasks", "minimum_cpu_cores", "--param",
                  "minimum_cpu_cores.min_cores=1", "-r", "json")
    assert json.loads(lenient.stdout)["findings"][0]["status"] == "pass"


def test_unknown_task_id_is_one_line() -> None:
    assert_one_line_error(run("kafkapilot-analyse", "--example", "--tasks", "no_such_task"), "no_such_task")


@pytest.mark.parametrize("command", [("tasks", "list"), ("tasks", "show", "jvm_heap_size_limit"), ("snapshot", "info")])
def test_browse_commands(command: tuple[str, ...]) -> None:
    args = list(command)
    if command[0] == "snapshot":
        args.append(str(Path(__file__).resolve().parents[2] / "kafkapilot" / "examples" / "example-snapshot"))
    result = run("kafkapilot", *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
