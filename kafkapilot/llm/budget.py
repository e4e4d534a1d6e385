"""Fit one call's data into its token budget. Data that does not fit is divided across calls:
the facts go with every part, the raw files and logs are cut into consecutive line ranges, and a
single line too long for a call alone is cut; only beyond MAX_PARTS calls is the rest left out
(the runner says so). Facts too large to go with every part are divided like the rest, each line
(one fact or one group of facts) in one call: the smallest unit of data goes alone, never nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from kafkapilot.llm.data import Section

__all__ = ["MAX_PARTS", "budget_for", "output_budget", "split_to_fit"]

_TEMPLATE_MARGIN: Final = 64  # tokens of the chat template around the messages
MAX_PARTS: Final = 8  # calls one unit of data (a broker, the cluster) may be divided into
_CUT: Final = " [cut]"  # the end of a line cut to fit


def output_budget(max_output_tokens: int, model_context: int | None) -> int:
    """`max_tokens` of every call: the configured answer size, at most a quarter of a known context."""
    return min(max_output_tokens, model_context // 4) if model_context else max_output_tokens


def budget_for(task_budget: int | None, override: int | None, default: int, model_context: int | None,
               answer_tokens: int = 0) -> int:
    """The input budget of a call: --max-tokens-per-request, else the task's, else the default; never above
    what the model's context holds once the answer (`answer_tokens`) and the chat template have room."""
    budget = override or task_budget or default
    if model_context:
        budget = min(budget, max(1, model_context - answer_tokens - _TEMPLATE_MARGIN))
    return budget


def split_to_fit(
    sections: list[Section], budget: int, count: Callable[[list[Section]], int], max_parts: int = MAX_PARTS,
    *, divide_facts: bool = False,
) -> tuple[list[list[Section]], list[Section]]:
    """([sections of each call], what is left beyond `max_parts` calls). Every part holds the sections
    that are never trimmed (facts) and consecutive line ranges of the others, in order."""
    if count(sections) <= budget:
        return [sections], []
    original = sections
    fixed = [s for s in sections if s.trim == "never"]
    if divide_facts or count(fixed) > budget:  # the facts do not fit beside anything: they are divided too, first
        fixed, sections = [], [*fixed, *(s for s in sections if s.trim != "never")]
    kept = {id(s) for s in fixed}
    queue = [(s, list(s.lines)) for s in sections if id(s) not in kept and s.lines]
    parts: list[list[Section]] = []
    current: list[Section] = list(fixed)
    while queue and len(parts) < max_parts:
        section, lines = queue[0]
        taken = _most_lines(current, section, lines, budget, count)
        if taken == 0 and len(current) == len(fixed):
            # not even one line fits beside the facts: that line goes alone, cut to fit
            cut = _cut_line(current, section, lines[0], budget, count)
            if cut == _CUT and fixed:  # not one character fits beside the facts: divide them too
                return split_to_fit(original, budget, count, max_parts, divide_facts=True)
            if cut == _CUT:  # not one character of data fits: the prompt itself is too large
                return [], original
            lines = [cut, *lines[1:]]
            taken = 1
        if taken:
            current.append(_part_of(section, lines[:taken], len(section.lines) - len(lines)))
            lines = lines[taken:]
            queue[0] = (section, lines)
        if not lines:
            queue.pop(0)
        if taken == 0 or (lines and queue):
            parts.append(current)
            current = list(fixed)
    if len(current) > len(fixed) and len(parts) < max_parts:
        parts.append(current)
    rest = [_part_of(section, lines, len(section.lines) - len(lines)) for section, lines in queue if lines]
    return parts, rest


def _part_of(section: Section, lines: list[str], start: int) -> Section:
    """A range of a section's lines, titled with the range when it is not all of them."""
    title = section.title
    if len(lines) != len(section.lines):
        title += f" [lines {start + 1}-{start + len(lines)} of {len(section.lines)}]"
    return Section(section.kind, section.host, title, lines, section.trim, note=section.note)


def _most_lines(current: list[Section], section: Section, lines: list[str], budget: int,
                count: Callable[[list[Section]], int]) -> int:
    """How many of `lines` (from the first) fit beside `current` (binary search)."""
    if count([*current, _part_of(section, lines, 0)]) <= budget:
        return len(lines)
    low, high = 0, len(lines)  # low fits, high does not
    while high - low > 1:
        middle = (low + high) // 2
        if count([*current, _part_of(section, lines[:middle], 0)]) <= budget:
            low = middle
        else:
            high = middle
    return low


def _cut_line(current: list[Section], section: Section, line: str, budget: int,
              count: Callable[[list[Section]], int]) -> str:
    """The longest start of `line` that fits beside `current` (marked as cut)."""
    low, high = 0, len(line)
    while high - low > 1:
        middle = (low + high) // 2
        if count([*current, _part_of(section, [line[:middle] + _CUT], 0)]) <= budget:
            low = middle
        else:
            high = middle
    return line[:low] + _CUT
