"""`kafkapilot collect`: collect.yml through ansible-runner, with a live progress display.

The playbook runs in a child process whose environment is reduced to what Ansible and ssh
need (no LLM key, no cloud credential reaches it or ansible-runner's artifacts, which record
the environment). Progress comes from runner events: hosts probed and collected, the
current phase, unreachable and failed hosts. The result is read from the playbook's
set_stats summary, never guessed from the exit code (4 means both "unreachable" and
"parser error" to ansible-playbook).
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from kafkapilot.errors import KafkaPilotError

__all__ = ["CollectResult", "collect", "project_root", "scrubbed_environ"]

#: What the playbook's process may inherit; everything else (API keys …) is dropped.
_KEEP: Final = re.compile(
    r"^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|LC_\w+|TERM|TZ|TMPDIR|SSH_AUTH_SOCK|SSH_AGENT_PID|"
    r"ANSIBLE_\w+|VIRTUAL_ENV|PYTHONPATH|PYTHONHOME|KAFKAPILOT_LAB_DIR|NO_COLOR)$"
)
_SECRETISH: Final = re.compile(r"(?i)(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)")
EXIT_OK: Final = 0
EXIT_INCOMPLETE: Final = 2  # the snapshot is written, but some host is unreachable or failed


#: beside collect.yml: the collection kafkapilot.kafkapilot that it imports (found by adjacency)
COLLECTION: Final = Path("collections", "ansible_collections", "kafkapilot", "kafkapilot")


def project_root() -> Path:
    """The directory holding collect.yml, ansible.cfg and collections/ (the collection it runs).

    KAFKAPILOT_PROJECT_DIR when set (a checkout with local changes), else the repository
    checkout this package runs from, else the copy an installed wheel carries (ansible_project/).
    """
    override = os.environ.get("KAFKAPILOT_PROJECT_DIR")
    package = Path(__file__).resolve().parents[1]
    candidates = [Path(override)] if override else [package.parent, package / "ansible_project"]
    for candidate in candidates:
        if (candidate / "collect.yml").is_file() and (candidate / COLLECTION / "galaxy.yml").is_file():
            return candidate
    what = f"collect.yml and {COLLECTION}/"
    if override:
        raise KafkaPilotError(f"KAFKAPILOT_PROJECT_DIR={override}: no {what} there",
                              hint="point it at a KafkaPilot checkout, or unset it to use the installed copy")
    raise KafkaPilotError(f"{what} not found in {package.parent} nor in {package / 'ansible_project'}",
                          hint="reinstall kafkapilot, or set KAFKAPILOT_PROJECT_DIR to a KafkaPilot checkout")


@contextmanager
def scrubbed_environ() -> Iterator[dict[str, str]]:
    """os.environ reduced to _KEEP (ANSIBLE_* kept unless secret-looking) for the block; restored after."""
    saved = dict(os.environ)
    kept = {k: v for k, v in saved.items() if _KEEP.match(k) and not (k.startswith("ANSIBLE_") and _SECRETISH.search(k))}
    os.environ.clear()
    os.environ.update(kept)
    try:
        yield kept
    finally:
        os.environ.clear()
        os.environ.update(saved)


@dataclass
class Progress:
    """What the events said so far (written by runner's thread, read by the display)."""

    play: str = "starting"
    task: str = ""
    hosts: set[str] = field(default_factory=set)
    probed: dict[str, str] = field(default_factory=dict)
    collected: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    cluster: str | None = None
    summary: dict[str, Any] | None = None
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CollectResult:
    exit_code: int
    snapshot: str | None
    summary: dict[str, Any] | None
    stats: dict[str, Any]
    seconds: float


def _on_event(progress: Progress, events: queue.Queue[str]) -> Any:
    def handle(event: dict[str, Any]) -> bool:
        data = event.get("event_data") or {}
        kind = event.get("event", "")
        host = data.get("host")
        if kind == "playbook_on_play_start":
            progress.play = str(data.get("play", "")).replace("KafkaPilot | ", "")
        elif kind == "playbook_on_task_start":
            progress.task = str(data.get("task", ""))
        elif kind == "runner_on_start" and host:
            progress.hosts.add(host)
        elif kind in ("runner_on_ok", "runner_on_unreachable", "runner_on_failed") and host:
            _record(progress, kind, data)
        elif kind == "playbook_on_stats":
            progress.stats = {k: data.get(k) for k in ("ok", "changed", "dark", "failures", "ignored", "rescued", "skipped")}
            progress.summary = (data.get("artifact_data") or {}).get("kafkapilot_snapshot")
        events.put(kind)
        return False  # nothing is kept on disk: the snapshot is the record

    return handle


def _record(progress: Progress, kind: str, data: dict[str, Any]) -> None:
    host, action, res = data["host"], data.get("task_action", ""), data.get("res") or {}
    if action.endswith("kafkapilot.probe"):
        progress.probed[host] = "ok" if res.get("reachable") else "unreachable"
        if not res.get("reachable"):
            progress.problems[host] = str(res.get("reason") or res.get("msg") or "unreachable")
    elif action.endswith("kafkapilot.host_facts") and kind == "runner_on_ok":
        entry = res.get("host_entry") or {}
        progress.collected[host] = entry.get("status", "failed")
        if entry.get("status") not in ("ok", None):
            progress.problems[host] = str(entry.get("reason") or entry.get("status"))
    elif action.endswith("kafkapilot.cluster") and kind == "runner_on_ok":
        progress.cluster = f"on {res.get('source_host')}"
    elif kind in ("runner_on_failed", "runner_on_unreachable") and not data.get("ignore_errors"):
        progress.problems.setdefault(host, str(res.get("msg") or kind)[:200])


def _render(progress: Progress, started: float) -> Any:
    from rich.table import Table  # noqa: PLC0415 - rich only when a display is wanted

    table = Table.grid(padding=(0, 2))
    total = len(progress.hosts) or 0
    done = len(progress.collected) + sum(1 for s in progress.probed.values() if s != "ok")
    table.add_row("phase", f"{progress.play} — {progress.task}")
    table.add_row("hosts", f"{done}/{total} done ({len(progress.probed)} probed)  {time.monotonic() - started:5.1f}s")
    if progress.cluster:
        table.add_row("cluster", progress.cluster)
    for host, problem in sorted(progress.problems.items()):
        table.add_row(f"[yellow]{host}[/yellow]", problem[:150])
    return table


def collect(
    inventory: Path,
    *,
    limit: str | None = None,
    output: Path | None = None,
    extra_vars: dict[str, Any] | None = None,
    check: bool = False,
    show_progress: bool = True,
    keep_artifacts: bool = False,
) -> CollectResult:
    """Run collect.yml over `inventory`; return where the snapshot is and what happened."""
    import ansible_runner  # noqa: PLC0415 - heavy, only for this command

    root = project_root()
    if not inventory.exists():
        raise KafkaPilotError("no such inventory", where=str(inventory))
    extravars = {"kafkapilot_output_dir": str((output or Path.cwd()).resolve()), **(extra_vars or {})}
    target = Path(extravars["kafkapilot_output_dir"])
    if target.exists() and not target.is_dir():  # a missing one is created (0700) by the playbook
        raise KafkaPilotError("not a directory", where=extravars["kafkapilot_output_dir"])
    binary = Path(sys.executable).with_name("ansible-playbook")  # the venv's, first on PATH
    private = Path(tempfile.mkdtemp(prefix="kafkapilot-collect-"))
    progress, events = Progress(), queue.Queue()
    started = time.monotonic()
    try:
        with scrubbed_environ() as env:
            envvars = {
                "ANSIBLE_CONFIG": str(root / "ansible.cfg"),
                "ANSIBLE_NOCOLOR": "1",
                # ansible-runner turns host key checking off unless told otherwise: keep it on
                "ANSIBLE_HOST_KEY_CHECKING": "True",
                "PATH": f"{binary.parent}{os.pathsep}{env.get('PATH', '')}",
            }
            thread, runner = ansible_runner.run_async(
                private_data_dir=str(private),
                project_dir=str(root),
                playbook=str(root / "collect.yml"),
                inventory=str(inventory.resolve()),
                limit=limit,
                extravars=extravars,
                envvars=envvars,
                cmdline="--check" if check else None,
                quiet=True,
                suppress_env_files=True,
                event_handler=_on_event(progress, events),
                ident="kafkapilot",
            )
            _follow(thread, progress, events, started, show_progress)
        rc = runner.rc
    finally:
        if not keep_artifacts:
            shutil.rmtree(private, ignore_errors=True)
    seconds = round(time.monotonic() - started, 1)
    summary = progress.summary
    if not summary:
        raise KafkaPilotError(f"the playbook ended (status {runner.status}, rc {rc}) without writing a snapshot",
                              hint="rerun with --keep-artifacts and read its stdout")
    complete = all(status in ("ok", "partial") for status in summary.get("hosts", {}).values())
    return CollectResult(EXIT_OK if complete else EXIT_INCOMPLETE, summary.get("path"), summary, progress.stats, seconds)


def _follow(thread: threading.Thread, progress: Progress, events: queue.Queue[str], started: float, show: bool) -> None:
    if not show:
        thread.join()
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.live import Live  # noqa: PLC0415

    console = Console(stderr=True)
    with Live(_render(progress, started), console=console, refresh_per_second=4, transient=False) as live:
        while thread.is_alive():
            try:
                events.get(timeout=0.25)
            except queue.Empty:
                pass
            live.update(_render(progress, started))
        live.update(_render(progress, started))
