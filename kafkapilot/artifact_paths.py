"""Where, in the snapshot, the evidence of a finding was read: the artifact paths that SARIF and JSON point at.

A check's evidence names its artifact logically (``server_properties``) and its host; the manifest knows the file
that holds it (``hosts/kafka-1/files/etc/kafka/server.properties``). This fills ``Evidence.artifacts`` from the
manifest once the findings are made, so checks and rules keep naming artifacts, never paths.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from kafkapilot.findings import Evidence, Finding, SubjectKind

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kafkapilot.snapshot.load import Snapshot
    from kafkapilot.snapshot.manifest import Artifact

__all__ = ["MAX_PATHS", "with_artifact_paths"]

MAX_PATHS: Final = 20
"""At most this many paths per piece of evidence (a setting compared across 1000 brokers names the first 20)."""


def _collected(artifacts: Iterable[Artifact]) -> list[Artifact]:
    return [a for a in artifacts if a.path]


def _paths(snapshot: Snapshot, evidence: Evidence) -> tuple[str, ...]:
    name = evidence.artifact
    if not name:
        return ()
    subject = evidence.subject
    host = evidence.host or (subject.host if subject and subject.kind in {SubjectKind.HOST, SubjectKind.NODE}
                             else None)
    if host:
        instance = subject.instance if subject and subject.kind is SubjectKind.NODE else None
        found = _collected(snapshot.host_artifacts(host, name, instance=instance)) or _collected(
            snapshot.host_artifacts(host, name, any_instance=True))
    else:
        cluster = snapshot.cluster_artifact(name)
        found = _collected([cluster] if cluster else []) or _collected(
            a for h in sorted(snapshot.manifest.hosts) for a in snapshot.host_artifacts(h, name, any_instance=True))
    same_source = [a for a in found if evidence.source and a.source == evidence.source]
    if same_source and len(same_source) < len(found) and host:  # one of several (a keystore, a log file)
        found = same_source
    return tuple(dict.fromkeys(a.path for a in found if a.path))[:MAX_PATHS]


def with_artifact_paths(findings: Iterable[Finding], snapshot: Snapshot) -> list[Finding]:
    """The findings with each evidence's ``artifacts`` set to the snapshot paths of the artifact it names."""
    result = []
    for finding in findings:
        if not any(e.artifact and not e.artifacts for e in finding.evidence):
            result.append(finding)
            continue
        evidence = tuple(e if e.artifacts or not e.artifact else e.model_copy(update={"artifacts": _paths(snapshot, e)})
                         for e in finding.evidence)
        result.append(finding.model_copy(update={"evidence": evidence}))
    return result
