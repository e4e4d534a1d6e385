"""snapshot.json and COLLECTION_SUMMARY.md, written last, from what was actually collected.

The summary is rendered from the manifest and nothing else, so it cannot claim more than
the manifest records. The format is kafkapilot/schemas/snapshot.schema.json (the analysis
side's contract); the collection needs nothing but the standard library to write it, and
tests/collection validates what it writes against that schema.
"""

from __future__ import annotations

import json
import os
import tarfile
from collections import Counter
from pathlib import Path
from typing import Any, Final

__all__ = ["COLLECTOR_VERSION", "FORMAT_VERSION", "archive", "summary_markdown", "write_snapshot_files"]

#: kafkapilot.snapshot.manifest.FORMAT_VERSION (the analysis side's; a test keeps them equal)
FORMAT_VERSION: Final = "1.4"
#: the collection's version (galaxy.yml), recorded as the collector's; a test keeps them equal
COLLECTOR_VERSION: Final = "0.1.0"
_HOST_KEYS: Final = ("status", "reason", "address", "groups", "processes", "artifacts", "transport", "python", "duration_s")


def _clean_host(entry: dict[str, Any]) -> dict[str, Any]:
    host = {k: entry[k] for k in _HOST_KEYS if entry.get(k) is not None}
    host.setdefault("groups", [])
    host.setdefault("processes", [])
    host.setdefault("artifacts", [])
    return host


def write_snapshot_files(root: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Complete and write snapshot.json and COLLECTION_SUMMARY.md; return the manifest."""
    manifest = dict(manifest)
    manifest["kind"] = "kafkapilot-snapshot"
    manifest["format_version"] = FORMAT_VERSION
    manifest.setdefault("collector", {})
    manifest["collector"] = {"name": "kafkapilot.kafkapilot collection", "version": COLLECTOR_VERSION,
                             **manifest["collector"]}
    manifest["collector"] = {k: str(v) for k, v in manifest["collector"].items() if v is not None}
    manifest["hosts"] = {name: _clean_host(entry) for name, entry in sorted(manifest.get("hosts", {}).items())}
    every = [a for h in manifest["hosts"].values() for a in h["artifacts"]] + list(manifest.get("cluster_artifacts", []))
    manifest["redactions_total"] = sum(a.get("redactions", 0) for a in every)
    by_kind: Counter[str] = Counter()
    for artifact in every:
        by_kind.update(artifact.get("redactions_by_kind") or {})
    manifest["redactions_by_kind"] = dict(sorted(by_kind.items()))
    ordered = {k: manifest[k] for k in ("kind", "format_version", "collector", "started_at", "finished_at",
                                        "cluster_name", "options", "phases") if k in manifest}
    ordered.update({k: v for k, v in manifest.items() if k not in ordered})
    _write(root / "snapshot.json", json.dumps(ordered, indent=2) + "\n")
    _write(root / "COLLECTION_SUMMARY.md", summary_markdown(ordered))
    return ordered


def _write(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _cell(value: object) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def _by_kind(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))


def _redactions(artifact: dict[str, Any]) -> str:
    """3 (password 2, url-password 1)"""
    total = artifact.get("redactions", 0)
    kinds = artifact.get("redactions_by_kind") or {}
    return f"{total} ({_by_kind(kinds)})" if total and kinds else str(total)


def _artifact_rows(artifacts: list[dict[str, Any]]) -> list[str]:
    rows = ["| artifact | instance | key | status | bytes | redactions | note |", "|---|---|---|---|---|---|---|"]
    for a in artifacts:
        note = a.get("error") or ("truncated to the size/time limit" if a.get("truncated") else "")
        rows.append(
            f"| {_cell(a['name'])} | {_cell(a.get('instance'))} | {_cell(a.get('key'))} | {a['status']} | "
            f"{a.get('size', 0)} | {_redactions(a)} | {_cell(note)} |"
        )
    return rows


def summary_markdown(manifest: dict[str, Any]) -> str:
    """COLLECTION_SUMMARY.md: what was and was not collected, and why; from the manifest only."""
    hosts = manifest.get("hosts", {})
    statuses = Counter(h["status"] for h in hosts.values())
    lines = [
        f"# Collection summary: {manifest.get('cluster_name') or 'unnamed cluster'}",
        "",
        f"Collected {manifest.get('started_at')} → {manifest.get('finished_at')} by "
        f"{manifest['collector'].get('name')} {manifest['collector'].get('version')} "
        f"(ansible-core {manifest['collector'].get('ansible_version', '?')}).",
        "",
        f"Hosts: {len(hosts)} ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items())) or 'none'}). "
        f"Secret values redacted: {manifest.get('redactions_total', 0)}"
        + (f" ({_by_kind(manifest['redactions_by_kind'])})" if manifest.get("redactions_by_kind") else "")
        + ". Keystores are never copied; placeholders name the kind of secret (`[REDACTED:password]`).",
        "",
    ]
    if manifest.get("phases"):
        lines += ["## Phases", "", "| phase | status | seconds | detail |", "|---|---|---|---|"]
        lines += [f"| {_cell(p['name'])} | {p.get('status', '')} | {p.get('duration_s', '')} | {_cell(p.get('detail'))} |"
                  for p in manifest["phases"]]
        lines.append("")
    lines += ["## Hosts", "", "| host | status | reason | processes | artifacts |", "|---|---|---|---|---|"]
    for name, host in hosts.items():
        processes = ", ".join(f"{p['instance']} (pid {p['pid']})" for p in host.get("processes", [])) or "none"
        counts = Counter(a["status"] for a in host.get("artifacts", []))
        lines.append(f"| {_cell(name)} | {host['status']} | {_cell(host.get('reason'))} | {_cell(processes)} | "
                     f"{', '.join(f'{n} {s}' for s, n in sorted(counts.items())) or 'none'} |")
    lines.append("")
    for name, host in hosts.items():
        if not host.get("artifacts"):
            continue
        lines += [f"### {name}", "", *_artifact_rows(host["artifacts"]), ""]
    lines += [f"## Cluster-wide commands (run on {manifest.get('cluster_source_host') or 'no host'})", ""]
    if manifest.get("cluster_artifacts"):
        lines += [*_artifact_rows(manifest["cluster_artifacts"]), ""]
    else:
        lines += ["None were collected: no reachable broker with a running Kafka process.", ""]
    if manifest.get("notes"):
        lines += ["## Notes", "", *[f"- {_cell(n)}" for n in manifest["notes"]], ""]
    lines += ["A check that needs an artifact not collected here reports *skipped: not collected*; "
              "nothing is reported as healthy for lack of data.", ""]
    return "\n".join(lines)


def archive(root: Path) -> Path:
    """<root>.tar.gz (mode 0600) of the snapshot directory."""
    target = root.with_name(root.name + ".tar.gz")
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as tar:
        tar.add(root, arcname=root.name)
    return target
