"""Results of an analysis: findings and the report that holds them.

Definitions (tasks), results (findings) and reports are separate frozen types.
A finding is data; renderers turn it into text.
"""

from __future__ import annotations

from enum import Enum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "SEVERITY_WEIGHTS",
    "Evidence",
    "Finding",
    "Report",
    "Severity",
    "SnapshotInfo",
    "Status",
    "Summary",
    "TaskRun",
    "health_score",
]


class Severity(str, Enum):
    """How bad a failing check is, from data loss now (critical) to hygiene (info)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical … 4 for info: sort key, most severe first."""
        return _SEVERITY_ORDER.index(self)

    def at_least(self, other: Severity) -> bool:
        """True when self is as severe as other or more."""
        return self.rank <= other.rank


_SEVERITY_ORDER: Final = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.MEDIUM,
    Severity.LOW,
    Severity.INFO,
)


class Status(str, Enum):
    """Outcome of one task: kube-bench's distinction between a failed check and one that could not run."""

    FAIL = "fail"
    PASS = "pass"  # noqa: S105 - not a password
    ERROR = "error"
    SKIPPED = "skipped"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Frozen):
    """One observed fact behind a finding: where it was seen, what it is, what it should be."""

    host: str | None = Field(default=None, description="inventory hostname, or None for cluster-wide facts")
    artifact: str | None = Field(default=None, description="logical artifact name the fact comes from")
    source: str | None = Field(default=None, description="file path or command on the host")
    item: str | None = Field(default=None, description="the object concerned: a topic, a partition, a group, a key")
    actual: str | None = None
    expected: str | None = None
    message: str = Field(description="one sentence naming the host or object and the problem")


class Finding(_Frozen):
    """The result of one task on one snapshot."""

    task_id: str
    title: str
    category: str
    status: Status
    severity: Severity
    hosts: tuple[str, ...] = ()
    summary: str = Field(default="", description="one sentence: what was found, or why it was skipped or errored")
    evidence: tuple[Evidence, ...] = ()
    impact: str = ""
    remediation: str = ""
    references: tuple[str, ...] = ()
    source: str = Field(default="rule", description="'rule' for deterministic checks, 'llm' for model answers")
    model: str | None = Field(default=None, description="LLM model string for llm findings")


class SnapshotInfo(_Frozen):
    """What the report says about the snapshot it analysed."""

    path: str
    format_version: str
    collected_at: str | None = None
    cluster_name: str | None = None
    cluster_mode: str = "unknown"
    kafka_versions: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    unreachable_hosts: tuple[str, ...] = ()
    broker_count: int = 0
    controller_count: int = 0


class Summary(_Frozen):
    """Counts of findings and the health score."""

    health_score: int
    by_status: dict[str, int]
    failed_by_severity: dict[str, int]
    tasks_run: int


class TaskRun(_Frozen):
    """Accounting for one task (timing, LLM tokens and cost)."""

    task_id: str
    duration_s: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    cached: bool = False
    note: str = ""


class Report(_Frozen):
    """Everything one analysis produced. Renderers take this and nothing else."""

    kafkapilot_version: str
    generated_at: str
    snapshot: SnapshotInfo
    summary: Summary
    findings: tuple[Finding, ...]
    task_runs: tuple[TaskRun, ...] = ()
    errors: tuple[str, ...] = Field(default=(), description="problems loading tasks or config; the run went on")


# The health score: 100 minus a weight for each *failed* finding by severity, floored at 0.
# Errors and skips do not lower the score, but are shown beside it.
SEVERITY_WEIGHTS: Final[dict[Severity, int]] = {
    Severity.CRITICAL: 25,
    Severity.HIGH: 10,
    Severity.MEDIUM: 4,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


def health_score(findings: tuple[Finding, ...] | list[Finding]) -> int:
    """Return 100 − Σ weight(severity) over failed findings, never below 0. The only implementation."""
    penalty = sum(SEVERITY_WEIGHTS[f.severity] for f in findings if f.status is Status.FAIL)
    return max(0, 100 - penalty)
