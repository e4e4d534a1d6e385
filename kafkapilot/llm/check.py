"""`kafkapilot llm check`: one tiny request, to see that the model answers, how fast, and whether
it gives structured output (JSON that matches a schema)."""

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
    from kafkapilot.llm import client  # noqa: PLC0415 - imports litellm

    model = config.model or ""
    declared, accepted = client.structured_output_support(model)
    request: dict[str, Any] = {
        "model": model, "messages": _MESSAGES, "timeout_s": config.timeout_s, "temperature": config.temperature,
        "api_base": config.api_base, "api_key": config.api_key(),
    }
    schema_format = {"type": "json_schema", "json_schema": {"name": "check", "schema": _SCHEMA, "strict": True}}
    rejected = ""
    try:
        result = await client.complete(**request, response_format=schema_format if accepted else None)
    except CallError as exc:
        if not accepted or not rejects_response_format(exc):
            raise KafkaPilotError(f"the model did not answer: {exc.reason}", where=model) from None
        rejected = exc.reason
        try:
            result = await client.complete(**request)
        except CallError as again:
            raise KafkaPilotError(f"the model did not answer: {again.reason}", where=model) from None
    return [
        ("model", model),
        ("api base", config.api_base or "(the provider's default)"),
        ("latency", f"{result.latency_s:.2f} s"),
        ("structured output",
         _structured_verdict(result, accepted=accepted and not rejected, rejected=rejected, declared=declared)),
        ("answer", (result.content or "").strip()[:200] or "(empty)"),
        ("tokens", f"{result.tokens_in} in, {result.tokens_out} out; cost ${result.cost_usd:.6f}"),
    ]


def _structured_verdict(result: CallResult, *, accepted: bool, rejected: str, declared: bool) -> str:
    valid = _matches(result.content)
    map_note = f"litellm's model map says {'yes' if declared else 'no'}"
    if rejected:
        return f"no: the server refused response_format ({rejected}); {map_note}"
    if accepted and valid:
        return f"yes: response_format json_schema was sent and the answer matched it; {map_note}"
    if accepted:
        return f"unreliable: response_format was sent but the answer did not match the schema; {map_note}"
    verdict = "the answer was valid JSON anyway" if valid else "the answer was not the JSON asked for"
    return (f"no: the provider takes no response_format ({verdict}; prompt tasks still validate every answer); "
            f"{map_note}")


def _matches(content: str | None) -> bool:
    try:
        data = json.loads((content or "").strip())
    except json.JSONDecodeError:
        return False
    return isinstance(data, dict) and set(data) == {"ok"} and isinstance(data["ok"], bool)
