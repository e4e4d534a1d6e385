"""The connectivity probe of one host, run by an action plugin: the probe action (phase 2 alone) and
the host_facts action (with `probe: true`, phases 2 and 3 in one task: one worker per host, not two).

One raw command (no Python needed on the target) says who we are, which Pythons exist and whether
systemd runs. When ssh fails, the answer is unreachable and its reason names the failing hop.
"""

from __future__ import annotations

import shlex
import subprocess
import time
from typing import Any

from ansible.errors import AnsibleConnectionFailure, AnsibleError

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.reasons import parse_probe, probe_script, unreachable_reason

__all__ = ["probe_host"]


def probe_host(action: Any, task_vars: dict[str, Any], transport: str, min_python: str) -> dict[str, Any]:
    """The probe's result (plugins/modules/probe.py RETURN) for the host of `action` (an ActionBase);
    `unreachable` is true when ssh failed."""
    host = task_vars.get("inventory_hostname")
    address = task_vars.get("ansible_host") or host
    minimum = tuple(int(x) for x in min_python.split("."))
    started = time.monotonic()
    try:
        answer = action._low_level_execute_command(probe_script(minimum), sudoable=False)
    except (AnsibleConnectionFailure, AnsibleError) as exc:
        proxy, proxy_address = _proxy(action._connection, address)
        reason = unreachable_reason(str(exc), target=host, address=address, proxy=proxy, proxy_address=proxy_address)
        return {"unreachable": True, "msg": reason, "reason": reason, "reachable": False,
                "duration_s": round(time.monotonic() - started, 2)}
    probe = parse_probe(answer.get("stdout", ""))
    duration = round(time.monotonic() - started, 2)
    if not probe.ok:
        reason = "connected, but the shell did not run the probe: " + " ".join(
            (answer.get("stderr") or answer.get("stdout") or "no output").split())[:200]
        return {"failed": False, "reachable": False, "reason": reason, "duration_s": duration, "status": "failed"}
    python = probe.best_python(minimum)
    if transport == "auto":
        transport = "module" if python else "raw"
    note = None
    if python is None:
        found = ", ".join(f"{p} {v[0]}.{v[1]}" for p, v in probe.pythons) or "none"
        note = f"no Python >= {minimum[0]}.{minimum[1]} (found: {found}): collected with raw commands"
    return {"changed": False, "reachable": True, "reason": None, "user": probe.user, "python": python,
            "transport": transport, "systemd": probe.systemd, "note": note, "duration_s": duration}


def _proxy(connection: Any, address: str) -> tuple[str | None, str | None]:
    """(jump host, its address) as ssh resolves them for this target (ssh -G), or (None, None)."""
    try:
        common = connection.get_option("ssh_common_args") or ""
        extra = connection.get_option("ssh_extra_args") or ""
        user = connection.get_option("remote_user")
        port = connection.get_option("port")
    except (AnsibleError, KeyError, AttributeError):
        return None, None
    argv = ["ssh", "-G", *shlex.split(common), *shlex.split(extra)]
    if user:
        argv += ["-l", str(user)]
    if port:
        argv += ["-p", str(port)]
    config = _ssh_config(argv + [address])
    jump = config.get("proxyjump")
    if not jump or jump == "none":
        command = config.get("proxycommand")
        return (command.split()[0] if command and command != "none" else None), None
    jump_host = jump.split(",")[0].split("@")[-1].rsplit(":", 1)[0]
    jump_config = _ssh_config(["ssh", "-G", *shlex.split(common), jump_host])
    return jump_host, jump_config.get("hostname")


def _ssh_config(argv: list[str]) -> dict[str, str]:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    config: dict[str, str] = {}
    for line in out.stdout.splitlines():
        key, _sep, value = line.partition(" ")
        config.setdefault(key.lower(), value.strip())
    return config
