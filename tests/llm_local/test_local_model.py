"""The LLM path against a real model: SmolLM2-135M-Instruct behind llama-cpp-python's server on
127.0.0.1, through litellm with no proxy, as an operator who may not send data to a cloud runs it.

A 135M model's judgement is not what is tested: it is that every LLM task ends as pass, as fail
with quotes that occur in the data sent, or as an error whose reason is the model's answer (never a
protocol failure: a refused response_format, a context overflow, a server error).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest
import yaml
from click.testing import CliRunner

from kafkapilot.cli import analyse_main, main
from kafkapilot.snapshot.write import materialize
from tests.llm.spec import INJECTION, llm_spec
from tests.llm.test_kcpilot_compat import COMPAT
from tests.llm_local.local_model import ALIAS, serving

pytestmark = pytest.mark.llm_local

MODEL: Final = f"openai/{ALIAS}"
#: what a failure of the protocol looks like in a task's error, as opposed to an answer the model got wrong
PROTOCOL_FAILURES: Final = ("response_format", "server error", "ContextWindowExceeded", "exceed context window",
                            "connection failed", "timed out", "deadline", "NotFoundError", "BadRequestError")


@pytest.fixture(scope="module")
def api_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("llama") / "server.log") as base:
        yield base


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A settings file as an operator of a small local model writes it: a short log sample."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local-no-key")  # the server takes any key
    monkeypatch.setenv("KAFKAPILOT_LLM_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "kafkapilot.yaml"
    path.write_text(yaml.safe_dump({"llm": {"max_log_lines": 20, "max_output_tokens": 256, "timeout": 400,
                                            "deadline": 1800, "retries": 1}}))
    return path


def _analyse(args: list[str], out: Path, settings: Path, api_base: str) -> dict[str, Any]:
    result = CliRunner().invoke(analyse_main, [*args, "--model", MODEL, "--api-base", api_base, "--config",
                                               str(settings), "-r", "json", "-o", str(out),
                                               "--llm-debug", str(out / "llm.jsonl")])
    assert result.exit_code == 0, result.output
    return json.loads((out / "kafkapilot-report.json").read_text())


def _sent(out: Path) -> list[str]:
    """The user messages of every request, exactly as sent (from --llm-debug)."""
    lines = [json.loads(line) for line in (out / "llm.jsonl").read_text().splitlines()]
    return ["\n".join(m["content"] for m in e["request"]["messages"] if m["role"] == "user")
            for e in lines if e.get("event") == "request"]


def _assert_ended_properly(report: dict[str, Any], out: Path) -> None:
    llm = [f for f in report["findings"] if f["source"] == "llm"]
    assert llm
    sent = "\n".join(_sent(out))
    squeezed = " ".join(sent.split())
    for finding in llm:
        assert finding["status"] in {"pass", "fail", "error"}, finding
        if finding["status"] == "error":
            assert not any(word in finding["summary"] for word in PROTOCOL_FAILURES), finding["summary"]
        if finding["status"] == "fail":  # grounded: each quote occurs in what was sent (names restored)
            quotes = [e["quote"] for e in finding["evidence"] if e["quote"]]
            assert quotes, finding
            assert all(" ".join(q.split()) in squeezed for q in quotes if "kafka-" not in q), quotes


def test_llm_check_negotiates_the_structured_output_mode(api_base: str, settings: Path) -> None:
    result = CliRunner().invoke(main, ["llm", "check", "--model", MODEL, "--api-base", api_base,
                                       "--config", str(settings)])
    assert result.exit_code == 0, result.output
    verdict = dict(line.split(":", 1) for line in result.stdout.splitlines())["structured output"].strip()
    print(f"llm check: {verdict}")  # the per-mode behaviour, for the note
    # llama-cpp-python takes {"type": "json_object", "schema": …} and refuses OpenAI's json_schema
    assert verdict.startswith(("json_object+schema", "json_schema")), verdict


def test_the_examples_llm_tasks_end_without_a_protocol_failure(api_base: str, settings: Path, tmp_path: Path) -> None:
    report = _analyse(["--example", "--tasks", "log_root_cause,recent_log_errors"], tmp_path / "out", settings,
                      api_base)
    _assert_ended_properly(report, tmp_path / "out")


def test_an_original_kcpilot_task_file_runs_through_the_same_path(api_base: str, settings: Path,
                                                                  tmp_path: Path) -> None:
    # the example is KRaft: this original task reads the nodes' configuration only (two calls on this model;
    # jvm_heap_memory_ratio's processes and OS files took eight, each with its repair retry)
    report = _analyse(["--example", "--tasks-dir", str(COMPAT), "--tasks", "kraft_controller_ha_check"],
                      tmp_path / "out", settings, api_base)
    _assert_ended_properly(report, tmp_path / "out")


def test_instructions_in_a_log_stay_data(api_base: str, settings: Path, tmp_path: Path) -> None:
    snapshot = materialize(llm_spec(brokers=1, log_lines=30, error_hosts=("kafka-1",), injection=True),
                           tmp_path / "snapshot")
    every_line = yaml.safe_load(settings.read_text())
    every_line["llm"]["max_log_lines"] = 40  # the broker's 30 lines all go, the addressed ones among them
    settings.write_text(yaml.safe_dump(every_line))
    report = _analyse([str(snapshot), "--tasks", "recent_log_errors"], tmp_path / "out", settings, api_base)
    _assert_ended_properly(report, tmp_path / "out")
    [sent] = [t for t in _sent(tmp_path / "out") if INJECTION in t][:1]
    before, _, after = sent.partition(INJECTION)
    assert before.rfind("<data ") > before.rfind("</data>") and "</data>" in after  # inside a fenced data block
