"""LLM settings: command-line options over the settings file's `llm:` mapping over defaults.

API keys are never options: litellm reads the provider's usual environment variables
(OPENAI_API_KEY, ANTHROPIC_API_KEY, AZURE_API_KEY …), which may also come from a `.env`
file (the current directory's, or `llm.env_file` in the settings). `llm.api_key_env` names
another variable to take the key from.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Final

from kafkapilot.errors import KafkaPilotError

__all__ = ["CACHE_DIR_ENV", "LLMConfig", "default_cache_dir", "load_dotenv", "resolve_llm_config"]

CACHE_DIR_ENV: Final = "KAFKAPILOT_LLM_CACHE_DIR"
_PLACEHOLDER_KEY: Final = "no-key-needed"  # the OpenAI client insists on a key, local servers ignore it


def default_cache_dir() -> Path:
    """$KAFKAPILOT_LLM_CACHE_DIR, else ~/.cache/kafkapilot/llm (XDG_CACHE_HOME honoured)."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kafkapilot" / "llm"


@dataclass(frozen=True)
class LLMConfig:
    """Everything the prompt runner needs to call a model. `model=None` means no LLM."""

    model: str | None = None
    api_base: str | None = None
    api_key_env: str | None = None
    timeout_s: float = 120.0
    deadline_s: float = 600.0  # for the whole LLM phase: a call still running then ends as its task's error
    concurrency: int | None = None  # None: what the server serves at once (kafkapilot.llm.runner.concurrency_for)
    retries: int = 3
    backoff_s: float = 1.0
    temperature: float = 0.0
    max_tokens_per_request: int | None = None  # overrides every task's budget
    context_window: int | None = None  # when neither the server nor litellm's model map says
    max_output_tokens: int = 1024  # max_tokens of every call (at most a quarter of a known context)
    default_budget_tokens: int = 30_000  # when neither the task nor the model says
    max_log_lines: int = 400  # per node, before the budget trims further
    cache: bool = True
    cache_dir: Path | None = None
    debug_file: Path | None = None
    progress: bool = True

    @property
    def enabled(self) -> bool:
        """True when a model is configured."""
        return bool(self.model)

    def resolved_cache_dir(self) -> Path:
        """Where answers are cached."""
        return self.cache_dir or default_cache_dir()

    def api_key(self) -> str | None:
        """The key to pass explicitly, or None to let litellm read the provider's variable."""
        if self.api_key_env:
            value = os.environ.get(self.api_key_env)
            if not value:
                raise KafkaPilotError(f"environment variable {self.api_key_env} is not set", where="llm.api_key_env")
            return value
        if self.api_base and (self.model or "").startswith("openai/") and not os.environ.get("OPENAI_API_KEY"):
            return _PLACEHOLDER_KEY
        return None


_SETTING_KEYS: Final = {
    "model": "model",
    "api_base": "api_base",
    "api_key_env": "api_key_env",
    "timeout": "timeout_s",
    "deadline": "deadline_s",
    "concurrency": "concurrency",
    "context_window": "context_window",
    "max_output_tokens": "max_output_tokens",
    "retries": "retries",
    "backoff": "backoff_s",
    "temperature": "temperature",
    "max_tokens_per_request": "max_tokens_per_request",
    "default_budget_tokens": "default_budget_tokens",
    "max_log_lines": "max_log_lines",
    "cache": "cache",
    "cache_dir": "cache_dir",
    "debug_file": "debug_file",
}
_ONLY_IN_SETTINGS: Final = ("env_file",)


def resolve_llm_config(
    options: Mapping[str, Any],
    settings: Mapping[str, Any],
    *,
    base_dir: Path | None = None,
) -> LLMConfig:
    """Merge defaults, the settings' `llm:` mapping, then options that were given (not None).

    `options` uses the same keys as the settings file (model, api_base, timeout, …).
    Relative paths in the settings are taken from `base_dir` (the settings file's folder).
    """
    unknown = sorted(set(settings) - set(_SETTING_KEYS) - set(_ONLY_IN_SETTINGS))
    if unknown:
        raise KafkaPilotError(
            f"unknown llm setting(s): {', '.join(unknown)}", where="config llm:",
            hint=f"known: {', '.join(sorted(_SETTING_KEYS))}"
        )
    values: dict[str, Any] = {}
    for source in (settings, options):
        for key, value in source.items():
            if key in _SETTING_KEYS and value is not None:
                values[_SETTING_KEYS[key]] = value
    config = LLMConfig(**{k: _coerce(k, v, base_dir) for k, v in values.items()})
    at_least_one = [v for v in (config.concurrency, config.context_window, config.max_output_tokens) if v is not None]
    if (min(at_least_one) < 1 or config.timeout_s <= 0 or config.retries < 0
            or not 0 < config.deadline_s < math.inf):
        raise KafkaPilotError("concurrency must be ≥ 1 (and context_window, max_output_tokens), timeout > 0, "
                              "deadline > 0 and retries ≥ 0",
                              where="llm settings")
    if config.enabled:
        env_file = settings.get("env_file")
        load_dotenv(_path(env_file, base_dir) if env_file else Path.cwd() / ".env", required=bool(env_file))
    return config


def _coerce(name: str, value: Any, base_dir: Path | None) -> Any:
    kind = {f.name: f.type for f in fields(LLMConfig)}[name]
    try:
        if "Path" in str(kind):
            return _path(value, base_dir)
        if kind in ("int", "int | None"):
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes", "on"}
    except (TypeError, ValueError):
        raise KafkaPilotError(f"llm setting {name}: invalid value {value!r}", where="llm settings") from None
    return str(value)


def _path(value: Any, base_dir: Path | None) -> Path:
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() or base_dir is None else base_dir / path


def load_dotenv(path: Path, *, required: bool = False) -> list[str]:
    """Set the variables of a `.env` file that are not already set; return their names."""
    from kafkapilot.parsers.envfile import parse_environment_file  # noqa: PLC0415

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise KafkaPilotError("env file not found", where=str(path)) from None
        return []
    except OSError as exc:
        raise KafkaPilotError(f"cannot read env file: {exc.strerror}", where=str(path)) from None
    values = parse_environment_file(text)
    added = [key for key in values if key not in os.environ]
    for key in added:
        os.environ[key] = values[key]
    return added
