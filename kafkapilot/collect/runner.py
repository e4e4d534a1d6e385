"""`kafkapilot collect`: collect.yml through ansible-runner, with a live progress display.

The playbook runs in a child process whose environment is reduced to what Ansible and ssh
need (no LLM key, no cloud credential reaches it or ansible-runner's artifacts, which record
the environment). Progress comes from runner events: hosts probed and collected, the
current phase, unreachable and failed hosts. The result is read from the playbook's
set_stats summary, never guessed from the exit code (4 means both "unreachable" and
"parser error" to ansible-playbook).

Operators' Ansible settings pass through (`AnsibleOptions`: vault ids and password files, the
remote user, the private key, become and its password, forks, limit, extra vars as
ansible-playbook takes them), and so does their ANSIBLE_CONFIG: then the only setting added is
pipelining (modules over stdin, nothing copied to the hosts), and the run says so.
"""

from __future__ import annotations

import configparser
import json
import os
import queue
import re
import shlex
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

__all__ = ["EXIT_NONE", "EXIT_OK", "EXIT_PARTIAL", "AnsibleOptions", "CollectResult", "ansible_environment", "collect",
           "project_root", "scrubbed_environ"]

#: What the playbook's process may inherit; everything else (API keys …) is dropped.
_KEEP: Final = re.compile(
    r"^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|LC_\w+|TERM|TZ|TMPDIR|SSH_AUTH_SOCK|SSH_AGENT_PID|"
    r"ANSIBLE_\w+|VIRTUAL_ENV|PYTHONPATH|PYTHONHOME|KAFKAPILOT_LAB_DIR|NO_COLOR)$"
)
_SECRETISH: Final = re.compile(r"(?i)(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)")
#: ANSIBLE_* variables that name a file (a vault password file, a private key), not a secret: kept
_NAMES_A_FILE: Final = re.compile(r"^ANSIBLE_\w+_(FILE|LIST)$")
#: Exit codes of `kafkapilot collect` (README, "Collect from a real cluster"). 1 is an error with no
#: snapshot (kafkapilot.exit_codes.EXIT_ERROR), 2 is Click's usage error: neither is reused here.
EXIT_OK: Final = 0  # every host collected (ok or partial)
EXIT_PARTIAL: Final = 4  # the snapshot is written, but some hosts are unreachable or failed
EXIT_NONE: Final = 5  # the snapshot is written, but no host could be collected (it records why)
#: ansible-playbook's own error line (ansible-core 2.19+ and older)
_ERROR_LINE: Final = re.compile(r"^(\[ERROR\]: |ERROR! )(.*)$")


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
    kept = {k: v for k, v in saved.items()
            if _KEEP.match(k)
            and not (k.startswith("ANSIBLE_") and _SECRETISH.search(k) and not _NAMES_A_FILE.match(k))}
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
            progress.stats = {k: data.get(k) for k in ("ok", "changed", "dark", "failures", "ignored", "rescued",
                                                       "skipped")}
            progress.summary = (data.get("artifact_data") or {}).get("kafkapilot_snapshot")
        events.put(kind)
        return False  # nothing is kept on disk: the snapshot is the record

    return handle


def _record(progress: Progress, kind: str, data: dict[str, Any]) -> None:
    host, action, res = data["host"], data.get("task_action", ""), data.get("res") or {}
    if action.endswith("kafkapilot.host_facts") and isinstance(res.get("probe"), dict):  # probed in the same task
        _record(progress, kind, {**data, "task_action": "kafkapilot.kafkapilot.probe", "res": res["probe"]})
        if not res["probe"].get("reachable"):
            return
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


@dataclass(frozen=True)
class AnsibleOptions:
    """The operator's ansible-playbook options, passed through as ansible-playbook takes them.

    Paths are made absolute here: the playbook runs from the project directory, not from the
    operator's. `passwords` maps ansible-playbook's prompts (regular expressions) to the answers
    the operator typed (--ask-vault-pass, --vault-id ID@prompt, --ask-become-pass).
    """

    extra_vars: tuple[str, ...] = ()  # each as `-e` takes it: KEY=VALUE, JSON/YAML, @FILE
    vault_ids: tuple[str, ...] = ()
    vault_password_files: tuple[str, ...] = ()
    ask_vault_pass: bool = False
    user: str | None = None
    private_key: str | None = None
    ask_become_pass: bool = False
    forks: int | None = None
    passwords: dict[str, str] = field(default_factory=dict)

    def args(self) -> list[str]:
        found: list[str] = []
        for vault_id in self.vault_ids:
            label, sep, source = vault_id.rpartition("@")
            found += ["--vault-id", f"{label}{sep}{_absolute(source)}" if sep and source != "prompt" else vault_id]
        for password_file in self.vault_password_files:
            found += ["--vault-password-file", _absolute(password_file)]
        if self.ask_vault_pass:
            found.append("--ask-vault-pass")
        if self.user:
            found += ["--user", self.user]
        if self.private_key:
            found += ["--private-key", _absolute(self.private_key)]
        if self.ask_become_pass:
            found.append("--ask-become-pass")
        if self.forks:
            found += ["--forks", str(self.forks)]
        for value in self.extra_vars:
            found += ["--extra-vars", "@" + _absolute(value[1:]) if value.startswith("@") else value]
        return found


def _absolute(path: str) -> str:
    """`path` from the operator's working directory (the playbook runs in the project's)."""
    return str(Path(path).expanduser().absolute()) if path else path


def ansible_environment(env: dict[str, str], root: Path) -> tuple[dict[str, str], str | None]:
    """What the playbook's environment adds to the operator's: (variables, the notice to print).

    Without ANSIBLE_CONFIG the project's ansible.cfg is used. With it, the operator's file is used
    and only pipelining is added (the collection's promise that nothing is copied to the hosts).
    Host key checking stays as the operator set it (environment, then their ansible.cfg), else on:
    ansible-runner would turn it off.
    """
    added = {"ANSIBLE_NOCOLOR": "1"}
    for name in ("ANSIBLE_VAULT_PASSWORD_FILE", "ANSIBLE_PRIVATE_KEY_FILE", "ANSIBLE_CONFIG"):
        if env.get(name) and not env[name].startswith(("/", "~")) and Path(env[name]).exists():
            added[name] = _absolute(env[name])  # relative to the operator's directory, not the project's
    config = added.get("ANSIBLE_CONFIG", env.get("ANSIBLE_CONFIG"))
    notice = None
    checking = env.get("ANSIBLE_HOST_KEY_CHECKING")
    if config:
        if not Path(config).expanduser().is_file():
            raise KafkaPilotError("no such file", where=f"ANSIBLE_CONFIG={config}",
                                  hint="point it at an ansible.cfg, or unset it to use KafkaPilot's")
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read(Path(config).expanduser())
        except configparser.Error as exc:
            raise KafkaPilotError(f"unreadable: {' '.join(str(exc).split())}",
                                  where=f"ANSIBLE_CONFIG={config}") from None
        checking = checking or parser.get("defaults", "host_key_checking", fallback=None)
        pipelining = env.get("ANSIBLE_PIPELINING") or parser.get("ssh_connection", "pipelining", fallback=None) \
            or parser.get("connection", "pipelining", fallback=None) \
            or parser.get("defaults", "pipelining", fallback=None)
        added["ANSIBLE_PIPELINING"] = "True"
        notice = (f"ansible.cfg: {config} (ANSIBLE_CONFIG); kafkapilot collect adds ANSIBLE_PIPELINING=True "
                  f"(was {pipelining or 'unset'}: modules go over stdin, nothing is copied to the hosts)")
    else:
        added["ANSIBLE_CONFIG"] = str(root / "ansible.cfg")
    added["ANSIBLE_HOST_KEY_CHECKING"] = checking or "True"
    return added, notice


def collect(
    inventory: Path | list[Path],
    *,
    limit: str | None = None,
    output: Path | None = None,
    extra_vars: dict[str, Any] | None = None,
    check: bool = False,
    ansible: AnsibleOptions | None = None,
    show_progress: bool = True,
    keep_artifacts: bool = False,
    notice: Any = None,
) -> CollectResult:
    """Run collect.yml over `inventory`; return where the snapshot is and what happened.

    Variables: kafkapilot_output_dir (`output`, else the current directory), then the operator's
    `-e` (ansible.extra_vars, later wins as with ansible-playbook), then `extra_vars` (what
    kafkapilot collect's own flags set: --archive, --become).
    """
    import ansible_runner  # noqa: PLC0415 - heavy, only for this command

    root = project_root()
    inventories = inventory if isinstance(inventory, list) else [inventory]
    for path in inventories:
        if not path.exists():
            raise KafkaPilotError("no such inventory", where=str(path))
    ansible = ansible or AnsibleOptions()
    output_dir = str((output or Path.cwd()).resolve())
    if Path(output_dir).exists() and not Path(output_dir).is_dir():  # a missing one is created (0700) by the playbook
        raise KafkaPilotError("not a directory", where=output_dir)
    args = ["--extra-vars", json.dumps({"kafkapilot_output_dir": output_dir}), *ansible.args()]
    if extra_vars:
        args += ["--extra-vars", json.dumps(extra_vars)]
    if check:
        args.append("--check")
    binary = Path(sys.executable).with_name("ansible-playbook")  # the venv's, first on PATH
    private = Path(tempfile.mkdtemp(prefix="kafkapilot-collect-"))
    progress, events = Progress(), queue.Queue()
    started = time.monotonic()
    try:
        with scrubbed_environ() as env:
            envvars, config_notice = ansible_environment(env, root)
            envvars["PATH"] = f"{binary.parent}{os.pathsep}{env.get('PATH', '')}"
            if config_notice and notice:
                notice(config_notice)
            thread, runner = ansible_runner.run_async(
                private_data_dir=str(private),
                # ansible-playbook runs in the operator's folder, as it would from their shell: the relative
                # paths of their inventory (-F ssh_config, known_hosts) are theirs; collect.yml, its
                # collection (beside it) and ansible.cfg (ANSIBLE_CONFIG) come from the project
                project_dir=str(Path.cwd()),
                playbook=str(root / "collect.yml"),
                inventory=[str(path.resolve()) for path in inventories],
                limit=limit,
                envvars=envvars,
                cmdline=shlex.join(args),
                passwords=ansible.passwords or None,
                quiet=True,
                suppress_env_files=True,
                event_handler=_on_event(progress, events),
                ident="kafkapilot",
            )
            _follow(thread, progress, events, started, show=show_progress)
        rc = runner.rc
        error = _playbook_error(private / "artifacts" / "kafkapilot" / "stdout")
    finally:
        if not keep_artifacts:
            shutil.rmtree(private, ignore_errors=True)
    seconds = round(time.monotonic() - started, 1)
    summary = progress.summary
    if not summary:
        failed = next(iter(sorted(progress.problems.items())), None)
        reason = error or (f"{failed[0]}: {failed[1]}" if failed else "no error line in its output")
        raise KafkaPilotError(f"ansible-playbook failed (rc {rc}) without writing a snapshot: {reason}",
                              hint="rerun with --keep-artifacts and read its stdout" if not error else None)
    statuses = list(summary.get("hosts", {}).values())
    complete = all(status in ("ok", "partial") for status in statuses)
    none = not any(status in ("ok", "partial") for status in statuses)
    code = EXIT_OK if complete else EXIT_NONE if none else EXIT_PARTIAL
    return CollectResult(code, summary.get("path"), summary, progress.stats, seconds)


def _playbook_error(stdout: Path) -> str | None:
    """ansible-playbook's own error line, with the `Origin:` line that follows it (the file and line)."""
    try:
        lines = [" ".join(line.split()) for line in stdout.read_text(errors="replace").splitlines()]
    except OSError:
        return None
    for index, line in enumerate(lines):
        match = _ERROR_LINE.match(line)
        if match:
            origin = next((n for n in lines[index + 1:index + 3] if n.startswith("Origin: ")), None)
            return f"{match.group(2)}{' (' + origin + ')' if origin else ''}"
    return None


def _follow(thread: threading.Thread, progress: Progress, events: queue.Queue[str], started: float, *,
            show: bool) -> None:
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
