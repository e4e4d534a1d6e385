"""Runaway checks end as that task's error, the others run: a CPU budget per check, bounded `*` and `**`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.check_budget import CheckBudgetExceeded, cpu_budget
from kafkapilot.engine import EngineOptions
from kafkapilot.expressions import ExpressionError, evaluate
from kafkapilot.findings import Status
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import fixture_spec

RUNAWAY = """\
id: {id}
name: A runaway check
category: configuration
severity: medium
applies_to: broker
requires: [node.config]
check:
  fail_when: {expression}
  message: never
evidence_artifact: server_properties
remediation: none
"""


def _busy(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_the_budget_stops_a_busy_block_and_never_fires_after_it() -> None:
    with pytest.raises(CheckBudgetExceeded, match=r"0\.2 s of CPU time"), cpu_budget(0.2):
        _busy(5)
    with cpu_budget(0.2):
        _busy(0.05)
    _busy(0.4)  # past the budget, outside the block: nothing fires
    with cpu_budget(None):
        _busy(0.3)


@pytest.mark.parametrize(("expression", "reason"), [
    ("'x' * 10**10", "'*' would make 10,000,000,000 items (at most 1,000,000)"),
    ("[0] * 2000000", "'*' would make 2,000,000 items"),
    ("2 ** 1000000", "'**' would make a number of about 2,000,000 bits"),
    ("range(10**9) | list | length", "Range too big"),
])
def test_expressions_that_would_exhaust_memory_are_refused(expression: str, reason: str) -> None:
    with pytest.raises(ExpressionError, match=reason.replace("*", r"\*").replace("(", r"\(").replace(")", r"\)")):
        evaluate(expression, {})
    assert evaluate("'ab' * 3 ~ (2 ** 10) | string", {}) == "ababab1024"


def test_runaway_checks_are_errors_and_the_others_are_judged(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks" / "configuration"
    tasks.mkdir(parents=True)
    for task_id, expression in (("catastrophic_regex", "('a' * 40 + '!') | regex_search('(a+)+$')"),
                                ("huge_string", "('x' * 10**10) | length > 0"),
                                # valid throughout and far above the budget on any machine (each term tens of
                                # milliseconds): the budget, not an error, must end it
                                ("nested_filters", " and ".join(["range(100000) | map('string') | join | length > 0"]
                                                                * 40))):
        (tasks / f"{task_id}.yaml").write_text(RUNAWAY.format(id=task_id, expression=expression))
    catalog = load_catalog(default_tasks_dir(), tasks.parent)
    snapshot = materialize(fixture_spec({"base": "kraft3"}), tmp_path / "snapshot")
    chosen = ("catastrophic_regex", "huge_string", "nested_filters", "auto_create_topics")
    started = time.process_time()
    report = analyse(snapshot, catalog, Selection(task_ids=chosen), EngineOptions(check_budget_s=0.5))
    by_id = {f.task_id: f for f in report.findings}
    assert time.process_time() - started < 30
    assert by_id["catastrophic_regex"].status is Status.ERROR
    stopped = "the check used its 0.5 s of CPU time (--check-budget) and was stopped"
    assert by_id["catastrophic_regex"].summary == stopped
    assert by_id["huge_string"].status is Status.ERROR and "at most 1,000,000" in by_id["huge_string"].summary
    assert by_id["nested_filters"].status is Status.ERROR
    assert "CPU time" in by_id["nested_filters"].summary
    assert by_id["auto_create_topics"].status is Status.PASS
