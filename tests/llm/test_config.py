"""LLM settings: defaults, the config's llm: mapping, options over both, keys from .env."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kafkapilot.errors import KafkaPilotError
from kafkapilot.llm.config import LLMConfig, default_cache_dir, load_dotenv, resolve_llm_config


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("OPENAI_API_KEY", "KAFKAPILOT_LLM_CACHE_DIR", "XDG_CACHE_HOME", "MY_KEY", "FROM_DOTENV"):
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    config = resolve_llm_config({}, {})
    assert not config.enabled
    assert (config.temperature, config.concurrency, config.cache, config.retries) == (0.0, None, True, 3)


def test_options_override_settings_and_paths_are_relative_to_the_config(tmp_path: Path) -> None:
    settings = {"model": "openai/a", "timeout": "30", "concurrency": 4, "cache_dir": "cache",
                "debug_file": "/abs/debug.jsonl"}
    config = resolve_llm_config({"model": "openai/b", "concurrency": None, "cache": False}, settings, base_dir=tmp_path)
    assert (config.model, config.timeout_s, config.concurrency, config.cache) == ("openai/b", 30.0, 4, False)
    assert config.cache_dir == tmp_path / "cache" and config.debug_file == Path("/abs/debug.jsonl")


@pytest.mark.parametrize(("settings", "message"), [
    ({"modle": "x"}, "unknown llm setting(s): modle"),
    ({"concurrency": 0}, "concurrency must be ≥ 1"),
    ({"timeout": "soon"}, "timeout_s: invalid value"),
    ({"deadline": 0}, "deadline > 0"),
    ({"deadline": "nan"}, "deadline > 0"),
    ({"deadline": "inf"}, "deadline > 0"),
])
def test_bad_settings_are_one_line_errors(settings: dict[str, object], message: str) -> None:
    with pytest.raises(KafkaPilotError, match=re.escape(message)):
        resolve_llm_config({}, settings)


def test_dotenv_fills_only_unset_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("FROM_DOTENV=1\nMY_KEY='from file'\n")
    monkeypatch.setenv("MY_KEY", "from environment")
    resolve_llm_config({"model": "openai/x"}, {})
    assert os.environ["FROM_DOTENV"] == "1" and os.environ["MY_KEY"] == "from environment"
    monkeypatch.delenv("FROM_DOTENV")
    with pytest.raises(KafkaPilotError, match="env file not found"):
        resolve_llm_config({"model": "openai/x"}, {"env_file": "missing.env"}, base_dir=tmp_path)
    assert load_dotenv(tmp_path / "none.env") == []


def test_api_key_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    assert LLMConfig(model="openai/x", api_base="http://127.0.0.1:1/v1").api_key() == "no-key-needed"
    assert LLMConfig(model="anthropic/claude-sonnet-4-5").api_key() is None  # litellm reads ANTHROPIC_API_KEY
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    assert LLMConfig(model="openai/x", api_base="http://127.0.0.1:1/v1").api_key() is None
    monkeypatch.setenv("MY_KEY", "sk-mine")
    assert LLMConfig(model="openai/x", api_key_env="MY_KEY").api_key() == "sk-mine"
    with pytest.raises(KafkaPilotError, match="UNSET_KEY is not set"):
        LLMConfig(model="openai/x", api_key_env="UNSET_KEY").api_key()


def test_cache_dir_default_and_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert default_cache_dir() == Path.home() / ".cache" / "kafkapilot" / "llm"
    monkeypatch.setenv("KAFKAPILOT_LLM_CACHE_DIR", str(tmp_path))
    assert default_cache_dir() == tmp_path
