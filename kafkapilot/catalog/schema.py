"""The task schema: a superset of the original tool's task files, validated by pydantic.

A task is one YAML file whose `id` equals its file name. It is decided either by a
deterministic `check` (sandboxed `when:`-style expressions over facts), by a registered
Python `rule`, or by an LLM `prompt`.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from kafkapilot import artifacts
from kafkapilot.findings import Severity

__all__ = [
    "CATEGORIES",
    "RESERVED_NAMES",
    "ORIGINAL_DATA_KINDS",
    "Check",
    "ClusterType",
    "Scope",
    "SeverityWhen",
    "Task",
]

CATEGORIES: Final = (
    "availability",
    "replication",
    "topics",
    "configuration",
    "consistency",
    "jvm",
    "os",
    "security",
    "versions",
    "logs",
    "consumers",
    "performance",
    "kraft",
    "zookeeper",
    "general",
)

# The original tool's include_data values, kept so its task files load unchanged.
ORIGINAL_DATA_KINDS: Final = ("config", "system", "logs", "admin", "metrics", "facts")

# The original tool's severity words that are not ours.
_LEGACY_SEVERITY: Final = {"warning": "medium", "warn": "medium"}
RESERVED_NAMES: Final = frozenset({"node", "host", "cluster", "params", "subject"})
_ID_PATTERN: Final = re.compile(r"^[a-z][a-z0-9_]{2,63}$")
_URL_PATTERN: Final = re.compile(r"^https?://\S+$")
ParamValue = str | int | float | bool | list[str] | list[int] | list[float]


class Scope(str, Enum):
    """What a task is evaluated on, once per subject."""

    BROKER = "broker"  # each Kafka process with the broker role
    CONTROLLER = "controller"  # each Kafka process with the controller role (KRaft)
    KAFKA_NODE = "kafka_node"  # each Kafka process, whatever its roles
    ZOOKEEPER = "zookeeper"  # each ZooKeeper process
    HOST = "host"  # each reachable host that runs Kafka or ZooKeeper
    CLUSTER = "cluster"  # once, over the whole cluster


class ClusterType(str, Enum):
    """Cluster modes, named as in the original tool's cluster_type_filter."""

    KRAFT = "kraft"
    ZOOKEEPER = "zookeeper"
    UNKNOWN = "unknown"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SeverityWhen(_Strict):
    """Raise (or lower) the severity of a failing item when an expression holds."""

    when: str
    severity: Severity


class Check(_Strict):
    """A deterministic check written in YAML: Ansible-style expressions over facts.

    For each subject of the task's scope (variables `node`, `host`, `cluster`, `params`),
    `vars` (optional) names sub-expressions, evaluated in order (each may use the previous ones):
    once per subject, or once per item for those that use the item or such a var. `for_each`
    (optional) yields items bound to the name in `as`; an item fails when `fail_when` is true.
    `actual`, `expected`, `message` and `item` are templates.
    """

    vars: dict[str, str] = Field(
        default_factory=dict, description="name → expression, evaluated in order once per subject (or item)"
    )
    for_each: str | None = Field(default=None, description="expression giving the items to test")
    as_: str = Field(default="item", alias="as", description="variable name of each item")
    fail_when: str = Field(description="expression: true when the item (or subject) is a problem")
    message: str = Field(description="template: one sentence naming the broker or object and the problem")
    actual: str | None = Field(default=None, description="template: the observed value")
    expected: str | None = Field(default=None, description="template: the value that would pass")
    item: str | None = Field(default=None, description="template: the object concerned (topic, key …)")
    severity_when: tuple[SeverityWhen, ...] = ()

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("fail_when", "for_each", mode="before")
    @classmethod
    def _literal_bool(cls, value: object) -> object:
        # `fail_when: true` is YAML's boolean; as an expression it is the word true.
        return str(value).lower() if isinstance(value, bool) else value

    @field_validator("as_")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not value.isidentifier() or value in RESERVED_NAMES:
            msg = f"'as' must be a new variable name, got {value!r}"
            raise ValueError(msg)
        return value

    @field_validator("vars", mode="before")
    @classmethod
    def _var_sources(cls, value: object) -> object:
        # `x: true` or `x: 3` in YAML is an expression too
        if isinstance(value, dict):
            return {k: str(v).lower() if isinstance(v, bool) else str(v) if isinstance(v, int | float) else v
                    for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _var_names(self) -> Check:
        for name in self.vars:
            if not name.isidentifier() or name in RESERVED_NAMES or name == self.as_:
                msg = (f"vars: {name!r} must be a new variable name "
                       f"(not {', '.join(sorted(RESERVED_NAMES))} or the 'as' name)")
                raise ValueError(msg)
        return self


class Task(BaseModel):
    """One analysis task. Unknown keys are errors, except the original tool's legacy ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # The original tool's fields.
    id: str
    name: str = Field(max_length=120, description="title, phrased as the problem")
    description: str = ""
    category: str = "general"
    severity: Severity = Severity.MEDIUM
    enabled: bool = True
    cluster_type_filter: tuple[ClusterType, ...] = ()
    per_broker_analysis: bool = False
    include_data: tuple[str, ...] = ()
    prompt: str | None = None
    max_tokens_per_request: int | None = Field(default=None, gt=0)
    # The original's keyword → severity map: used only when an answer in the original's shape gives no
    # valid severity (kafkapilot/llm/schema.py); never to override the severity an answer states.
    severity_keywords: dict[str, Severity] | None = None
    # Legacy fields of the original, accepted and not used to decide anything.
    default_severity: Severity | None = None
    examples: object = None
    # Ours.
    applies_to: Scope = Scope.CLUSTER
    requires: tuple[str, ...] = Field(default=(), description="fact paths that must be known to evaluate")
    facts: tuple[str, ...] = Field(
        default=(), description="prompt tasks: the node and host fact paths {facts} shows of each subject, beside "
        "the cluster's summary (default: the requires paths, else a summary of each node)")
    params: dict[str, ParamValue] = Field(default_factory=dict)
    check: Check | None = None
    rule: str | None = Field(default=None, description="name of a registered Python rule")
    evidence_artifact: str | None = Field(default=None, description="artifact named in the evidence")
    impact: str = ""
    remediation: str = ""
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    original: bool = Field(default=False, description="true for the 17 checks of the original tool")
    # sha256 of the task file (set by the catalog loader): the key of its compiled expressions on disk
    _digest: str = PrivateAttr(default="")

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not _ID_PATTERN.match(value):
            msg = "id must be snake_case: a lowercase letter, then letters, digits or _ (3 to 64 chars)"
            raise ValueError(msg)
        return value

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            msg = f"unknown category {value!r}; use one of: {', '.join(CATEGORIES)}"
            raise ValueError(msg)
        return value

    @field_validator("include_data")
    @classmethod
    def _known_data(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [v for v in value if v.partition(":")[0] not in ORIGINAL_DATA_KINDS]
        if unknown:
            msg = f"unknown include_data {unknown}; use: {', '.join(ORIGINAL_DATA_KINDS)} (or KIND:FILE)"
            raise ValueError(msg)
        files = [v.partition(":")[2] for v in value if ":" in v]
        if files:
            known = artifacts.kcpilot_files()
            unknown = [f for f in files if f not in known]
            if unknown:
                msg = f"include_data names unknown file(s) {unknown}; known: {', '.join(known)}"
                raise ValueError(msg)
        return value

    @field_validator("severity_keywords", mode="before")
    @classmethod
    def _keyword_severities(cls, value: object) -> object:
        # the original's words: "warning" was its medium
        if isinstance(value, dict):
            return {k: _LEGACY_SEVERITY.get(str(v).strip().lower(), str(v).strip().lower()) for k, v in value.items()}
        return value

    @field_validator("references")
    @classmethod
    def _urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not _URL_PATTERN.match(v)]
        if bad:
            msg = f"references must be http(s) URLs: {bad}"
            raise ValueError(msg)
        return value

    @model_validator(mode="before")
    @classmethod
    def _legacy_severity(cls, data: object) -> object:
        # The original tool called it default_severity; "warning" was its word for medium.
        if isinstance(data, dict) and "severity" not in data and data.get("default_severity"):
            data = {**data, "severity": data["default_severity"]}
        if isinstance(data, dict):
            for key in ("severity", "default_severity"):
                if isinstance(data.get(key), str) and data[key].lower() in _LEGACY_SEVERITY:
                    data = {**data, key: _LEGACY_SEVERITY[data[key].lower()]}
        return data

    @model_validator(mode="after")
    def _one_decider(self) -> Task:
        deciders = [name for name in ("check", "rule", "prompt") if getattr(self, name)]
        if len(deciders) != 1:
            msg = f"a task needs exactly one of check, rule or prompt (found: {', '.join(deciders) or 'none'})"
            raise ValueError(msg)
        if (self.check or self.rule) and not self.remediation.strip():
            msg = "a deterministic task needs a remediation"
            raise ValueError(msg)
        return self

    @property
    def kind(self) -> Literal["check", "rule", "prompt"]:
        """How this task is decided."""
        if self.check:
            return "check"
        if self.rule:
            return "rule"
        return "prompt"

    @property
    def needs_llm(self) -> bool:
        """True for prompt tasks."""
        return self.prompt is not None
