# Copyright: KafkaPilot developers. Apache-2.0.
"""Action plugin: the connectivity probe of one host, with a reason when it is unreachable.

One raw command (no Python needed on the target) says who we are, which Pythons exist and
whether systemd runs. When ssh fails, the result is `unreachable` (use the task keyword
ignore_unreachable so that the run goes on) and `reason` names the failing hop: DNS, auth,
host key, refused, timeout, the bastion of the ProxyJump. The role runs the same probe inside
its host_facts task (plugin_utils.probe); this action is the probe on its own.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.probe import probe_host


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
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        result.update(probe_host(self, task_vars or {}, args["transport"], args["min_python"]))
        return result
