"""From the validated (anonymised) answers of a task's calls to its Finding and TaskRun.

Names are mapped back here, before anything reaches a Finding. Severity comes from the
answers (or the task when nothing failed), never from the prose, and never above the task's
declared severity: a model may judge a problem milder than the task's author, not graver. Every finding is marked
source="llm" with the model that wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kafkapilot.catalog.schema import Task
from kafkapilot.findings import Evidence, Finding, NotEvaluated, Status, TaskRun
from kafkapilot.llm.anonymise import Anonymiser
from kafkapilot.llm.calls import Usage
from kafkapilot.llm.schema import Answer, AnswerFinding
from kafkapilot.outcome import MAX_EVIDENCE, not_evaluated_text
from kafkapilot.subject_ids import host_subject

__all__ = ["Part", "UnitOutcome", "task_result"]


@dataclass
class Part:
    """One call's subjects (tokens) and its answer or error (anonymised)."""

    subjects: list[str]
    answer: Answer | None = None
    error: str | None = None


@dataclass
class UnitOutcome:
    """What one unit of work (a broker, or the cluster) gave; the cache stores exactly this."""

    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the budget left out: in the finding
    remarks: list[str] = field(default_factory=list)  # how the work was done: in the task run only
    usage: Usage = field(default_factory=Usage)
    cached: bool = False

    @property
    def complete(self) -> bool:
        """True when every call gave a valid answer (only then is it cached)."""
        return bool(self.parts) and all(p.answer is not None for p in self.parts)

    def to_json(self) -> dict[str, Any]:
        """The cache entry."""
        parts = [{"subjects": p.subjects, "answer": p.answer.model_dump(mode="json") if p.answer else None}
                 for p in self.parts]
        return {"parts": parts, "notes": self.notes, "remarks": self.remarks,
                "tokens_in": self.usage.tokens_in, "tokens_out": self.usage.tokens_out}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UnitOutcome:
        """A cached outcome: same answers and token counts, no cost (nothing was sent)."""
        parts = [Part(p["subjects"], Answer.model_validate(p["answer"])) for p in data["parts"]]
        usage = Usage(tokens_in=data.get("tokens_in", 0), tokens_out=data.get("tokens_out", 0))
        return cls(parts, list(data.get("notes", [])), list(data.get("remarks", [])), usage, cached=True)


def task_result(
    task: Task,
    model: str,
    anon: Anonymiser,
    outcomes: list[UnitOutcome],
    not_evaluated: list[NotEvaluated],
    *,
    known_hosts: set[str],
    duration_s: float,
) -> tuple[Finding, TaskRun]:
    """The finding of a prompt task and its accounting."""
    found = [f for o in outcomes for p in o.parts if p.answer for f in p.answer.findings]
    failed = [f"{', '.join(anon.restore_all(p.subjects))}: {anon.restore(p.error)}"
              for o in outcomes for p in o.parts if p.error]
    notes = [anon.restore(n) for o in outcomes for n in o.notes]
    checked = sorted({anon.restore(s) for o in outcomes for p in o.parts if p.answer for s in p.subjects})
    base: dict[str, Any] = {
        "task_id": task.id, "title": task.name, "category": task.category, "severity": task.severity,
        "impact": task.impact, "references": task.references, "source": "llm", "model": model,
        "not_evaluated": tuple(not_evaluated),
    }
    if found:
        finding = _failed(base, found, anon, known_hosts=known_hosts, errors=failed, notes=notes, task=task)
    elif failed:
        summary = f"The model gave no valid answer for {'; '.join(failed)}."
        finding = Finding(**base, status=Status.ERROR, summary=_join(summary, notes))
    elif not_evaluated:
        finding = Finding(**base, status=Status.SKIPPED, summary=f"not evaluated: {not_evaluated_text(not_evaluated)}")
    else:
        what = ", ".join(checked) if len(checked) <= 6 else f"{len(checked)} subjects"
        finding = Finding(**base, status=Status.PASS, summary=_join(f"No problem found by the model in {what}.", notes))
    run = TaskRun(
        task_id=task.id,
        duration_s=round(duration_s, 3),
        tokens_in=sum(o.usage.tokens_in for o in outcomes),
        tokens_out=sum(o.usage.tokens_out for o in outcomes),
        cost_usd=round(sum(o.usage.cost_usd for o in outcomes), 6),
        cached=bool(outcomes) and all(o.cached for o in outcomes),
        note=_run_note(outcomes, [anon.restore(r) for o in outcomes for r in o.remarks] + notes),
    )
    return finding, run


def _failed(
    base: dict[str, Any], items: list[AnswerFinding], anon: Anonymiser, *, known_hosts: set[str],
    errors: list[str], notes: list[str], task: Task,
) -> Finding:
    items = sorted(items, key=lambda f: f.severity.rank)  # stable: equal severities keep the answers' order
    evidence: list[Evidence] = []
    hosts: set[str] = set()
    for item in items:
        item_hosts = [h for h in anon.restore_all(item.hosts) if h in known_hosts]
        hosts.update(item_hosts)
        title = anon.restore(item.title)
        evidence.append(_evidence(item_hosts[0] if item_hosts else None, title, anon.restore(item.summary)))
        for quote in item.evidence:
            host = anon.restore(quote.host)
            text = anon.restore(quote.quote)
            evidence.append(_evidence(host if host in known_hosts else None, title, text, quote=text))
    first = items[0]
    summary = f"{anon.restore(first.title)}: {anon.restore(first.summary)}"
    if len(items) > 1:
        summary += f" (and {len(items) - 1} more)"
    if errors:
        summary += f" Not evaluated: {'; '.join(errors)}."
    remediation = "\n".join(dict.fromkeys(anon.restore(i.remediation).strip() for i in items if i.remediation.strip()))
    severity = first.severity if first.severity.rank >= task.severity.rank else task.severity
    return Finding(
        **{**base, "severity": severity},
        status=Status.FAIL,
        hosts=tuple(sorted(hosts)),
        summary=_join(summary, notes),
        evidence=tuple(evidence[:MAX_EVIDENCE]),
        evidence_omitted=max(0, len(evidence) - MAX_EVIDENCE),
        remediation=remediation or task.remediation,
    )


def _evidence(host: str | None, item: str, message: str, quote: str | None = None) -> Evidence:
    """A model's evidence is about the host it names, when that is a host of the snapshot; else it cannot say."""
    return Evidence(subject=host_subject(host) if host else None, host=host, item=item, message=message, quote=quote)


def _join(summary: str, notes: list[str]) -> str:
    return f"{summary} Left out: {'; '.join(notes)}." if notes else summary


def _run_note(outcomes: list[UnitOutcome], notes: list[str]) -> str:
    calls = sum(o.usage.calls for o in outcomes)
    cached = sum(1 for o in outcomes if o.cached)
    parts = [f"{calls} call{'s' if calls != 1 else ''}"]
    if cached:
        parts.append(f"{cached} of {len(outcomes)} from the cache")
    parts += notes
    return "; ".join(parts)
