"""Read a systemd unit and its EnvironmentFile the way systemd does (the subset the lab's units use).

Used by each host's init (hostinit.py) to start services as systemd would, since systemd itself
does not run in the lab. Standard library only.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ServiceSpec", "read_unit", "parse_env_file", "expand_exec"]


@dataclass
class ServiceSpec:
    argv: list[str]
    env: dict[str, str]
    user: str = "root"
    group: str = ""
    limit_nofile: tuple[int, int] | None = None
    working_directory: str = "/"
    extra: dict[str, list[str]] = field(default_factory=dict)


def parse_env_file(text: str) -> dict[str, str]:
    env: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.strip()
        if key.startswith("export "):
            key = key[len("export "):].strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        env[key] = value
    return env


def _sections(text: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def expand_exec(line: str, env: dict[str, str]) -> list[str]:
    """systemd rules: `$VAR` alone is split into words, `${VAR}` is replaced inside a word."""
    words: list[str] = []
    for word in shlex.split(line):
        whole = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if whole:
            words.extend(env.get(whole.group(1), "").split())
            continue
        words.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: env.get(m.group(1), ""), word))
    return words


def _limit(value: str) -> tuple[int, int]:
    soft, _, hard = value.partition(":")
    big = 1 << 20
    s = big if soft == "infinity" else int(soft)
    h = s if not hard else (big if hard == "infinity" else int(hard))
    return s, h


def read_unit(path: Path) -> ServiceSpec:
    svc = _sections(path.read_text()).get("Service", {})
    env: dict[str, str] = {}
    for item in svc.get("Environment", []):
        for assignment in shlex.split(item):
            key, _, value = assignment.partition("=")
            env[key] = value
    for item in svc.get("EnvironmentFile", []):  # systemd: files override Environment=
        optional = item.startswith("-")
        file = Path(item.lstrip("-"))
        if file.exists():
            env.update(parse_env_file(file.read_text()))
        elif not optional:
            msg = f"{path}: EnvironmentFile {file} does not exist"
            raise FileNotFoundError(msg)
    exec_start = svc.get("ExecStart", [""])[-1].lstrip("-@+!")
    spec = ServiceSpec(argv=expand_exec(exec_start, env), env=env, extra=svc)
    spec.user = svc.get("User", ["root"])[-1]
    spec.group = svc.get("Group", [""])[-1]
    spec.working_directory = svc.get("WorkingDirectory", ["/"])[-1]
    if "LimitNOFILE" in svc:
        spec.limit_nofile = _limit(svc["LimitNOFILE"][-1])
    return spec
