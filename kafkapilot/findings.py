"""Results of an analysis: findings and the report that holds them.

Definitions (tasks), results (findings) and reports are separate frozen types.
A finding is data; renderers turn it into text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from enum import Enum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kafkapilot.severity import Severity

__all__ = [
    "REPORT_FORMAT_VERSION",
    "SCORE_EXPONENT",
    "SCORE_HALF_AT",
    "SEVERITY_WEIGHTS",
    "Evidence",
    "Finding",
    "NotEvaluated",
    "Report",
    "Severity",
    "SnapshotInfo",
    "Status",
    "Subject",
    "SubjectKind",
    "Summary",
    "TaskRun",
    "WaiverNote",
    "at_least",
    "category_scores",
    "exact_score",
    "health_score",
    "penalty",
    "summarize",
]

REPORT_FORMAT_VERSION: Final = "1.3"
"""Version of the report's shape (the JSON envelope's ``report_version``, the schema's ``const``): the minor goes
up when keys are added, the major when any is changed or removed. Defined here only."""


class Status(str, Enum):
    """Outcome of one task: kube-bench's distinction between a failed check and one that could not run."""

    FAIL = "fail"
    PASS = "pass"  # noqa: S105 - not a password
    ERROR = "error"
    SKIPPED = "skipped"
    WAIVED = "waived"  # failed, but a waiver accepts it until it expires: counts for neither --fail-on nor the score


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SubjectKind(str, Enum):
    """What a finding is about: the thing a diff or a waiver matches, beside the task id."""

    CLUSTER = "cluster"
    HOST = "host"
    NODE = "node"
    TOPIC = "topic"
    PARTITION = "partition"
    GROUP = "group"
    SETTING = "setting"


_IDENTITY: Final[dict[SubjectKind, tuple[str, ...]]] = {
    SubjectKind.CLUSTER: (),
    SubjectKind.HOST: ("host",),
    SubjectKind.NODE: ("host",),
    SubjectKind.TOPIC: ("topic",),
    SubjectKind.PARTITION: ("topic", "partition"),
    SubjectKind.GROUP: ("group",),
    SubjectKind.SETTING: ("name",),
}
"""The fields each kind of subject must have."""


class Subject(_Frozen):
    """The thing a piece of evidence is about, by kind and identity (never by its text).

    cluster: the whole cluster; host: an inventory host; node: one Kafka or ZooKeeper process (JVM) on a host,
    ``instance`` set only when the host runs several; topic; partition (topic and number); group: a consumer
    group; setting: a setting or property compared across nodes (``name``). ``node_id`` says which Kafka node a
    node subject is, where known, and is not part of its identity (it is unknown when server.properties was not
    collected).
    """

    kind: SubjectKind
    host: str | None = Field(default=None, description="inventory hostname (host and node subjects)")
    instance: str | None = Field(default=None, description="process instance, when the host runs several")
    node_id: int | None = Field(default=None, description="Kafka node.id / broker.id of a node, where known")
    topic: str | None = None
    partition: int | None = None
    group: str | None = Field(default=None, description="consumer group id")
    name: str | None = Field(default=None, description="the setting or property (setting subjects)")

    @model_validator(mode="after")
    def _identity_is_complete(self) -> Subject:
        missing = [f for f in _IDENTITY[self.kind] if getattr(self, f) is None]
        if missing:
            msg = f"a {self.kind.value} subject needs {', '.join(missing)}"
            raise ValueError(msg)
        return self

    @property
    def key(self) -> tuple[str | int | None, ...]:
        """What identifies the subject across snapshots: its kind and identity fields (not ``node_id``)."""
        return (self.kind.value, self.host, self.instance, self.topic, self.partition, self.group, self.name)

    @property
    def label(self) -> str:
        """The subject as a person names it: ``cluster``, ``kafka-1``, ``kafka-1/kafka2``, ``orders-3`` …"""
        if self.kind is SubjectKind.NODE and self.instance:
            return f"{self.host}/{self.instance}"
        if self.kind is SubjectKind.PARTITION:
            return f"{self.topic}-{self.partition}"
        values = [str(getattr(self, f)) for f in _IDENTITY[self.kind]]
        return values[0] if values else self.kind.value


class NotEvaluated(_Frozen):
    """A subject a task could not look at, and why (a fact not collected, a host unreachable …)."""

    subject: Subject
    reason: str


class Evidence(_Frozen):
    """One observed fact behind a finding: what it is about, where it was seen, what it is, what it should be."""

    subject: Subject | None = Field(default=None,
                                    description="what the fact is about; None where the source cannot say")
    host: str | None = Field(default=None, description="inventory hostname, or None for cluster-wide facts")
    artifact: str | None = Field(default=None, description="logical artifact name the fact comes from")
    source: str | None = Field(default=None, description="file path or command on the host")
    artifacts: tuple[str, ...] = Field(default=(), description="paths, in the snapshot, of the artifacts it was read "
                                                              "from (hosts/kafka-1/files/etc/kafka/server.properties)")
    item: str | None = Field(default=None, description="the object concerned: a topic, a partition, a group, a key")
    actual: str | None = None
    expected: str | None = None
    quote: str | None = Field(default=None, description="a line a model quoted, verbatim, from the data it was sent")
    message: str = Field(description="one sentence naming the host or object and the problem")


class WaiverNote(_Frozen):
    """Why a waived finding is accepted, by whom, until when, and where the waiver is written."""

    reason: str
    owner: str
    expires: str = Field(description="ISO date: the last day the waiver applies")
    file: str
    line: int = Field(ge=1)


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
    evidence_omitted: int = Field(default=0, ge=0, description="failing items beyond those in evidence")
    not_evaluated: tuple[NotEvaluated, ...] = Field(default=(), description="subjects the task could not look at")
    impact: str = ""
    remediation: str = ""
    references: tuple[str, ...] = ()
    source: str = Field(default="rule", description="'rule' for deterministic checks, 'llm' for model answers")
    model: str | None = Field(default=None, description="LLM model string for llm findings")
    waiver: WaiverNote | None = Field(default=None, description="the waiver of a waived finding")

    @property
    def subjects(self) -> tuple[Subject, ...]:
        """The distinct subjects of the evidence, in evidence order."""
        return tuple({e.subject.key: e.subject for e in self.evidence if e.subject is not None}.values())


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
    """Counts of findings, the health score and the score of each category."""

    health_score: int
    category_scores: dict[str, int] = Field(default_factory=dict,
                                            description="category → its health score (same function, its failures)")
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
    notes: tuple[str, ...] = Field(default=(), description="things a reader should know: waivers that matched nothing")


# The health score (docs/report.md): P = Σ weight(severity) over the *failed* findings; score = 100 / (1 + (P/25)^0.75),
# rounded half up. One critical halves the score; it never floors at 0 for any real cluster (P ≈ 28,700 for that);
# every failure lowers the exact value, so more or severer failures never score higher. Errors, skips and waived
# findings do not count. Per category: the same function of that category's failures.
SEVERITY_WEIGHTS: Final[dict[Severity, float]] = {
    Severity.CRITICAL: 25.0,
    Severity.HIGH: 10.0,
    Severity.MEDIUM: 4.0,
    Severity.LOW: 1.0,
    Severity.INFO: 0.25,
}
SCORE_HALF_AT: Final = 25.0
"""The penalty that halves the score: one critical failure."""
SCORE_EXPONENT: Final = 0.75
"""Below 1, so that the score keeps telling tens of failures apart from hundreds instead of flattening near 0."""


def penalty(findings: Iterable[Finding]) -> float:
    """Σ weight(severity) over the failed findings (waived, errored, skipped and passed ones weigh nothing)."""
    return sum(SEVERITY_WEIGHTS[f.severity] for f in findings if f.status is Status.FAIL)


def exact_score(points: float) -> float:
    """The unrounded score of a penalty: 100 at 0, 50 at one critical, strictly falling, never reaching 0."""
    return 100.0 / (1.0 + (points / SCORE_HALF_AT) ** SCORE_EXPONENT)


def health_score(findings: Iterable[Finding]) -> int:
    """The health score (0-100) of ``findings``: :func:`exact_score` of their :func:`penalty`, rounded half up.

    The only implementation: the overall score, the per-category scores and every renderer's figure come from here.
    """
    return math.floor(exact_score(penalty(findings)) + 0.5)


def category_scores(findings: Iterable[Finding]) -> dict[str, int]:
    """The health score of each category that ran a task, by category name (100 where nothing failed)."""
    by_category: dict[str, list[Finding]] = {}
    for finding in findings:
        by_category.setdefault(finding.category, []).append(finding)
    return {category: health_score(group) for category, group in sorted(by_category.items())}


def summarize(findings: Iterable[Finding], *, scored: Iterable[Finding] | None = None) -> Summary:
    """Counts of ``findings`` by status and failed severity, with the scores of ``scored`` (default: the same).

    ``scored`` lets the report show fewer findings (``--severity-min``) while the scores count every one that ran.
    """
    shown = tuple(findings)
    counted = shown if scored is None else tuple(scored)
    by_status = Counter(f.status.value for f in shown)
    failed = Counter(f.severity.value for f in shown if f.status is Status.FAIL)
    return Summary(
        health_score=health_score(counted),
        category_scores=category_scores(counted),
        by_status={s.value: by_status.get(s.value, 0) for s in Status},
        failed_by_severity={s.value: failed.get(s.value, 0) for s in Severity},
        tasks_run=len({f.task_id for f in shown}),
    )


def at_least(report: Report, minimum: Severity | None) -> Report:
    """The report showing only findings of ``minimum`` severity or above (``--severity-min``); the scores still
    count every finding of ``report``. ``None``: the report as it is."""
    if minimum is None:
        return report
    shown = tuple(f for f in report.findings if f.severity.at_least(minimum))
    return report.model_copy(update={"findings": shown, "summary": summarize(shown, scored=report.findings)})
