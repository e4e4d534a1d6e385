"""Fixtures: the fake OpenAI server on 127.0.0.1, a snapshot with broker logs, an LLM config."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kafkapilot.facts import Facts, build_facts
from kafkapilot.llm.config import LLMConfig
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.llm.fake_openai import FakeOpenAI
from tests.llm.spec import llm_spec


@pytest.fixture(autouse=True)
def _private_answer_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own answer cache: never the user's ~/.cache, never another test's answers."""
    monkeypatch.setenv("KAFKAPILOT_LLM_CACHE_DIR", str(tmp_path / "llm-cache"))


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def snapshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The snapshot of `llm_spec()`, written once: every test only reads it."""
    return materialize(llm_spec(), tmp_path_factory.mktemp("llm") / "snapshot")


@pytest.fixture
def facts(snapshot_dir: Path) -> Facts:
    return build_facts(load_snapshot(snapshot_dir))


@pytest.fixture
def config(fake: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LLMConfig:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    return LLMConfig(
        model="openai/test", api_base=fake.url, timeout_s=5.0, retries=2, backoff_s=0.01,
        cache_dir=tmp_path / "cache", progress=False,
    )


def with_changes(config: LLMConfig, **changes: object) -> LLMConfig:
    """A copy of a config with some fields changed."""
    return replace(config, **changes)  # type: ignore[arg-type]
