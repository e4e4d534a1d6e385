"""Results of an analysis: findings and the report that holds them.

Definitions (tasks), results (findings) and reports are separate frozen types.
A finding is data; renderers turn it into text.
"""

from __future__ import annotations

from enum import Enum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kafkapilot.severity import Severity

__all__ = [
    "REPORT_FORMAT_VERSION",
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
    "health_score",
]

REPORT_FORMAT_VERSION: Final = "1.1"
"""Version of the report's shape (the JSON envelope's ``report_version``, the schema's ``const``): the minor goes
up when keys are added, the major when any is changed or removed. Defined here only."""


class Status(str, Enum):
    """Outcome of one task: kube-bench's distinction between a failed check and one that could not run."""

    FAIL = "fail"
    PASS = "pass"  # noqa: S105 - not a password
    ERROR = "error"
    SKIPPED = "skipped"


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
    evidence_omitted: int = Field(default=0, ge=0, description="failing items beyond those in evidence")
    not_evaluated: tuple[NotEvaluated, ...] = Field(default=(), description="subjects the task could not look at")
    impact: str = ""
    remediation: str = ""
    references: tuple[str, ...] = ()
    source: str = Field(default="rule", description="'rule' for deterministic checks, 'llm' for model answers")
    model: str | None = Field(default=None, description="LLM model string for llm findings")

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
