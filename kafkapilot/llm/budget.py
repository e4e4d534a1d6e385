"""Fit one call's data into its token budget: drop the oldest log lines first, then the last
lines of the other raw files; never the facts. Says what was left out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from kafkapilot.llm.data import Section

__all__ = ["OUTPUT_RESERVE", "budget_for", "fit", "left_out"]

OUTPUT_RESERVE: Final = 4096  # tokens kept free for the answer in the model's context
_STEPS: Final = 1000  # resolution of the kept fraction (per mille)


def budget_for(task_budget: int | None, override: int | None, default: int, model_context: int | None) -> int:
    """The budget of a call: --max-tokens-per-request, else the task's, else the default; never above
    what the model's context holds (minus room for the answer)."""
    budget = override or task_budget or default
    if model_context:
        budget = min(budget, max(1, model_context - OUTPUT_RESERVE))
    return budget


def fit(sections: list[Section], budget: int, count: Callable[[list[Section]], int]) -> tuple[int, str | None]:
    """Trim `sections` in place until `count(sections) <= budget`; return (tokens, None) or (tokens, why not)."""
    originals = {id(s): list(s.lines) for s in sections}
    tokens = count(sections)
    if tokens <= budget:
        return tokens, None
    groups = [[s for s in sections if s.trim == "oldest"]]
    groups += [[s] for s in sorted((s for s in sections if s.trim == "newest"), key=lambda s: -len(s.lines))]
    for group in groups:
        if not group:
            continue
        _keep(group, originals, 0)
        if count(sections) > budget:
            continue  # even without these lines it does not fit: drop them all, go on
        low, high = 0, _STEPS  # low always fits, high does not
        while high - low > 1:
            middle = (low + high) // 2
            _keep(group, originals, middle)
            if count(sections) <= budget:
                low = middle
            else:
                high = middle
        _keep(group, originals, low)
        return count(sections), None
    tokens = count(sections)
    return tokens, f"the data does not fit in {budget:,} tokens even without logs and raw files ({tokens:,} tokens)"


def _keep(group: list[Section], originals: dict[int, list[str]], per_mille: int) -> None:
    for section in group:
        lines = originals[id(section)]
        count = len(lines) * per_mille // _STEPS
        section.lines = lines[len(lines) - count :] if section.trim == "oldest" else lines[:count]


def left_out(sections: list[Section], budget: int) -> list[str]:
    """One phrase per section the budget trimmed (real host names: for the report)."""
    phrases = []
    for section in sections:
        if section.dropped:
            which = "oldest" if section.trim == "oldest" else "last"
            where = f"{section.host}: " if section.host else ""
            phrases.append(f"{where}{section.dropped:,} {which} of {section.total:,} lines of {section.kind} "
                           f"({_name(section)})")
    if phrases:
        phrases[-1] += f" to fit {budget:,} tokens"
    return phrases


def _name(section: Section) -> str:
    """The file or command of a section, without the sampling note."""
    title = section.title.split(": ", 1)[0]
    return title.split(" ", 1)[1] if section.host and " " in title else title
