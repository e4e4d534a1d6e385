"""The analyse command: options in, reports out, exit code back."""

from __future__ import annotations

import datetime as dt
import gc
import math
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.check_budget import DEFAULT_CHECK_BUDGET_S
from kafkapilot.engine import EngineOptions
from kafkapilot.errors import KafkaPilotError
from kafkapilot.exit_codes import EXIT_FAIL_ON, EXIT_OK
from kafkapilot.findings import Report, Severity, Status, at_least
from kafkapilot.llm.config import resolve_llm_config
from kafkapilot.llm.usage import prompt_runner, usage_line
from kafkapilot.settings import load_settings, merged_params
from kafkapilot.snapshot.load import MAX_ARCHIVE_BYTES
from kafkapilot.waivers import apply_waivers, load_waivers

__all__ = ["REPORT_BASENAME", "run_analyse"]

REPORT_BASENAME = "kafkapilot-report"


def run_analyse(  # keyword-only: mirrors the command's options
    *,
    example_dir: Path,
    snapshot: Path | None,
    example: bool,
    formats: tuple[str, ...],
    output: Path | None,
    task_ids: str | None,
    categories: tuple[str, ...],
    severity_min: str | None,
    fail_on: str | None,
    params: tuple[str, ...],
    config_file: Path | None,
    tasks_dirs: tuple[Path, ...],
    no_color: bool,
    model: str | None = None,
    api_base: str | None = None,
    llm_timeout: float | None = None,
    llm_deadline: float | None = None,
    no_cache: bool = False,
    llm_debug: Path | None = None,
    concurrency: int | None = None,
    max_tokens_per_request: int | None = None,
    context_window: int | None = None,
    check_budget: float | None = None,
    max_archive_bytes: int | None = None,
    waivers: Path | None = None,
    summary: bool = False,
    debug: bool = False,  # noqa: ARG001 - handled by the error wrapper
) -> int:
    """Run one analysis and write its reports; return the process exit code."""
    target = _target(snapshot, example, example_dir)
    formats = formats or ("terminal",)
    if len(formats) > 1 and output is None:
        raise KafkaPilotError("several --report formats need --output DIR", where="--report")
    settings = load_settings(config_file)
    overrides = merged_params(settings, params)
    catalog = load_catalog(default_tasks_dir(), *settings.tasks_dirs, *tasks_dirs)
    if not catalog.tasks:
        raise KafkaPilotError("no task could be loaded", where=str(default_tasks_dir()),
                              hint="; ".join(catalog.errors[:3]))
    unknown = sorted(set(overrides) - {t.id for t in catalog.tasks})
    selection = Selection(
        task_ids=tuple(t.strip() for t in (task_ids or "").split(",") if t.strip()),
        categories=categories,
        severity_min=Severity(severity_min) if severity_min else None,
        extra_errors=tuple(f"--param/config: unknown task id {t!r}; its parameters were ignored" for t in unknown),
    )
    llm = resolve_llm_config(
        {"model": model, "api_base": api_base, "timeout": llm_timeout, "deadline": llm_deadline,
         "cache": False if no_cache else None,
         "debug_file": llm_debug, "concurrency": concurrency, "max_tokens_per_request": max_tokens_per_request,
         "context_window": context_window},
        settings.llm,
        base_dir=config_file.parent if config_file else None,
    )
    with _cycle_collector_paused():
        budget = DEFAULT_CHECK_BUDGET_S if check_budget is None else check_budget
        if not 0 <= budget < math.inf:
            raise KafkaPilotError("must be a number of seconds ≥ 0 (0: no budget)", where="--check-budget")
        waiver_file = waivers or settings.waivers
        accepted = load_waivers(waiver_file) if waiver_file else ()  # a bad file fails before the analysis
        report = analyse(target, catalog, selection,
                         EngineOptions(param_overrides=overrides, prompt_runner=prompt_runner(llm),
                                       check_budget_s=budget or None),
                         max_archive_bytes=max_archive_bytes or MAX_ARCHIVE_BYTES)
        if waiver_file:
            report = apply_waivers(report, accepted, today=dt.datetime.now(dt.UTC).date())
        report = at_least(report, selection.severity_min)
        _emit(report, formats, output, color=_color_wanted(no_color=no_color), summary=summary)
    if llm.enabled:
        sys.stderr.write(usage_line(report) + "\n")
    return _exit_code(report, fail_on)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the analysis builds and renders its millions of small objects
    (it collected a thousand times in a 1000-broker run, an eighth of the run's CPU time, and found about
    2,000 objects in cycles): reference counting frees the rest. Turned back on once the facts are gone,
    so that the collection it then owes has little to look at."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _target(snapshot: Path | None, example: bool, example_dir: Path) -> Path:  # noqa: FBT001
    if example and snapshot is not None:
        raise KafkaPilotError("give either a SNAPSHOT directory or --example, not both", where="analyse")
    if example:
        return example_dir
    if snapshot is None:
        raise KafkaPilotError(
            "missing SNAPSHOT directory",
            where="analyse",
            hint="collect one with `ansible-playbook collect.yml -i INVENTORY`, or try --example",
        )
    return snapshot


def _color_wanted(*, no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _emit(report: Report, formats: tuple[str, ...], output: Path | None, *, color: bool, summary: bool) -> None:
    from kafkapilot.report.registry import get_renderer  # noqa: PLC0415

    if summary:
        if formats != ("terminal",):
            raise KafkaPilotError("--summary prints the terminal report's one-line summary; it takes no other "
                                  "--report format", where="--summary")
        from kafkapilot.report.render_terminal import render_report_problems, render_summary  # noqa: PLC0415

        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        text = render_summary(report, color=color, width=width)
        sys.stderr.write(render_report_problems(report))
        if output is None:
            _write_stdout(text)
        else:
            _make_directory(output)
            path = output / f"{REPORT_BASENAME}-summary.txt"
            _write_atomically(path, text)
            sys.stderr.write(f"wrote {path}\n")
        return
    if output is None:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        _write_stdout(get_renderer(formats[0])(report, color=color, width=width))
        return
    _make_directory(output)
    for fmt in dict.fromkeys(formats):
        renderer = get_renderer(fmt)
        path = output / f"{REPORT_BASENAME}{renderer.extension}"
        _write_atomically(path, renderer(report))
        sys.stderr.write(f"wrote {path}\n")


def _make_directory(output: Path) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KafkaPilotError(f"cannot create the output directory: {exc.strerror}", where=str(output)) from None


def _write_stdout(text: str) -> None:
    """Print ``text`` whatever it holds: what the terminal's encoding cannot write (a lone surrogate from a
    snapshot's JSON) becomes a replacement character instead of a traceback."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    sys.stdout.write(text.encode(encoding, errors="replace").decode(encoding))


def _write_atomically(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a reader (node_exporter's textfile collector, a CI step) never sees
    half a report. The temporary file's name does not end in the report's extension, so collectors skip it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8", errors="replace")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise KafkaPilotError(f"cannot write the report: {exc.strerror}", where=str(path)) from None


def _exit_code(report: Report, fail_on: str | None) -> int:
    if fail_on is None:
        return EXIT_OK
    threshold = Severity(fail_on)
    failing = [f for f in report.findings if f.status is Status.FAIL and f.severity.at_least(threshold)]
    return EXIT_FAIL_ON if failing else EXIT_OK
