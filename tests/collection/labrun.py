"""Run collect.yml against the lab the way a user does, and read back what it wrote."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
_RECAP = re.compile(r"^(\S+)\s+:\s+(.*)$")
#: Analyser inputs every reachable broker host must have (readable without root).
REQUIRED_HOST = ("hostname", "os_release", "uname", "nproc", "meminfo", "sysctl", "thp_enabled", "thp_defrag", "df",
                 "df_inodes", "mounts", "listening_sockets", "clock_sync", "processes", "uptime")
REQUIRED_KAFKA = ("process_cmdline", "process_status", "process_limits", "java_version", "kafka_version",
                  "server_properties", "log4j_config", "systemd_unit", "environment_file", "meta_properties",
                  "log_dir_usage", "log_file", "gc_log")
REQUIRED_CLUSTER = ("broker_api_versions", "topics_describe", "topics_under_replicated", "topics_under_min_isr",
                    "topics_at_min_isr", "topics_unavailable", "topic_configs", "broker_configs",
                    "broker_default_configs", "consumer_groups", "consumer_groups_state", "features", "log_dirs",
                    "acls")


@dataclass
class Run:
    snapshot: Path
    recap: dict[str, dict[str, int]]
    stdout: str
    seconds: float
    rc: int = 0


def ansible_playbook(binary: Path | None = None) -> str:
    return str(binary or VENV_BIN / "ansible-playbook")


def run_collect(inventory: Path, out: Path, *args: str, binary: Path | None = None, timeout: float = 600) -> Run:
    """`ansible-playbook collect.yml -i INVENTORY` from the repository root; the new snapshot dir."""
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.iterdir())
    env = {**os.environ, "PATH": f"{Path(ansible_playbook(binary)).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "ANSIBLE_NOCOLOR": "1"}
    started = time.monotonic()
    result = subprocess.run([ansible_playbook(binary), "collect.yml", "-i", str(inventory),
                             "-e", f"kafkapilot_output_dir={out}", *args],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    seconds = time.monotonic() - started
    created = sorted(p for p in set(out.iterdir()) - before if p.is_dir())
    assert created, f"no snapshot written (rc {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    return Run(created[-1], parse_recap(result.stdout), result.stdout, seconds, result.returncode)


def parse_recap(stdout: str) -> dict[str, dict[str, int]]:
    recap: dict[str, dict[str, int]] = {}
    lines = stdout.split("PLAY RECAP", 1)[-1].splitlines()[1:]
    for line in lines:
        match = _RECAP.match(line.strip())
        if not match:
            if recap:
                break
            continue
        recap[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return recap


def tree_digest(root: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """path → sha256 (or link target / 'dir') of everything under root."""
    digest: dict[str, str] = {}
    if not root.exists():
        return digest
    for path in sorted(root.rglob("*")):
        relative = str(path.relative_to(root))
        if any(part in relative for part in skip):
            continue
        if path.is_symlink():
            digest[relative] = "-> " + os.readlink(path)
        elif path.is_dir():
            digest[relative] = f"dir {oct(path.stat().st_mode & 0o7777)}"
        elif path.is_file():
            digest[relative] = hashlib.sha256(path.read_bytes()).hexdigest() + f" {oct(path.stat().st_mode & 0o7777)}"
    return digest


def owned_by(directory: Path, uid: int) -> set[str]:
    """Entries directly under `directory` (and one level down) owned by `uid`."""
    found = set()
    if not directory.is_dir():
        return found
    for path in list(directory.iterdir()) + [p for d in directory.iterdir() if d.is_dir() and not d.is_symlink()
                                             for p in _safe_iter(d)]:
        try:
            if path.lstat().st_uid == uid:
                found.add(str(path))
        except OSError:
            continue
    return found


def _safe_iter(directory: Path) -> list[Path]:
    try:
        return list(directory.iterdir())
    except OSError:
        return []


def artifacts(manifest: Any, host: str) -> dict[tuple[str, str | None], list[Any]]:
    found: dict[tuple[str, str | None], list[Any]] = {}
    for artifact in manifest.hosts[host].artifacts:
        found.setdefault((artifact.name, artifact.instance), []).append(artifact)
    return found
