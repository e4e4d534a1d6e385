# Copyright: KafkaPilot developers. Apache-2.0.
"""Action plugin: the connectivity probe of one host, with a reason when it is unreachable.

One raw command (no Python needed on the target) says who we are, which Pythons exist and
whether systemd runs. When ssh fails, the result is `unreachable` (use the task keyword
ignore_unreachable so that the run goes on) and `reason` names the failing hop: DNS, auth,
host key, refused, timeout, the bastion of the ProxyJump.
"""

from __future__ import annotations

import shlex
import subprocess
import time

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.reasons import parse_probe, probe_script, unreachable_reason


#: the task's arguments (plugins/modules/probe.py documents them), checked and converted as a module's are
ARGUMENT_SPEC = {
    "transport": {"type": "str", "choices": ["auto", "module", "raw"], "default": "auto"},
    "min_python": {"type": "str", "default": "3.8"},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        host = task_vars.get("inventory_hostname")
        address = task_vars.get("ansible_host") or host
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        minimum = tuple(int(x) for x in args["min_python"].split("."))
        started = time.monotonic()
        try:
            answer = self._low_level_execute_command(probe_script(minimum), sudoable=False)
        except (AnsibleConnectionFailure, AnsibleError) as exc:
            message = str(exc)
            proxy, proxy_address = self._proxy(address)
            reason = unreachable_reason(message, target=host, address=address, proxy=proxy, proxy_address=proxy_address)
            result.update(unreachable=True, msg=reason, reason=reason, reachable=False,
                          duration_s=round(time.monotonic() - started, 2))
            return result
        probe = parse_probe(answer.get("stdout", ""))
        duration = round(time.monotonic() - started, 2)
        if not probe.ok:
            reason = "connected, but the shell did not run the probe: " + " ".join(
                (answer.get("stderr") or answer.get("stdout") or "no output").split())[:200]
            result.update(failed=False, reachable=False, reason=reason, duration_s=duration, status="failed")
            return result
        python = probe.best_python(minimum)
        transport = args["transport"]
        if transport == "auto":
            transport = "module" if python else "raw"
        note = None
        if python is None:
            found = ", ".join(f"{p} {v[0]}.{v[1]}" for p, v in probe.pythons) or "none"
            note = f"no Python >= {minimum[0]}.{minimum[1]} (found: {found}): collected with raw commands"
        result.update(changed=False, reachable=True, reason=None, user=probe.user, python=python,
                      transport=transport, systemd=probe.systemd, note=note, duration_s=duration)
        return result

    def _proxy(self, address):
        """(jump host, its address) as ssh resolves them for this target (ssh -G), or (None, None)."""
        try:
            common = self._connection.get_option("ssh_common_args") or ""
            extra = self._connection.get_option("ssh_extra_args") or ""
            user = self._connection.get_option("remote_user")
            port = self._connection.get_option("port")
        except (AnsibleError, KeyError, AttributeError):
            return None, None
        argv = ["ssh", "-G", *shlex.split(common), *shlex.split(extra)]
        if user:
            argv += ["-l", str(user)]
        if port:
            argv += ["-p", str(port)]
        config = self._ssh_config(argv + [address])
        jump = config.get("proxyjump")
        if not jump or jump == "none":
            command = config.get("proxycommand")
            return (command.split()[0] if command and command != "none" else None), None
        jump_host = jump.split(",")[0].split("@")[-1].rsplit(":", 1)[0]
        jump_config = self._ssh_config(["ssh", "-G", *shlex.split(common), jump_host])
        return jump_host, jump_config.get("hostname")

    @staticmethod
    def _ssh_config(argv):
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return {}
        config = {}
        for line in out.stdout.splitlines():
            key, _sep, value = line.partition(" ")
            config.setdefault(key.lower(), value.strip())
        return config
