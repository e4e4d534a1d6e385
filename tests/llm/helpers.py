"""Shared bits of the LLM tests: answers in the schema, running the runner on a snapshot."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from kafkapilot.catalog.load import Catalog, default_tasks_dir, load_catalog
from kafkapilot.catalog.schema import Task
from kafkapilot.facts import Facts
from kafkapilot.findings import Finding, TaskRun
from kafkapilot.llm.config import LLMConfig
from kafkapilot.llm.runner import LLMRunner
from tests.llm.fake_openai import Scripted, chat_body

__all__ = ["answer", "builtin_task", "data_line", "finding_json", "grounded", "ok", "run", "user_texts"]


def finding_json(
    title: str, severity: str = "high", hosts: tuple[str, ...] = ("broker-2",), quote: str = ""
) -> dict[str, Any]:
    """One finding in the answer schema."""
    evidence = [{"host": hosts[0] if hosts else "", "quote": quote}] if quote else []
    return {"title": title, "severity": severity, "hosts": list(hosts), "summary": f"{title} on {', '.join(hosts)}.",
            "evidence": evidence, "remediation": "Look at the broker."}


def answer(*findings: dict[str, Any], summary: str = "verdict") -> str:
    """An answer's JSON text."""
    return json.dumps({"summary": summary, "findings": list(findings)})


def data_line(request: dict[str, Any], containing: str = "") -> str:
    """A line of the data a request carried (inside its <data> blocks) that contains `containing`:
    what a grounded answer quotes."""
    text = user_texts([request])[0]
    for block in re.findall(r'<data kind="[a-z]+">\n(.*?)\n</data>', text, re.DOTALL):
        for line in block.splitlines():
            if containing in line and line.strip() and not line.startswith("### ") and line != "(none collected)":
                return line.strip()
    msg = f"no data line contains {containing!r}"
    raise AssertionError(msg)


def names_subject(text: str, label: str) -> bool:
    """Whether a prompt's facts hold lines of this subject (`broker-2: {…}` or, divided, `broker-2 config: {…}`)."""
    return re.search(rf"^{re.escape(label)}[ :]", text, re.MULTILINE) is not None


def grounded(request: dict[str, Any], title: str, severity: str = "high", hosts: tuple[str, ...] = ("broker-2",),
             containing: str = "") -> Scripted:
    """An answer with one finding whose evidence quotes the request's own data."""
    return ok(answer(finding_json(title, severity, hosts, data_line(request, containing))))


def ok(content: str, delay: float = 0.0) -> Scripted:
    """A 200 answer whose message is `content`."""
    return Scripted(delay=delay, body=chat_body(content))


@functools.cache
def _shipped() -> Catalog:
    return load_catalog(default_tasks_dir())  # tasks are frozen: one load serves every test


def builtin_task(task_id: str) -> Task:
    """A task of the shipped catalog."""
    task = _shipped().get(task_id)
    assert task is not None
    return task


def run(config: LLMConfig, facts: Facts, *tasks: Task) -> list[tuple[Finding, TaskRun]]:
    """The runner, synchronously, as the engine calls it."""
    return LLMRunner(config)(list(tasks), facts)


def user_texts(requests: list[dict[str, Any]]) -> list[str]:
    """The user message (the data) of every request."""
    return ["\n".join(m["content"] for m in r["messages"] if m["role"] == "user") for r in requests]


def load_tasks(directory: Path) -> list[Task]:
    """Every task in a directory (fails on a file that does not load)."""
    catalog = load_catalog(directory)
    assert not catalog.errors, catalog.errors
    return list(catalog.tasks)
