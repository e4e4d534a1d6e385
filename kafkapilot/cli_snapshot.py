"""The snapshot commands: info and schema."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from kafkapilot.exit_codes import EXIT_OK
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.manifest import Manifest

__all__ = ["manifest_schema", "print_schema", "show_info"]


def manifest_schema() -> dict[str, object]:
    """The JSON Schema of snapshot.json, generated from the pydantic models."""
    schema = Manifest.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://kafkapilot.dev/schemas/snapshot.schema.json"
    return schema


def print_schema() -> int:
    """Print the manifest's JSON Schema."""
    sys.stdout.write(json.dumps(manifest_schema(), indent=2, sort_keys=True) + "\n")
    return EXIT_OK


def show_info(path: Path) -> int:
    """Hosts, processes and artifact statuses of a snapshot."""
    with load_snapshot(path) as snapshot:
        manifest = snapshot.manifest
    lines = [
        f"snapshot {path} (format {manifest.format_version}, collected {manifest.finished_at or 'unknown'})",
        f"cluster: {manifest.cluster_name or 'unnamed'}; redactions: {manifest.redactions_total}",
    ]
    for name, host in snapshot.hosts.items():
        statuses = Counter(a.status.value for a in host.artifacts)
        processes = ", ".join(f"{p.instance} (pid {p.pid})" for p in host.processes) or "no Kafka process"
        reason = f" — {host.reason}" if host.reason else ""
        counts = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        lines.append(f"  {name} [{host.status.value}]{reason}: {processes}; artifacts: {counts or 'none'}")
        lines.extend(
            f"      {a.name}{'/' + a.instance if a.instance else ''}: {a.status.value}: {a.error or ''}"
            for a in host.artifacts
            if a.status.value not in {"ok", "skipped"}
        )
    statuses = Counter(a.status.value for a in manifest.cluster_artifacts)
    lines.append(f"  cluster-wide (from {manifest.cluster_source_host or 'unknown'}): "
                 + (", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "none"))
    lines.extend(
        f"      {a.name}: {a.status.value}: {a.error or ''}"
        for a in manifest.cluster_artifacts if a.status.value != "ok"
    )
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
