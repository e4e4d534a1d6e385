"""Pydantic models of snapshot.json, the manifest of a snapshot (docs/snapshot-format.md).

The JSON Schema in kafkapilot/schemas/snapshot.schema.json is generated from these models
(`kafkapilot snapshot schema`), and a test fails when the two differ.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "FORMAT_VERSION",
    "SUPPORTED_MAJOR",
    "Artifact",
    "ArtifactStatus",
    "HostEntry",
    "HostStatus",
    "Manifest",
    "Phase",
    "ProcessEntry",
]

FORMAT_VERSION: Final = "1.4"
SUPPORTED_MAJOR: Final = 1


class _Model(BaseModel):
    # Unknown keys are accepted so that a newer minor format version still loads.
    model_config = ConfigDict(frozen=True, extra="allow")


def _declared_names(schema: dict[str, Any]) -> None:
    """The registry's names, as the published schema's examples of an artifact name (read when the schema is made)."""
    from kafkapilot.artifacts import names as declared_names  # noqa: PLC0415 - the registry (YAML) only for the schema

    schema["examples"] = list(declared_names())


class ArtifactStatus(str, Enum):
    """Whether an artifact's content is in the snapshot."""

    OK = "ok"  # collected; content at `path`
    FAILED = "failed"  # the command or read failed; `error` says why (content may hold its stderr)
    MISSING = "missing"  # the file or tool does not exist on the host
    DENIED = "denied"  # permission denied
    SKIPPED = "skipped"  # deliberately not collected (not applicable, disabled, forbidden like keystores)


class Artifact(_Model):
    """One piece of collected data, named logically. The analyser reads artifacts by name, never by path."""

    name: str = Field(
        description="logical name, declared in the artifact registry (meta/artifacts.yml); the names of this format"
        " version are the examples (a newer minor version may add others, which readers ignore)",
        json_schema_extra=_declared_names,
    )
    instance: str | None = Field(default=None, description="process instance id for per-process artifacts")
    key: str | None = Field(default=None, description="disambiguates repeated artifacts, e.g. a log file path")
    path: str | None = Field(default=None, description="content file, relative to the snapshot root")
    source_type: Literal["file", "command", "derived"] = "file"
    source: str = Field(default="", description="absolute path on the host, or the command run")
    status: ArtifactStatus = ArtifactStatus.OK
    rc: int | None = None
    size: int = 0
    truncated: bool = False
    redactions: int = 0
    redactions_by_kind: dict[str, int] = Field(
        default_factory=dict,
        description="(1.3) the replacements of `redactions` by kind of secret (password, url-password, jwt …:"
        " docs/redaction.md); absent in older snapshots",
    )
    error: str | None = None
    duration_s: float | None = None
    mode: str | None = Field(default=None, description="file mode as octal text, e.g. 0640")
    owner: str | None = None
    group: str | None = None
    sha256: str | None = None
    mtime: str | None = None


class ProcessEntry(_Model):
    """A Kafka or ZooKeeper JVM found on a host."""

    instance: str = Field(description="id used by per-process artifacts: kafka, zookeeper, kafka-2 …")
    kind: Literal["kafka", "zookeeper"]
    pid: int
    user: str | None = None
    main_class: str


class HostStatus(str, Enum):
    """How much of a host was collected."""

    OK = "ok"
    PARTIAL = "partial"
    UNREACHABLE = "unreachable"
    FAILED = "failed"


class HostEntry(_Model):
    """One inventory host."""

    status: HostStatus
    reason: str | None = None
    address: str | None = None
    groups: tuple[str, ...] = ()
    processes: tuple[ProcessEntry, ...] = ()
    artifacts: tuple[Artifact, ...] = ()
    transport: Literal["module", "raw"] | None = Field(
        default=None,
        description="module (the host_requests module of the collection kafkapilot.kafkapilot)"
        " or raw (shell commands, no Python)",
    )
    python: str | None = Field(default=None, description="the Python the module ran with")
    duration_s: float | None = None


class Phase(_Model):
    """One phase of the collection, as the collection reports it (format 1.1)."""

    name: str = Field(description="inventory_and_discovery, connectivity, per_host, cluster_wide, manifest")
    status: str = Field(description="ok, partial, failed or skipped")
    duration_s: float | None = None
    detail: str | None = None


class Manifest(_Model):
    """snapshot.json."""

    kind: Literal["kafkapilot-snapshot"] = "kafkapilot-snapshot"
    format_version: str = FORMAT_VERSION
    collector: dict[str, str] = Field(default_factory=dict, description="tool name and versions")
    started_at: str | None = None
    finished_at: str | None = None
    cluster_name: str | None = None
    options: dict[str, object] = Field(default_factory=dict, description="collection settings in force")
    hosts: dict[str, HostEntry] = Field(default_factory=dict)
    cluster_artifacts: tuple[Artifact, ...] = ()
    cluster_source_host: str | None = Field(default=None, description="host the cluster-wide commands ran on")
    redactions_total: int = 0
    redactions_by_kind: dict[str, int] = Field(
        default_factory=dict, description="(1.3) the sum of the artifacts' redactions_by_kind"
    )
    notes: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = Field(default=(), description="the collection's phases, each with its status (1.1)")
    discovery: dict[str, object] = Field(
        default_factory=dict, description="what the cluster metadata knows beyond the inventory (1.1)"
    )
