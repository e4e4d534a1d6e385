"""`kafkapilot diff OLD NEW`: parse options, build the diff, render it, return the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Final

import click

from kafkapilot.cli import _CONTEXT, _SEVERITY_CHOICE, _one_line_errors, _Path
from kafkapilot.diff.registry import DIFF_FORMATS
from kafkapilot.exit_codes import EXIT_FAIL_ON, EXIT_OK

__all__ = ["DIFF_BASENAME", "diff_command", "run_diff"]

DIFF_BASENAME: Final = "kafkapilot-diff"


@click.command("diff", context_settings=_CONTEXT)
@click.argument("old", type=_Path())
@click.argument("new", type=_Path())
@click.option("--report", "-r", "formats", multiple=True, type=click.Choice(list(DIFF_FORMATS)),
              help="Diff format; repeat for several (with --output). Default: terminal.")
@click.option("--output", "-o", type=_Path(file_okay=False), help=f"Write {DIFF_BASENAME}.<ext> into this directory.")
@click.option("--fail-on", type=_SEVERITY_CHOICE,
              help=f"Exit with code {EXIT_FAIL_ON} when a new finding (or a changed one that became severer or "
                   "fails on more subjects) is at this severity or above.")
@click.option("--max-archive-bytes", type=click.IntRange(min=1), metavar="BYTES",
              help="What a .tar.gz snapshot may unpack to (members' declared sizes). [default: 2 GiB]")
@click.option("--no-color", is_flag=True, help="Plain terminal output (also when NO_COLOR is set or not a TTY).")
@click.option("--debug", is_flag=True, hidden=True)
@_one_line_errors
def diff_command(**options: Any) -> None:
    """What changed between OLD and NEW: snapshots (directory or .tar.gz) or JSON reports of kafkapilot.

    Findings are paired by task and subject (new, resolved, changed, unchanged); between two snapshots also
    broker configs, brokers added, removed or restarted, versions, topics, replicas and ISR, and consumer lag
    with its rate per hour. Checks that need an LLM are not run. Exit codes: 0, 1 bad input, 2 usage,
    3 --fail-on.
    """
    sys.exit(run_diff(**options))


def run_diff(*, old: Path, new: Path, formats: tuple[str, ...], output: Path | None, fail_on: str | None,
             max_archive_bytes: int | None, no_color: bool, debug: bool = False) -> int:
    """Build the diff of `old` and `new`, write it, return the exit code."""
    del debug  # handled by the error wrapper
    from kafkapilot.catalog.load import default_tasks_dir, load_catalog  # noqa: PLC0415 - heavy: not for --help
    from kafkapilot.cli_analyse import (  # noqa: PLC0415
        _color_wanted,
        _cycle_collector_paused,
        _write_atomically,
        _write_stdout,
    )
    from kafkapilot.diff.build import build_diff  # noqa: PLC0415
    from kafkapilot.diff.match_findings import gating_findings  # noqa: PLC0415
    from kafkapilot.errors import KafkaPilotError  # noqa: PLC0415
    from kafkapilot.findings import Severity  # noqa: PLC0415
    from kafkapilot.snapshot.load import MAX_ARCHIVE_BYTES  # noqa: PLC0415

    formats = formats or ("terminal",)
    if len(formats) > 1 and output is None:
        raise KafkaPilotError("several --report formats need --output DIR", where="--report")
    catalog = load_catalog(default_tasks_dir())
    if not catalog.tasks:
        raise KafkaPilotError("no task could be loaded", where=str(default_tasks_dir()))
    with _cycle_collector_paused():  # as analyse does: the facts are millions of small objects
        diff = build_diff(old, new, catalog, max_archive_bytes=max_archive_bytes or MAX_ARCHIVE_BYTES)
    if output is None:
        _write_stdout(DIFF_FORMATS[formats[0]](diff, color=_color_wanted(no_color=no_color)))
    else:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KafkaPilotError(f"cannot create the output directory: {exc.strerror}", where=str(output)) from None
        for name in dict.fromkeys(formats):
            path = output / f"{DIFF_BASENAME}{DIFF_FORMATS[name].extension}"
            _write_atomically(path, DIFF_FORMATS[name](diff))
            sys.stderr.write(f"wrote {path}\n")
    if fail_on is not None and gating_findings(diff.findings, Severity(fail_on)):
        return EXIT_FAIL_ON
    return EXIT_OK
