"""LLM analysis through litellm: prompt tasks, run in parallel, within budget, cached, anonymised.

Importing this package does not import litellm: only `kafkapilot.llm.client` does, and only
when a call, a token count or a model lookup is really needed (a model is configured and the
answer is not in the cache).
"""

from __future__ import annotations

from kafkapilot.llm.config import LLMConfig, resolve_llm_config

__all__ = ["LLMConfig", "resolve_llm_config"]
