"""Each host's private file tree and the bind mounts that put it over the machine's paths."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Final

from .paths import host_root
from .topology import ALL_LAB_HOSTS, Host

__all__ = ["EMPTY_PRIVATE", "private_paths", "prepare_root", "mount_plan", "machine_paths", "ensure_mountpoints",
           "remove_mountpoints", "chown_tree"]

_COPIED = ("/etc/default", "/etc/systemd/system")  # start from the machine's content, as a real host would


#: directories every host has to itself, made empty with these modes (as a booted machine's /tmp and /run):
#: a JVM keeps its perf data in /tmp/hsperfdata_<user>/<pid>, and the PID namespaces give every broker the
#: same small pids, so a shared /tmp would mix the brokers' files; sshd needs /run/sshd, and mounting the
#: host's own /run needs no mount point made (and later removed) on the machine.
EMPTY_PRIVATE: Final = {"/tmp": 0o1777, "/run": 0o755}


def private_paths(host: Host, *, sudo: bool) -> tuple[list[str], list[str]]:
    """(directories, files) that are private to `host`."""
    dirs = [*EMPTY_PRIVATE, "/etc/default", "/etc/systemd/system", "/etc/ssh", "/home"]
    if host.roles - {"bastion"}:
        dirs += ["/etc/kafka", "/var/log/kafka", "/var/lib/kafka"]
    if "zookeeper" in host.roles:
        dirs += ["/var/lib/zookeeper", "/var/log/zookeeper"]
    if sudo:
        dirs.append("/etc/sudoers.d")
    return dirs, ["/etc/passwd", "/etc/group", "/etc/shadow", "/etc/hosts", "/etc/hostname"]


def prepare_root(host: Host, *, sudo: bool) -> Path:
    root = host_root(host.name)
    dirs, _ = private_paths(host, sudo=sudo)
    for d in dirs:
        target = root / d.lstrip("/")
        if d in _COPIED and Path(d).is_dir():
            shutil.copytree(d, target, symlinks=True, dirs_exist_ok=True)
        target.mkdir(parents=True, exist_ok=True)
        if d in EMPTY_PRIVATE:
            target.chmod(EMPTY_PRIVATE[d])
    (root / "etc" / "hostname").write_text(host.name + "\n")
    hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n\n# KafkaPilot lab hosts\n"
    hosts += "".join(f"{ip}\t{name}\n" for name, ip in ALL_LAB_HOSTS.items())
    (root / "etc" / "hosts").write_text(hosts)
    return root


def mount_plan(host: Host, dist: Path | None, *, sudo: bool) -> list[tuple[str, str, bool]]:
    root = host_root(host.name)
    dirs, files = private_paths(host, sudo=sudo)
    plan = [(str(root / p.lstrip("/")), p, False) for p in [*dirs, *files]]
    if dist is not None:
        plan.append((str(dist), "/opt/kafka", True))
    return plan


def machine_paths(plans: list[list[tuple[str, str, bool]]]) -> dict[str, bool]:
    """Each mount point of the plans, and each of its parents, -> whether it exists on the machine now."""
    paths = {str(p) for plan in plans for _, dst, _ in plan for p in (Path(dst), *Path(dst).parents)}
    return {p: os.path.lexists(p) for p in sorted(paths) if p != "/"}


def ensure_mountpoints(plans: list[list[tuple[str, str, bool]]]) -> list[str]:
    """Create missing mount points on the machine; return what was created (for `down`)."""
    created: list[str] = []
    for plan in plans:
        for src, dst, _ in plan:
            target = Path(dst)
            if target.exists() or target.is_symlink():
                continue
            missing = []
            p = target
            while not p.exists():
                missing.append(p)
                p = p.parent
            for m in reversed(missing[1:]):
                m.mkdir()
                created.append(str(m))
            if Path(src).is_dir():
                target.mkdir()
            else:
                target.touch()
            created.append(dst)
    return created


def remove_mountpoints(created: list[str]) -> list[str]:
    """Remove what ensure_mountpoints created, deepest first; return what could not be removed."""
    left = []
    for path in sorted(created, key=lambda p: p.count("/"), reverse=True):
        p = Path(path)
        try:
            if p.is_dir() and not p.is_symlink():
                p.rmdir()
            elif p.exists() and p.stat().st_size == 0:
                p.unlink()
        except OSError:
            left.append(path)
    return left


def chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)
