"""The adapter to litellm: the only module that imports it, lazily, configured for a CLI.

Before the import: the local model cost map (no network at import) and error-level logging.
After it: no "Provider List" banners, no tokenizer downloads. Calls use `acompletion` with an
explicit timeout and max_retries=0 (kafkapilot.llm.calls retries). Everything litellm raises
becomes a CallError with a one-line reason.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from functools import cache
from types import ModuleType
from typing import Any

from kafkapilot.llm.calls import CallError, CallResult, names_response_format, parse_retry_after

__all__ = ["complete", "count_tokens", "litellm", "max_input_tokens", "structured_output_support"]

_TIMEOUT_MARGIN_S = 5.0  # our own guard above litellm's timeout
# "litellm.AuthenticationError: AuthenticationError: OpenAIException - Incorrect API key" → "Incorrect API key"
_PREFIXES = re.compile(r"^(?:litellm\.)?(?:\w+(?:Error|Exception|Timeout)(?::| -) )*")


@cache
def litellm() -> ModuleType:
    """Import and configure litellm once (takes seconds: only when really needed)."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_LOG", "ERROR")
    import litellm as module  # noqa: PLC0415 - the lazy import this module exists for

    module.suppress_debug_info = True
    module.disable_hf_tokenizer_download = True
    module.drop_params = True  # a provider that lacks a parameter (temperature …) drops it instead of failing
    return module


def count_tokens(model: str, messages: list[dict[str, str]]) -> int:
    """Tokens of `messages` with litellm's counter for this model (tiktoken fallback)."""
    return int(litellm().token_counter(model=model, messages=messages))


def max_input_tokens(model: str) -> int | None:
    """The model's context size from the local cost map, or None for unmapped (local) models."""
    try:
        info = litellm().get_model_info(model)
    except Exception:  # noqa: BLE001 - litellm raises for any unmapped model
        return None
    value = info.get("max_input_tokens")
    return int(value) if value else None


def structured_output_support(model: str) -> tuple[bool, bool]:
    """(declared by the cost map, response_format accepted by the provider's parameters)."""
    module = litellm()
    try:
        declared = bool(module.supports_response_schema(model=model))
    except Exception:  # noqa: BLE001
        declared = False
    try:
        name, provider, _, _ = module.get_llm_provider(model)
        params = module.get_supported_openai_params(model=name, custom_llm_provider=provider) or []
    except Exception:  # noqa: BLE001
        params = []
    return declared, declared or "response_format" in params


async def complete(
    *,
    model: str,
    messages: list[dict[str, str]],
    timeout_s: float,
    temperature: float,
    api_base: str | None = None,
    api_key: str | None = None,
    response_format: dict[str, Any] | None = None,
    max_tokens: int | None = None,
) -> CallResult:
    """One chat completion; raise CallError (retryable or not) on any failure."""
    module = litellm()
    kwargs: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "temperature": temperature,
        "timeout": timeout_s,
        "max_retries": 0,
    }
    if api_base:
        kwargs["api_base"] = api_base
    if api_key:
        kwargs["api_key"] = api_key
    if response_format is not None:
        kwargs["response_format"] = response_format
    if max_tokens is not None:
        kwargs["max_tokens"] = max_tokens
    started = time.perf_counter()
    try:
        response = await asyncio.wait_for(module.acompletion(**kwargs), timeout_s + _TIMEOUT_MARGIN_S)
    except TimeoutError:
        raise CallError(f"timed out after {timeout_s:g} s", retryable=True) from None
    except Exception as exc:  # noqa: BLE001 - every provider error becomes a CallError
        raise _call_error(exc, timeout_s) from None
    latency = time.perf_counter() - started
    usage = getattr(response, "usage", None)
    tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
    tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
    choices = getattr(response, "choices", None) or []
    content = choices[0].message.content if choices else None
    return CallResult(content, tokens_in, tokens_out, _cost(module, model, tokens_in, tokens_out), round(latency, 3))


def _cost(module: ModuleType, model: str, tokens_in: int, tokens_out: int) -> float:
    try:
        prompt_cost, completion_cost = module.cost_per_token(model=model, prompt_tokens=tokens_in,
                                                             completion_tokens=tokens_out)
    except Exception:  # noqa: BLE001 - unmapped (local) models have no price
        return 0.0
    return float(prompt_cost) + float(completion_cost)


def _call_error(exc: Exception, timeout_s: float) -> CallError:
    """Classify what litellm raised: 429, 408/timeouts, 5xx and connection errors are retryable."""
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    text = getattr(exc, "message", None) or str(exc)
    message = _first_line(text)
    if names_response_format(status, text):  # a refusal of structured output: the next mode, not a retry
        # pydantic-style refusals put the field on the lines after "1 validation error:"
        whole = _PREFIXES.sub("", " ".join(text.split())).split(' File "', 1)[0][:240]  # not the server's traceback
        return CallError(f"{status} {name}: {whole}", retryable=False)
    if "Timeout" in name or status == 408:
        return CallError(f"timed out after {timeout_s:g} s", retryable=True)
    if status == 429 or "RateLimit" in name:
        return CallError(f"rate limited (429): {message}", retryable=True, retry_after=_retry_after(exc))
    if isinstance(status, int) and status >= 500:
        return CallError(f"server error {status}: {message}", retryable=True, retry_after=_retry_after(exc))
    if "APIConnectionError" in name or "ServiceUnavailable" in name:
        return CallError(f"connection failed: {message}", retryable=True)
    label = f"{status} " if isinstance(status, int) else ""
    return CallError(f"{label}{name}: {message}", retryable=False)


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        value = headers.get("retry-after")
    except (AttributeError, TypeError):
        return None
    return parse_retry_after(value)


def _first_line(text: str) -> str:
    """The message without litellm's repeated class-name prefixes, on one line."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return _PREFIXES.sub("", line)[:200]
