"""What a self-hosted model server says about itself: its context window, how many requests it
serves at once, and how it counts tokens. Asked only of the API base the operator gave (never of a
cloud provider), with a short timeout; a server that says nothing leaves them unknown.

llama.cpp's server    GET  /props      default_generation_settings.n_ctx, total_slots
vLLM, llama.cpp       GET  /v1/models  data[].max_model_len (vLLM), data[].meta.n_ctx_train (llama.cpp)
Ollama                POST /api/show   model_info["<arch>.context_length"], parameters "num_ctx N"

Tokens are counted by the model's own tokenizer where the server offers it (litellm does not know
a local model's tokenizer and falls back to OpenAI's, which counts JSON-heavy prompts for a small
vocabulary a third too low: the calls then overflow the context they were divided to fit):
llama-cpp-python      POST /extras/tokenize/count  {"input": TEXT} -> {"count": N}
llama.cpp             POST /tokenize               {"content": TEXT} -> {"tokens": [...]}
vLLM                  POST /tokenize               {"model": NAME, "prompt": TEXT} -> {"count": N}
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from typing import Any, Final

__all__ = ["ServerInfo", "discover", "server_tokens"]

_TIMEOUT_S: Final = 3.0
_MAX_BYTES: Final = 1024 * 1024
_NUM_CTX: Final = re.compile(r"\bnum_ctx\s+(\d+)")


@dataclass(frozen=True)
class ServerInfo:
    """What the server said (None: it did not say), and where."""

    context_window: int | None = None
    slots: int | None = None
    source: str = ""
    tokenizer: str = ""  # the URL that counts tokens with the model's own tokenizer ("": none)
    tokenizer_body: str = ""  # the request's form there: "input" (llama-cpp-python), "content", "prompt"
    model_name: str = ""


def discover(api_base: str | None, model: str) -> ServerInfo:
    """Ask the server at `api_base` about `model`; ServerInfo() when there is none or it says nothing."""
    if not api_base:
        return ServerInfo()
    base = api_base.rstrip("/")
    root = base[: -len("/v1")] if base.endswith("/v1") else base
    name = model.split("/", 1)[1] if "/" in model else model
    info = _sizes(base, root, model, name)
    for url, form in ((f"{root}/extras/tokenize/count", "input"), (f"{root}/tokenize", "content"),
                      (f"{root}/tokenize", "prompt")):
        found = replace(info, tokenizer=url, tokenizer_body=form, model_name=name)
        if server_tokens(found, "kafka") is not None:
            return found
    return info


def server_tokens(info: ServerInfo, text: str) -> int | None:
    """How many tokens `text` is for the model, counted by the server (None: it cannot say)."""
    if not info.tokenizer:
        return None
    body: dict[str, Any] = {info.tokenizer_body: text}
    if info.tokenizer_body == "prompt":
        body["model"] = info.model_name
    answer = _post(info.tokenizer, body)
    if not isinstance(answer, dict):
        return None
    if isinstance(answer.get("tokens"), list) and info.tokenizer_body == "content":
        return len(answer["tokens"])
    count = answer.get("count")
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None


def _sizes(base: str, root: str, model: str, name: str) -> ServerInfo:
    """The context window and slots the server states."""
    props = _get(f"{root}/props")
    if isinstance(props, dict):
        settings = props.get("default_generation_settings") or {}
        context = _positive(settings.get("n_ctx") if isinstance(settings, dict) else None) or _positive(
            props.get("n_ctx"))
        slots = _positive(props.get("total_slots"))
        if context or slots:
            return ServerInfo(context, slots, f"{root}/props")
    models = _get(f"{base}/models")
    if isinstance(models, dict) and isinstance(models.get("data"), list):
        for entry in models["data"]:
            if not isinstance(entry, dict) or entry.get("id") not in (name, model, None):
                continue
            meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
            context = _positive(entry.get("max_model_len")) or _positive(meta.get("n_ctx"))
            context = context or _positive(meta.get("n_ctx_train"))
            if context:
                return ServerInfo(context, None, f"{base}/models")
    if model.startswith(("ollama/", "ollama_chat/")):
        shown = _post(f"{root}/api/show", {"model": name})
        if isinstance(shown, dict):
            parameters = str(shown.get("parameters") or "")
            found = _NUM_CTX.search(parameters)
            info = shown.get("model_info") if isinstance(shown.get("model_info"), dict) else {}
            lengths = [_positive(v) for k, v in info.items() if str(k).endswith(".context_length")]
            context = _positive(found.group(1)) if found else next((n for n in lengths if n), None)
            if context:
                return ServerInfo(context, None, f"{root}/api/show")
    return ServerInfo()


def _positive(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _get(url: str) -> Any:
    return _request(urllib.request.Request(url, method="GET"))  # noqa: S310 - the operator's own API base


def _post(url: str, body: dict[str, Any]) -> Any:
    data = json.dumps(body).encode()
    return _request(urllib.request.Request(url, data=data, method="POST",  # noqa: S310 - the operator's API base
                                           headers={"Content-Type": "application/json"}))


def _request(request: urllib.request.Request) -> Any:
    if not request.full_url.startswith(("http://", "https://")):
        return None
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:  # noqa: S310 - checked scheme
            return json.loads(response.read(_MAX_BYTES))
    except (OSError, ValueError, urllib.error.URLError):
        return None
