"""bench/llm_eval.py, the evaluation harness, against a real HTTP server on 127.0.0.1: N runs,
nothing from the cache, agreement per task."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from tests.llm.fake_openai import FakeOpenAI
from tests.llm.helpers import grounded

ROOT = Path(__file__).resolve().parents[2]


def _harness() -> Any:
    spec = importlib.util.spec_from_file_location("llm_eval", ROOT / "bench" / "llm_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_runs_agree_when_the_model_answers_the_same(fake: FakeOpenAI, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    fake.responder = lambda request: grounded(request, "broker-1 lags", "high", ("broker-1",))
    code = _harness().main(["--model", "openai/test", "--api-base", fake.url, "--runs", "2",
                            "--tasks", "log_root_cause", "--max-output-tokens", "256", "--max-log-lines", "20"])
    out = capsys.readouterr().out
    assert code == 0
    assert "run 1:" in out and "run 2:" in out and "log_root_cause=fail" in out
    assert [line.split()[1] for line in out.splitlines() if line.startswith("log_root_cause ")] == ["100%"]
    assert len(fake.requests) >= 2 and len(fake.requests) % 2 == 0  # each run asked the model, none from a cache
    assert {r["max_tokens"] for r in fake.requests} == {256}
