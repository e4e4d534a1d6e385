"""The `kafkapilot collect` command: options in, one run of collect.yml, the snapshot path out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kafkapilot.errors import KafkaPilotError

__all__ = ["run_collect"]


def _extra_vars(pairs: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise KafkaPilotError(f"-e {pair!r}: expected KEY=VALUE")
        try:
            found[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            found[key.strip()] = value
    return found


def run_collect(
    inventory: Path,
    limit: str | None,
    output: Path | None,
    archive: bool,
    become: bool,
    check: bool,
    extra_vars: tuple[str, ...],
    no_progress: bool,
    keep_artifacts: bool,
) -> int:
    """Run the collection; print the snapshot's path and how to analyse it; return the exit code."""
    from kafkapilot.collect.runner import collect  # noqa: PLC0415 - ansible-runner is heavy

    variables = _extra_vars(extra_vars)
    if archive:
        variables["kafkapilot_archive"] = True
    if become:
        variables["kafkapilot_become"] = True
    show = not no_progress and sys.stderr.isatty()
    result = collect(inventory, limit=limit, output=output, extra_vars=variables, check=check, show_progress=show,
                     keep_artifacts=keep_artifacts)
    summary = result.summary or {}
    hosts = summary.get("hosts", {})
    counts: dict[str, int] = {}
    for status in hosts.values():
        counts[status] = counts.get(status, 0) + 1
    click.echo(f"collected {len(hosts)} hosts in {result.seconds}s: "
               + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())), err=True)
    for host, reason in sorted((summary.get("reasons") or {}).items()):
        click.echo(f"  {host}: {hosts.get(host)}: {reason}", err=True)
    click.echo(f"redactions: {summary.get('redactions_total', 0)}", err=True)
    if summary.get("archive"):
        click.echo(f"archive: {summary['archive']}", err=True)
    click.echo(f"snapshot: {result.snapshot}", err=True)
    click.echo(f"analyse it: kafkapilot-analyse {result.snapshot}", err=True)
    click.echo(result.snapshot)
    return result.exit_code
