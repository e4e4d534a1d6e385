"""An answer is believed only where it is grounded in the data that was sent.

Every quote of a finding must occur in the data blocks of that call (whitespace runs compared as
one space: models re-indent), not merely in the task's instructions; a finding in our answer shape
needs at least one quote; and no text of an answer may be the schema's own description or one of
its placeholders ("one sentence", "exact line", "..."), which small models echo back. The original
tool's answer shape carries no quotes: such findings are accepted on their description, which
must not be copied from the task's prompt either.
"""

from __future__ import annotations

import re
from typing import Final

from kafkapilot.llm.schema import Answer, AnswerFinding, Quote

__all__ = ["grounding_problem"]

_DATA_BLOCK: Final = re.compile(r'<data kind="[a-z]+">\n(.*?)\n</data>', re.DOTALL)
_SPACES: Final = re.compile(r"\s+")
#: texts of the schema and of the answer form that are never an answer
_PLACEHOLDERS: Final = frozenset({
    "", "...", "…", "one sentence", "exact line", "the line exactly as it appears in the data",
    "the problem, in a few words", "one or two sentences: what is wrong and why it matters",
    "what the operator should do", "one sentence: the overall verdict", "host token, e.g. broker-1, or empty for "
    "cluster-wide data", "critical|high|medium|low|info", "string", "title", "summary", "quote", "remediation",
})
_MAX_REPORTED: Final = 2


def _squeezed(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _placeholder(text: str) -> bool:
    return _squeezed(text).strip(" .\"'").lower() in _PLACEHOLDERS or set(_squeezed(text)) <= set(".… ")


def grounding_problem(answer: Answer, user_message: str, task_prompt: str) -> str | None:
    """Why `answer` is not grounded in the data of `user_message` (its <data> blocks), or None."""
    data = _squeezed("\n".join(_DATA_BLOCK.findall(user_message)))
    instructions = _squeezed(task_prompt)
    problems: list[str] = []
    for index, finding in enumerate(answer.findings, start=1):
        problems += [f"finding {index}: {p}" for p in _finding_problems(finding, data, instructions)]
    if not problems:
        return None
    more = f" (and {len(problems) - _MAX_REPORTED} more)" if len(problems) > _MAX_REPORTED else ""
    return "; ".join(problems[:_MAX_REPORTED]) + more


def _finding_problems(finding: AnswerFinding, data: str, instructions: str) -> list[str]:
    problems = [f"{name} is the schema's placeholder {value!r}, not an answer"
                for name, value in (("title", finding.title), ("summary", finding.summary)) if _placeholder(value)]
    if finding.original_shape:
        summary = _squeezed(finding.summary)
        if len(summary) > 20 and summary in instructions:  # a short phrase may repeat by chance
            problems.append("its description is copied from the task's instructions, not drawn from the data")
        return problems
    if not finding.evidence:
        problems.append("no evidence: quote at least one line of the data, exactly")
    problems += [problem for quote in finding.evidence if (problem := _quote_problem(quote, data))]
    return problems


def _quote_problem(quote: Quote, data: str) -> str:
    text = _squeezed(quote.quote)
    if _placeholder(text):
        return f"the quote {quote.quote!r} is a placeholder, not a line of the data"
    if text not in data:
        shown = text if len(text) <= 80 else text[:77] + "..."
        return f"the quote {shown!r} does not occur in the data sent; quote lines exactly as they appear"
    return ""
