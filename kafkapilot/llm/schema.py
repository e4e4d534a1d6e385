"""The answer a model must give, as a pydantic model, its JSON Schema, and its validation.

    {"summary": "...", "findings": [{"title", "severity", "hosts", "summary",
                                     "evidence": [{"host", "quote"}], "remediation"}]}

An empty `findings` list is the explicit "no problem" answer (the task passes). Answers in the
original tool's shape ({"findings": [{type, description, severity, brokers_analyzed,
recommendation}]}) are accepted too, so that its task files run unchanged: there an `info` item is
its prompts' "all is well" report (it becomes the summary, not a finding), and an item with no
valid severity takes the most severe of the task's `severity_keywords` found in its description,
else the task's severity.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kafkapilot.findings import Severity

__all__ = [
    "SCHEMA_NAME", "Answer", "AnswerFinding", "Quote", "Severities", "answer_schema", "parse_answer", "response_format",
]

SCHEMA_NAME: Final = "kafkapilot_findings"
_UNPORTABLE: Final = frozenset({"default", "minLength", "maxLength", "title"})
_SEVERITY_WORDS: Final = {"warning": "medium", "warn": "medium", "error": "high", "fatal": "critical",
                          "information": "info"}


class _Strict(BaseModel):
    # Every field required in the schema (OpenAI strict mode), no extra keys.
    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_serialization_defaults_required=True)


class Quote(_Strict):
    """One line of evidence, quoted from the data, with the host (token) it comes from."""

    host: str = Field(description="host token, e.g. broker-1, or empty for cluster-wide data")
    quote: str = Field(description="the line exactly as it appears in the data")


class AnswerFinding(_Strict):
    """One problem the model found."""

    title: str = Field(description="the problem, in a few words", min_length=1, max_length=200)
    severity: Severity = Field(description="critical, high, medium, low or info")
    hosts: list[str] = Field(default_factory=list, description="host tokens concerned, e.g. [broker-1]")
    summary: str = Field(description="one or two sentences: what is wrong and why it matters", min_length=1)
    evidence: list[Quote] = Field(default_factory=list, description="lines quoted from the data")
    remediation: str = Field(default="", description="what the operator should do")
    _original_shape: bool = PrivateAttr(default=False)  # translated from the original tool's answer shape

    @property
    def original_shape(self) -> bool:
        """True when the model answered in the original tool's shape (which has no quotes)."""
        return self._original_shape

    @field_validator("severity", mode="before")
    @classmethod
    def _severity_word(cls, value: object) -> object:
        if isinstance(value, str):
            word = value.strip().lower()
            return _SEVERITY_WORDS.get(word, word)
        return value


class Answer(_Strict):
    """The whole answer. No findings means no problem found."""

    summary: str = Field(default="", description="one sentence: the overall verdict")
    findings: list[AnswerFinding] = Field(description="the problems found; an empty list when there is none")

    @model_validator(mode="before")
    @classmethod
    def _original_shape(cls, data: object, info: ValidationInfo) -> object:
        """Translate the original tool's answer keys into ours."""
        if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
            return data
        context = info.context if isinstance(info.context, Severities) else Severities()
        findings, verdicts = [], []
        for item in data["findings"]:
            if not (isinstance(item, dict) and "type" in item and "title" not in item):
                findings.append(item)
                continue
            translated = _from_original(item, context)
            if translated["severity"] == Severity.INFO.value:
                verdicts.append(translated["summary"])
            else:
                finding = AnswerFinding.model_validate(translated)
                finding._original_shape = True  # noqa: SLF001 - set where it is known
                findings.append(finding)
        summary = data.get("summary") or " ".join(verdicts)
        return {**data, "summary": summary, "findings": findings}


class Severities(BaseModel):
    """What decides the severity of an answer in the original's shape that states none (validation context)."""

    keywords: dict[str, Severity] = Field(default_factory=dict)
    default: Severity = Severity.MEDIUM

    def of(self, stated: object, text: str) -> str:
        """The stated severity when it is one; else the most severe keyword in `text`; else the default."""
        if isinstance(stated, str):
            word = _SEVERITY_WORDS.get(stated.strip().lower(), stated.strip().lower())
            if word in Severity._value2member_map_:
                return word
        lowered = text.lower()
        matched = [severity for keyword, severity in self.keywords.items() if keyword.lower() in lowered]
        return min(matched, key=lambda s: s.rank, default=self.default).value


def _from_original(item: dict[str, Any], severities: Severities) -> dict[str, Any]:
    brokers = item.get("brokers_analyzed") or []
    if not isinstance(brokers, list):
        brokers = [brokers]
    description = str(item.get("description") or item.get("type") or "")
    return {
        "title": str(item.get("type") or "finding"),
        "severity": severities.of(item.get("severity"), description),
        # brokers_analyzed holds names or {"broker_id": ...} objects in the original's prompts
        "hosts": [str(b.get("broker_id") or b.get("host") or "") if isinstance(b, dict) else str(b) for b in brokers],
        "summary": description,
        "evidence": [],
        "remediation": str(item.get("recommendation") or ""),
    }


@cache
def answer_schema() -> dict[str, Any]:
    """JSON Schema of the answer for OpenAI strict mode: every key required, no extra keys,
    and none of the keywords strict mode refuses (lengths, defaults); pydantic checks those here."""
    return _portable(Answer.model_json_schema(mode="serialization"))  # cached: treat as read-only


def _portable(node: Any, *, names: bool = False) -> Any:
    if isinstance(node, dict):
        # Under "properties" and "$defs" the keys are names, not keywords: keep them all.
        return {k: _portable(v, names=k in {"properties", "$defs"})
                for k, v in node.items() if names or k not in _UNPORTABLE}
    if isinstance(node, list):
        return [_portable(v) for v in node]
    return node


def response_format() -> dict[str, Any]:
    """The `response_format` argument asking for structured output in OpenAI's json_schema mode."""
    from kafkapilot.llm.structured import Mode, response_format_for  # noqa: PLC0415 - one definition of the forms

    form = response_format_for(Mode.JSON_SCHEMA, SCHEMA_NAME, answer_schema())
    assert form is not None  # noqa: S101 - json_schema always has a form
    return form


def parse_answer(content: str | None, severities: Severities | None = None) -> tuple[Answer | None, str | None]:
    """(answer, None) for a valid answer, else (None, the reason, short enough to send back).
    `severities`: how an answer in the original's shape without a severity gets one."""
    if not content or not content.strip():
        return None, "the answer was empty"
    text = _strip_fence(content.strip())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"the answer is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    try:
        return Answer.model_validate(data, context=severities), None
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in exc.errors()[:5]]
        return None, "the answer does not match the schema: " + "; ".join(problems)


def _strip_fence(text: str) -> str:
    """Models without structured output often wrap JSON in ```json fences."""
    if text.startswith("```"):
        body = text.split("\n", 1)[1] if "\n" in text else ""
        return body.rsplit("```", 1)[0].strip()
    return text
