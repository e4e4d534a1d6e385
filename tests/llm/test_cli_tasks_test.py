"""`kafkapilot tasks test ID SNAPSHOT`: one task's result; for a prompt task, first what would be sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kafkapilot.cli import main
from kafkapilot.exit_codes import EXIT_ERROR, EXIT_OK
from tests.llm.fake_openai import FakeOpenAI
from tests.llm.helpers import grounded

EXAMPLE = Path(__file__).resolve().parents[2] / "kafkapilot" / "examples" / "example-snapshot"


def test_a_check_prints_its_result_alone() -> None:
    result = CliRunner().invoke(main, ["tasks", "test", "broker_count_ha", str(EXAMPLE)])
    assert result.exit_code == EXIT_OK, result.output
    assert "=== result: broker_count_ha ===" in result.output and "status:   pass" in result.output
    assert "=== call" not in result.output  # no prompt: a check is decided by facts
    assert "log_root_cause" not in result.output  # that one task only


def test_a_prompt_task_without_a_model_shows_the_prompt_and_sends_nothing(snapshot_dir: Path) -> None:
    result = CliRunner().invoke(main, ["tasks", "test", "recent_log_errors", str(snapshot_dir)])
    assert result.exit_code == EXIT_OK, result.output
    assert result.output.count("=== call ") == 3  # per broker: one call each
    assert '<data kind="logs">' in result.output and "--- system ---" in result.output
    assert "kafka-1" not in result.output.split("(not sent")[0]  # names are anonymised as they would be sent
    assert "(not sent: give --model to ask a model)" in result.output
    assert "status:   skipped" in result.output.split("(not sent")[1]  # then its result: no model


def test_a_prompt_task_with_a_model_is_asked(fake: FakeOpenAI, snapshot_dir: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    fake.responder = lambda request: grounded(request, "ISR shrinking on the broker", "high")
    result = CliRunner().invoke(main, ["tasks", "test", "recent_log_errors", str(snapshot_dir),
                                       "--model", "openai/test", "--api-base", fake.url])
    assert result.exit_code == EXIT_OK, result.output
    assert len(fake.requests) == 3
    assert "(not sent" not in result.output
    assert "status:   fail" in result.output
    assert "severity: medium" in result.output  # the answer said high: never above the task's medium
    assert "ISR shrinking on the broker" in result.output and "3 calls" in result.output


def test_an_unknown_task_is_one_line() -> None:
    result = CliRunner().invoke(main, ["tasks", "test", "no_such_task", str(EXAMPLE)])
    assert result.exit_code == EXIT_ERROR
    assert "no task with id 'no_such_task'" in result.output and "Traceback" not in result.output
