"""`kafkapilot llm check`: tiny requests, to see that the model answers, how fast, and which
structured-output mode it takes (JSON that matches a schema), and why."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any, Final

from kafkapilot.errors import KafkaPilotError
from kafkapilot.exit_codes import EXIT_OK
from kafkapilot.llm.calls import CallError, CallResult, rejects_response_format
from kafkapilot.llm.config import LLMConfig, resolve_llm_config
from kafkapilot.llm.structured import MODES, Mode, ModeMemory, response_format_for
from kafkapilot.settings import load_settings

__all__ = ["run_check"]

_SCHEMA: Final = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}
_MESSAGES: Final = [
    {"role": "system", "content": "Answer with a single JSON object and nothing else."},
    {"role": "user", "content": 'Reply with {"ok": true}.'},
]


def run_check(*, model: str | None, api_base: str | None, llm_timeout: float | None, config_file: Path | None) -> int:
    """Ask the configured model once and print what was learnt; a failure is a one-line error."""
    settings = load_settings(config_file)
    config = resolve_llm_config(
        {"model": model, "api_base": api_base, "timeout": llm_timeout},
        settings.llm,
        base_dir=config_file.parent if config_file else None,
    )
    if not config.enabled:
        raise KafkaPilotError(
            "no model configured", where="llm check",
            hint="give --model (e.g. openai/gpt-4o-mini) or llm: {model: …} in the config"
        )
    lines = asyncio.run(_probe(config))
    sys.stdout.write("\n".join(f"{key + ':':<19}{value}" for key, value in lines) + "\n")
    return EXIT_OK


async def _probe(config: LLMConfig) -> list[tuple[str, str]]:
    """Ask in each structured-output mode in turn (kafkapilot.llm.structured) until one is accepted and
    answered with the JSON asked for; remember that mode for the analyses that follow."""
    from kafkapilot.llm import client  # noqa: PLC0415 - imports litellm

    model = config.model or ""
    declared, accepted = client.structured_output_support(model)
    request: dict[str, Any] = {
        "model": model, "messages": _MESSAGES, "timeout_s": config.timeout_s, "temperature": config.temperature,
        "api_base": config.api_base, "api_key": config.api_key(),
    }
    notes: list[str] = []
    chosen: tuple[Mode, CallResult] | None = None
    fallback: tuple[Mode, CallResult] | None = None
    for mode in MODES if accepted else (Mode.NONE,):
        try:
            result = await client.complete(**request, response_format=response_format_for(mode, "check", _SCHEMA))
        except CallError as exc:
            if mode is not Mode.NONE and rejects_response_format(exc):
                notes.append(f"{mode.value} refused ({exc.reason})")
                continue
            raise KafkaPilotError(f"the model did not answer: {exc.reason}", where=model) from None
        if _matches(result.content):
            chosen = (mode, result)
            break
        notes.append(f"{mode.value} accepted but the answer was not the JSON asked for")
        fallback = fallback or (mode, result)
    mode, result = chosen or fallback or (Mode.NONE, result)
    why = "; ".join(notes) or ("the first mode tried" if accepted else "the provider takes no response_format")
    ModeMemory(config.resolved_cache_dir(), enabled=config.cache).remember(model, config.api_base, mode, why)
    return [
        ("model", model),
        ("api base", config.api_base or "(the provider's default)"),
        ("latency", f"{result.latency_s:.2f} s"),
        ("structured output", f"{mode.value}: {why}; litellm's model map says {'yes' if declared else 'no'}"),
        ("answer", (result.content or "").strip()[:200] or "(empty)"),
        ("tokens", f"{result.tokens_in} in, {result.tokens_out} out; cost ${result.cost_usd:.6f}"),
    ]


def _matches(content: str | None) -> bool:
    try:
        data = json.loads((content or "").strip())
    except json.JSONDecodeError:
        return False
    return isinstance(data, dict) and set(data) == {"ok"} and isinstance(data["ok"], bool)
