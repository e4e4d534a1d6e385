"""An AWX job, as AWX runs one, without AWX: ansible-runner over a private data directory laid out
the way AWX's RunJob lays it out (awx/main/tasks/jobs.py), so that the collection meets what it
meets in AWX:

* `project/`: a copy of the project (AWX copies the synced checkout there; the job's cwd and
  therefore `playbook_dir`); here collect.yml and ansible.cfg copied, collections/ linked;
* `inventory/hosts`: the inventory as AWX hands it to every job, whatever its source (created in the
  UI or imported from a project): an executable script printing the inventory as JSON, so
  `inventory_dir` is the job's private `inventory/` folder, never the project;
* `env/extravars`: the job template's extra variables and the survey's answers;
* `ssh_key`: the machine credential's key, which ansible-runner loads into an ssh-agent it starts
  around ansible-playbook (`ssh-agent sh -c 'ssh-add …; ansible-playbook …'`), as AWX's jobs do;
* AWX's environment: ANSIBLE_HOST_KEY_CHECKING=False (AWX's default setting), a ControlPath dir in
  the private folder, retry files off;
* the job's artifacts: what set_stats published, read from the playbook_on_stats event
  (`artifact_data`), which is what AWX stores as the job's artifacts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class AwxJob:
    private: Path
    status: str
    rc: int
    stats: dict[str, Any]
    artifacts: dict[str, Any]
    stdout: str

    @property
    def project(self) -> Path:
        return self.private / "project"


def project(private: Path, files: dict[str, str] | None = None) -> Path:
    """`private`/project: the project's entry points (copies), collections/ (a link), and `files`."""
    where = private / "project"
    where.mkdir(parents=True)
    for name in ("collect.yml", "ansible.cfg"):
        shutil.copy2(ROOT / name, where / name)
    (where / "collections").symlink_to(ROOT / "collections")
    for name, text in (files or {}).items():
        (where / name).write_text(text)
    return where


def inventory_script(private: Path, inventory: Path) -> Path:
    """AWX's job inventory: a script printing `inventory` (any Ansible inventory source) as JSON."""
    listed = subprocess.run([str(BIN / "ansible-inventory"), "-i", str(inventory), "--list", "--export"],
                            capture_output=True, text=True, timeout=120, check=True).stdout
    script = private / "inventory" / "hosts"
    script.parent.mkdir(parents=True)
    script.write_text(f"#! /usr/bin/env python3\n# -*- coding: utf-8 -*-\nprint({json.dumps(listed)})\n")
    script.chmod(0o700)
    return script


def run_job(private: Path, inventory: Path, extra_vars: dict[str, Any], *, ssh_key: str | None = None,
            files: dict[str, str] | None = None, limit: str | None = None, cmdline: str | None = None,
            env: dict[str, str] | None = None) -> AwxJob:
    """Run collect.yml as an AWX job; `inventory` is converted to AWX's inventory script. `cmdline` is
    what the job template adds (AWX: `--become` for "Privilege Escalation", `-u USER`, `--forks N` …)."""
    import ansible_runner  # noqa: PLC0415

    project(private, files)
    script = inventory_script(private, inventory)
    (private / "cp").mkdir(mode=0o700)
    envvars = {"ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_SSH_CONTROL_PATH_DIR": str(private / "cp"),
               "ANSIBLE_RETRY_FILES_ENABLED": "False", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(env or {})}
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK" and not k.startswith("ANSIBLE_")}
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the job's environment is AWX's, not this test process's
    try:
        runner = ansible_runner.run(private_data_dir=str(private), playbook="collect.yml", inventory=str(script),
                                    extravars=extra_vars, envvars=envvars, ssh_key=ssh_key, limit=limit,
                                    cmdline=cmdline,
                                    ident="7", quiet=True, settings={"suppress_ansible_output": True})
    finally:
        os.environ.clear()
        os.environ.update(saved)
    events = private / "artifacts" / "7" / "job_events"
    stats = [json.loads(p.read_text()) for p in events.glob("*.json") if "playbook_on_stats" in p.read_text()]
    artifacts = stats[-1]["event_data"].get("artifact_data", {}) if stats else {}
    stdout = (private / "artifacts" / "7" / "stdout").read_text(errors="replace")
    return AwxJob(private, runner.status, runner.rc, runner.stats or {}, artifacts, stdout)
