"""Write a snapshot from a compact spec: used by test fixtures, benchmarks and the example.

A spec is a mapping (usually YAML)::

    cluster_name: demo
    hosts:
      kafka-1:
        address: 10.0.0.11
        groups: [kafka_brokers]
        processes: [{instance: kafka, kind: kafka, pid: 812, user: kafka, main_class: kafka.Kafka}]
        artifacts:
          - {name: server_properties, instance: kafka, source: /etc/kafka/server.properties, content: "..."}
          - {name: process_limits, instance: kafka, status: denied, error: permission denied}
    cluster:
      - {name: topics_describe, source: kafka-topics.sh --describe, content: "..."}

`merge_specs(base, override)` lays an override over a base: hosts merge by name and
artifacts by (name, instance, key); `remove: true` drops an artifact or host.
An artifact with a `path` (relative to the snapshot root) and no `content` names a file that is
already there: it is listed with the fields given (size, sha256 …) and not written.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from kafkapilot.snapshot.manifest import FORMAT_VERSION, Artifact, HostEntry, Manifest, ProcessEntry

__all__ = ["materialize", "merge_specs"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _identity(artifact: dict[str, Any]) -> tuple[str, str | None, str | None]:
    return artifact["name"], artifact.get("instance"), artifact.get("key")


def _merge_artifacts(base: list[dict[str, Any]], override: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged = {_identity(a): a for a in base}
    for artifact in override:
        if artifact.get("remove"):
            merged.pop(_identity(artifact), None)
        else:
            merged[_identity(artifact)] = {**merged.get(_identity(artifact), {}), **artifact}
    return list(merged.values())


def merge_specs(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A new spec: `override` laid over `base`."""
    result = copy.deepcopy(base)
    for key, value in override.items():
        if key == "hosts":
            hosts = result.setdefault("hosts", {})
            for name, host in value.items():
                if host.get("remove"):
                    hosts.pop(name, None)
                    continue
                current = hosts.setdefault(name, {})
                for field, field_value in host.items():
                    if field == "artifacts":
                        current["artifacts"] = _merge_artifacts(current.get("artifacts", []), field_value)
                    else:
                        current[field] = copy.deepcopy(field_value)
        elif key == "cluster":
            result["cluster"] = _merge_artifacts(result.get("cluster", []), value)
        elif key != "base":
            result[key] = copy.deepcopy(value)
    return result


def _content_path(prefix: str, artifact: dict[str, Any]) -> str:
    source = artifact.get("source", "")
    if artifact.get("source_type", "file") == "file" and source.startswith("/"):
        return f"{prefix}/files{source}"
    parts = [artifact["name"], artifact.get("instance"), artifact.get("key")]
    name = ".".join(_UNSAFE.sub("_", p).strip("_") for p in parts if p)
    return f"{prefix}/commands/{name}.txt"


def _write_artifact(root: Path, prefix: str, spec: dict[str, Any]) -> Artifact:
    fields = {k: v for k, v in spec.items() if k not in {"content", "remove"}}
    content = spec.get("content")
    if content is None:
        if not fields.get("path"):
            fields.setdefault("status", "missing")
        # with a `path` and no content, the file is already in the snapshot (a test's shared base): listed as is
        return Artifact.model_validate(fields)
    relative = fields.get("path") or _content_path(prefix, spec)
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    data = str(content).encode("utf-8")
    target.write_bytes(data)
    fields.update(path=relative, size=len(data))
    fields.setdefault("sha256", hashlib.sha256(data).hexdigest())
    if not str(fields.get("source", "")).startswith("/"):
        fields.setdefault("source_type", "command")
    return Artifact.model_validate(fields)


def materialize(spec: dict[str, Any], root: Path) -> Path:
    """Write the snapshot described by `spec` into `root` (created, mode 0700); return root."""
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o700)
    hosts: dict[str, HostEntry] = {}
    redactions = 0
    for name, host in sorted(spec.get("hosts", {}).items()):
        artifacts = [_write_artifact(root, f"hosts/{name}", a) for a in host.get("artifacts", [])]
        redactions += sum(a.redactions for a in artifacts)
        hosts[name] = HostEntry(
            status=host.get("status", "ok"),
            reason=host.get("reason"),
            address=host.get("address"),
            groups=tuple(host.get("groups", ())),
            processes=tuple(ProcessEntry.model_validate(p) for p in host.get("processes", [])),
            artifacts=tuple(artifacts),
        )
    cluster = [_write_artifact(root, "cluster", a) for a in spec.get("cluster", [])]
    redactions += sum(a.redactions for a in cluster)
    manifest = Manifest(
        format_version=spec.get("format_version", FORMAT_VERSION),
        collector=spec.get("collector", {"name": "kafkapilot.snapshot.write"}),
        started_at=spec.get("started_at"),
        finished_at=spec.get("finished_at"),
        cluster_name=spec.get("cluster_name"),
        hosts=hosts,
        cluster_artifacts=tuple(cluster),
        cluster_source_host=spec.get("cluster_source_host"),
        redactions_total=redactions,
        notes=tuple(spec.get("notes", ())),
    )
    payload = manifest.model_dump(mode="json", exclude_none=True)
    (root / "snapshot.json").write_text(json.dumps(payload, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return root
