"""Private /etc/passwd, /etc/group, /etc/shadow per host: the machine's own plus `kafka` and `ops`.

The files are bind-mounted inside each host's mount namespace, so the machine's /etc/passwd is
never modified. The ids are ones the machine does not use.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LabUsers", "pick_ids", "write_user_db"]


@dataclass(frozen=True)
class LabUsers:
    kafka_uid: int
    kafka_gid: int
    ops_uid: int
    ops_gid: int


def _used(path: str, field: int = 2) -> set[int]:
    ids = set()
    for line in Path(path).read_text().splitlines():
        parts = line.split(":")
        if len(parts) > field and parts[field].isdigit():
            ids.add(int(parts[field]))
    return ids


def pick_ids(start: int = 4242) -> LabUsers:
    """Two uid/gid pairs unused on this machine (kafka first, then ops)."""
    used = _used("/etc/passwd") | _used("/etc/group")
    free: list[int] = []
    candidate = start
    while len(free) < 2:
        if candidate not in used:
            free.append(candidate)
        candidate += 1
    return LabUsers(free[0], free[0], free[1], free[1])


def _with_member(line: str, user: str) -> str:
    """A /etc/group line with `user` added to its members."""
    name, password, gid, members = [*line.split(":"), ""][:4]
    return ":".join((name, password, gid, ",".join([m for m in members.split(",") if m] + [user])))


def write_user_db(etc: Path, users: LabUsers, *, ops_sudo: bool) -> None:
    """Write passwd, group, shadow (and sudoers.d/ops when sudo exists) under `etc`."""
    passwd = Path("/etc/passwd").read_text().rstrip("\n").splitlines()
    group = Path("/etc/group").read_text().rstrip("\n").splitlines()
    shadow = Path("/etc/shadow").read_text().rstrip("\n").splitlines() if Path("/etc/shadow").exists() else []
    passwd += [f"kafka:x:{users.kafka_uid}:{users.kafka_gid}:Apache Kafka:/var/lib/kafka:/usr/sbin/nologin",
               f"ops:x:{users.ops_uid}:{users.ops_gid}:Operations:/home/ops:/bin/bash"]
    # ops reads the client config and keystores through the kafka group, as an admin account would
    group += [f"kafka:x:{users.kafka_gid}:ops", f"ops:x:{users.ops_gid}:"]
    # and the system journal through systemd-journal, as journalctl needs without root (hosts running journald)
    group = [_with_member(line, "ops") if line.startswith("systemd-journal:") else line for line in group]
    # '*': no password and not locked, so key authentication works ('!' would lock the account)
    shadow += ["kafka:*:19000:0:99999:7:::", "ops:*:19000:0:99999:7:::"]
    (etc / "passwd").write_text("\n".join(passwd) + "\n")
    (etc / "group").write_text("\n".join(group) + "\n")
    (etc / "shadow").write_text("\n".join(shadow) + "\n")
    (etc / "passwd").chmod(0o644)
    (etc / "group").chmod(0o644)
    (etc / "shadow").chmod(0o640)
    shadow_gid = next((int(g.split(":")[2]) for g in group if g.startswith("shadow:")), 0)
    os.chown(etc / "shadow", 0, shadow_gid)
    if ops_sudo:
        sudoers = etc / "sudoers.d"
        sudoers.mkdir(exist_ok=True)
        for item in Path("/etc/sudoers.d").iterdir() if Path("/etc/sudoers.d").is_dir() else []:
            if item.is_file():
                (sudoers / item.name).write_bytes(item.read_bytes())
                (sudoers / item.name).chmod(0o440)
        (sudoers / "ops").write_text("ops ALL=(ALL) NOPASSWD:ALL\n")
        (sudoers / "ops").chmod(0o440)
