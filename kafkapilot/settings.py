"""User settings from a YAML config file, overridable on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kafkapilot.errors import KafkaPilotError

__all__ = ["Settings", "load_settings", "parse_param_overrides"]


class Settings(BaseModel):
    """kafkapilot.yaml: task parameters and defaults for the analyse command."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    params: dict[str, dict[str, Any]] = Field(default_factory=dict, description="task id → parameter → value")
    tasks_dirs: tuple[Path, ...] = Field(default=(), description="extra task directories (override built-ins by id)")
    disabled_tasks: tuple[str, ...] = ()
    llm: dict[str, Any] = Field(default_factory=dict, description="model, api_base, timeout, concurrency …")
    waivers: Path | None = Field(default=None, description="waiver file (relative to this file); --waivers wins")


def load_settings(path: Path | None) -> Settings:
    """Read a settings file; None gives the defaults."""
    if path is None:
        return Settings()
    import yaml  # noqa: PLC0415 - only for a config file: the analyse command imports no YAML parser otherwise

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise KafkaPilotError(f"cannot read config: {exc.strerror}", where=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise KafkaPilotError(f"invalid YAML: {getattr(exc, 'problem', exc)}", where=where) from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(p) for p in first["loc"])
        raise KafkaPilotError(f"{location}: {first['msg']}", where=str(path)) from None
    base = path.parent
    return settings.model_copy(update={"tasks_dirs": tuple(base / d for d in settings.tasks_dirs),
                                       "waivers": base / settings.waivers if settings.waivers else None})


def merged_params(settings: Settings, values: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The settings file's `params:` with `--param` values over them, per task."""
    overrides = {**settings.params}
    for task_id, given in parse_param_overrides(values).items():
        overrides[task_id] = {**overrides.get(task_id, {}), **given}
    return overrides


def parse_param_overrides(values: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """`--param task_id.name=value` (value read as YAML: 8, true, [a, b]) into a nested dict."""
    overrides: dict[str, dict[str, Any]] = {}
    for value in values:
        target, sep, raw = value.partition("=")
        task_id, dot, name = target.partition(".")
        if not sep or not dot or not task_id or not name:
            raise KafkaPilotError(f"expected TASK_ID.PARAM=VALUE, got {value!r}", where="--param")
        import yaml  # noqa: PLC0415 - only for --param (a module already loaded after the first)

        try:
            parsed = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            parsed = raw
        overrides.setdefault(task_id, {})[name] = parsed
    return overrides
