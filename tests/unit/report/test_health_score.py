"""The health score: monotone in the number and severity of failures, yet telling clusters apart (docs/report.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kafkapilot.findings import (
    Finding,
    Severity,
    Status,
    category_scores,
    exact_score,
    health_score,
    penalty,
    summarize,
)
from kafkapilot.severity import SEVERITIES
from tests.unit.report.sample import finding

BOUNDED: Final = settings(max_examples=300, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])

_severities = st.sampled_from(SEVERITIES)
_statuses = st.sampled_from(tuple(Status))
_categories = st.sampled_from(("security", "jvm", "os"))


@st.composite
def _findings(draw: st.DrawFn, max_size: int = 80) -> list[Finding]:
    rows = draw(st.lists(st.tuples(_statuses, _severities, _categories), max_size=max_size))
    return [finding(f"t{n}", status, severity, category=area) for n, (status, severity, area) in enumerate(rows)]


def _fail(severity: Severity, n: int = 0, category: str = "security") -> Finding:
    return finding(f"extra{n}", Status.FAIL, severity, category=category)


@BOUNDED
@given(_findings(), _severities, _categories)
def test_one_more_failure_never_raises_the_score_and_always_lowers_the_exact_value(
    findings: list[Finding], severity: Severity, category: str,
) -> None:
    more = [*findings, _fail(severity, category=category)]
    assert health_score(more) <= health_score(findings)
    assert exact_score(penalty(more)) < exact_score(penalty(findings))
    assert category_scores(more)[category] <= category_scores(findings).get(category, 100)


@BOUNDED
@given(_findings(), st.integers(min_value=0, max_value=3), st.integers(min_value=1, max_value=4))
def test_a_severer_failure_never_scores_higher(findings: list[Finding], rank: int, step: int) -> None:
    milder, severer = SEVERITIES[min(rank + step, len(SEVERITIES) - 1)], SEVERITIES[rank]
    with_milder, with_severer = [*findings, _fail(milder)], [*findings, _fail(severer)]
    assert health_score(with_severer) <= health_score(with_milder)
    if milder is not severer:
        assert exact_score(penalty(with_severer)) < exact_score(penalty(with_milder))


@BOUNDED
@given(_findings())
def test_errors_skips_and_passes_do_not_count(findings: list[Finding]) -> None:
    failed = [f for f in findings if f.status is Status.FAIL]
    assert health_score(findings) == health_score(failed)
    assert 0 <= health_score(findings) <= 100
    assert health_score(findings) == 100 or failed


def test_one_critical_halves_the_score_and_no_failure_scores_100() -> None:
    assert health_score([]) == 100
    assert health_score([_fail(Severity.CRITICAL)]) == 50
    assert health_score([finding("ok", Status.PASS, Severity.CRITICAL)]) == 100


def test_one_critical_and_thirty_mixed_findings_score_differently() -> None:
    mixed = [_fail(SEVERITIES[n % 5], n) for n in range(30)]
    assert health_score([_fail(Severity.CRITICAL)]) == 50
    assert health_score(mixed) == 15
    assert health_score([*mixed, *(_fail(Severity.HIGH, 100 + n) for n in range(30))]) == 9


def test_sixty_example_findings_and_nine_planted_problems_do_not_floor_at_zero() -> None:
    """The example's 64 failures (4 critical, 17 high, 23 medium, 12 low, 8 info) and nine planted problems."""
    counts = {Severity.CRITICAL: 4, Severity.HIGH: 17, Severity.MEDIUM: 23, Severity.LOW: 12, Severity.INFO: 8}
    example = [_fail(s, n * 100 + i) for n, (s, count) in enumerate(counts.items()) for i in range(count)]
    nine = [_fail(s, n) for n, s in enumerate([Severity.CRITICAL, Severity.CRITICAL, *[Severity.HIGH] * 4,
                                               *[Severity.MEDIUM] * 3])]
    assert health_score(example) == 12
    assert health_score(nine) == 26
    assert health_score(200 * [_fail(Severity.CRITICAL)]) > 0


def test_category_scores_use_the_same_function_on_each_category() -> None:
    findings = [_fail(Severity.CRITICAL, 1, "security"), _fail(Severity.LOW, 2, "os"),
                finding("ok", Status.PASS, Severity.HIGH, category="jvm")]
    assert category_scores(findings) == {"jvm": 100, "os": health_score(findings[1:2]), "security": 50}
    assert category_scores(findings)["os"] == 92


def test_the_summary_scores_what_ran_and_counts_what_is_shown() -> None:
    ran = [_fail(Severity.CRITICAL, 1), _fail(Severity.LOW, 2, "os")]
    summary = summarize(ran[:1], scored=ran)
    assert summary.failed_by_severity["low"] == 0 and summary.tasks_run == 1
    assert summary.health_score == health_score(ran) == 49
    assert summary.category_scores == {"os": 92, "security": 50}


@pytest.mark.integration
def test_severity_min_does_not_change_the_example_score() -> None:
    def report(*args: str) -> dict[str, object]:
        command = [sys.executable, "-m", "kafkapilot", "analyse", "--example", "-r", "json", *args]
        return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)

    everything, high = report(), report("--severity-min", "high")
    assert high["summary"]["health_score"] == everything["summary"]["health_score"]  # type: ignore[index]
    assert high["summary"]["category_scores"] == everything["summary"]["category_scores"]  # type: ignore[index]
    shown = {f["severity"] for f in high["findings"]}  # type: ignore[union-attr]
    assert shown <= {"critical", "high"}
    assert high["summary"]["failed_by_severity"]["low"] == 0 < everything["summary"]["failed_by_severity"]["low"]  # type: ignore[index]


def test_every_format_shows_the_category_scores_worst_first() -> None:
    from kafkapilot.report.registry import get_renderer  # noqa: PLC0415
    from tests.unit.report.sample import sample_report  # noqa: PLC0415

    report = sample_report()
    assert report.summary.category_scores == {"broker": 77, "durability": 50, "logs": 67}
    markdown = get_renderer("markdown")(report)
    assert "| durability | 50 / 100 | 1 |\n| logs | 67 / 100 | 1 |\n| broker | 77 / 100 | 2 |" in markdown
    assert "<tr><td>durability</td><td>50 / 100</td><td>1</td></tr>" in get_renderer("html")(report)
    terminal = get_renderer("terminal")(report, width=100).splitlines()
    assert [line.split(maxsplit=2)[2] for line in terminal if line.startswith("By area")] == [
        "durability 50 · logs 67 · broker 77"]
    assert 'kafkapilot_category_health_score{cluster="prod-east",category="logs"} 67' in get_renderer("prometheus")(
        report)
