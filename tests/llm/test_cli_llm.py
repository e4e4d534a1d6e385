"""The LLM options of `kafkapilot analyse` / `kafkapilot-analyse`, the config's `llm:`, and `kafkapilot llm check`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kafkapilot.cli import analyse_main, main
from kafkapilot.engine import LLM_HINT
from tests.llm.fake_openai import FakeOpenAI, Scripted, chat_body, error_body
from tests.llm.helpers import answer, grounded, names_subject, user_texts

BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKAPILOT_LLM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("KAFKAPILOT_MODEL", raising=False)
    monkeypatch.chdir(tmp_path)


def _json_report(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.integration
def test_example_with_a_model_mixes_rule_and_llm_findings(fake: FakeOpenAI) -> None:
    """The issue's 'done when', as a user runs it: a real process, litellm's real network path."""
    fake.responder = lambda request: grounded(request, "payments-2 is under-replicated because broker-1 lags",
                                              "high", ("broker-1",))
    # the example (collected from the lab) has logs: one rule task and one prompt task keep the exchange scripted
    command = [str(BIN / "kafkapilot-analyse"), "--example", "--tasks", "log_root_cause,jvm_heap_size_limit",
               "--model", "openai/test", "--api-base", fake.url, "--report", "json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                            env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    sources = {(f["source"], f["status"]) for f in report["findings"]}
    assert ("rule", "fail") in sources and ("llm", "fail") in sources
    [root] = [f for f in report["findings"] if f["task_id"] == "log_root_cause"]
    assert (root["model"], root["hosts"]) == ("openai/test", ["kafka-1"])
    assert "LLM: 1 task(s), 0 answered from the cache, 120 tokens in, 30 out, $0.0000" in result.stderr
    [run] = [r for r in report["task_runs"] if r["task_id"] == "log_root_cause"]
    assert run["tokens_in"] == 120


def test_without_a_model_prompt_tasks_are_skipped_with_the_hint(snapshot_dir: Path) -> None:
    report = _json_report(CliRunner().invoke(analyse_main, [str(snapshot_dir), "--report", "json"]))
    llm = [f for f in report["findings"] if f["source"] == "llm"]
    assert {f["status"] for f in llm} == {"skipped"} and all(f["summary"] == LLM_HINT for f in llm)


def test_options_reach_the_runner(fake: FakeOpenAI, snapshot_dir: Path, tmp_path: Path) -> None:
    def only_broker_2(request: dict[str, Any]) -> bool:
        text = user_texts([request])[0]
        return names_subject(text, "broker-2") and not names_subject(text, "broker-1")

    fake.responder = lambda r: (grounded(r, "OOM", "critical", ("broker-2",), containing="OutOfMemoryError")
                                if only_broker_2(r) else Scripted(body=chat_body(answer())))
    debug = tmp_path / "debug.jsonl"
    args = [str(snapshot_dir), "--model", "openai/test", "--api-base", fake.url, "--report", "json", "--llm-debug",
            str(debug),
            "--concurrency", "1", "--llm-timeout", "7", "--tasks", "recent_log_errors,log_root_cause,broker_count_ha"]
    report = _json_report(CliRunner().invoke(main, ["analyse", *args]))
    [logs] = [f for f in report["findings"] if f["task_id"] == "recent_log_errors"]
    # the answer said critical; a finding never goes above its task's declared severity (medium)
    assert (logs["status"], logs["severity"], logs["hosts"], logs["source"]) == ("fail", "medium", ["kafka-2"], "llm")
    assert fake.max_in_flight == 1
    requests = [json.loads(line)["request"] for line in debug.read_text().splitlines() if '"event": "request"' in line]
    assert len(requests) == 4 and {r["timeout_s"] for r in requests} == {7.0}
    again = _json_report(CliRunner().invoke(main, ["analyse", *args]))
    assert len(fake.requests) == 4 and [f for f in again["findings"]] == [f for f in report["findings"]]
    _json_report(CliRunner().invoke(main, ["analyse", *args, "--no-cache"]))
    assert len(fake.requests) == 8


def test_llm_settings_come_from_the_config_file(fake: FakeOpenAI, snapshot_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "kafkapilot.yaml"
    config.write_text(yaml.safe_dump({"llm": {"model": "openai/test", "api_base": fake.url,
                                              "max_tokens_per_request": 1500,
                                              "cache": False}}))
    args = [str(snapshot_dir), "--config", str(config), "--report", "json", "--tasks", "log_root_cause"]
    report = _json_report(CliRunner().invoke(analyse_main, args))
    assert [f["status"] for f in report["findings"]] == ["pass"]
    assert len(fake.requests) >= 3  # the budget of the config divided the cluster (per node, at least)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"llm": {"model": "openai/test", "temprature": 0}}))
    result = CliRunner().invoke(analyse_main, [str(snapshot_dir), "--config", str(bad)])
    assert result.exit_code == 1 and "unknown llm setting(s): temprature" in result.stderr


def test_keys_come_from_a_dotenv_file(fake: FakeOpenAI, snapshot_dir: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-from-dotenv\n")
    args = [str(snapshot_dir), "--model", "openai/test", "--api-base", fake.url, "--report", "json", "--tasks",
            "log_root_cause"]
    _json_report(CliRunner().invoke(analyse_main, args))
    assert fake.headers[0]["authorization"] == "Bearer sk-from-dotenv"
    assert "sk-from-dotenv" not in json.dumps(fake.requests)
    monkeypatch.delenv("OPENAI_API_KEY")


def test_llm_check_reports_model_latency_and_structured_output(fake: FakeOpenAI) -> None:
    result = CliRunner().invoke(main, ["llm", "check", "--model", "openai/test", "--api-base", fake.url])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines())
    assert lines["model"].strip() == "openai/test"
    assert lines["latency"].strip().endswith(" s")
    assert lines["structured output"].strip().startswith("json_schema: the first mode tried")
    assert fake.requests[0]["response_format"]["json_schema"]["name"] == "check"


def test_llm_check_negotiates_the_mode_a_llama_cpp_server_takes(fake: FakeOpenAI) -> None:
    def respond(request: dict[str, Any]) -> Scripted:
        if (request.get("response_format") or {}).get("type") == "json_schema":
            return Scripted(status=500, body=error_body("response_format: Input should be 'text' or 'json_object'"))
        return Scripted(body=chat_body('{"ok": true}'))

    fake.responder = respond
    result = CliRunner().invoke(main, ["llm", "check", "--model", "openai/test", "--api-base", fake.url])
    assert result.exit_code == 0, result.output
    verdict = dict(line.split(":", 1) for line in result.stdout.splitlines())["structured output"].strip()
    assert verdict.startswith("json_object+schema: json_schema refused (500")
    assert [(r.get("response_format") or {}).get("type") for r in fake.requests] == ["json_schema", "json_object"]
    assert fake.requests[1]["response_format"]["schema"]["required"] == ["ok"]


def test_llm_check_failure_is_one_line(fake: FakeOpenAI) -> None:
    fake.push(Scripted(status=401,
                       body={"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}))
    result = CliRunner().invoke(main, ["llm", "check", "--model", "openai/test", "--api-base", fake.url])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "the model did not answer: 401" in result.stderr
    no_model = CliRunner().invoke(main, ["llm", "check"])
    assert no_model.exit_code == 1 and "no model configured" in no_model.stderr


@pytest.mark.integration
def test_help_and_the_analysis_modules_do_not_import_litellm() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from kafkapilot.cli import main\n"
        "import kafkapilot.cli_analyse, kafkapilot.llm.runner, kafkapilot.llm.check\n"
        "assert CliRunner().invoke(main, ['analyse', '--help']).exit_code == 0\n"
        "print('litellm' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip() == "False", result.stderr
