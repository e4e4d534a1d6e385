# Copyright: KafkaPilot developers. Apache-2.0.
"""Action plugin: collect one host into the snapshot (documented in plugins/modules/host_facts.py).

Runs the kafkapilot.kafkapilot.host_requests module (or, for hosts without a usable Python, raw
shell commands) in three round trips planned by plugin_utils.host, redacts everything on
the controller and writes it under the snapshot directory. The task result holds only the
manifest entry (statuses, paths, sizes): no collected content enters Ansible's events.

With `probe: true` it first probes the host (plugin_utils.probe, what the probe action does) and
runs the module with the Python the probe found: phases 2 and 3 in one task, so one forked
worker, one task's templating and one result per host instead of two. The probe's result is
returned as `probe`; an unreachable host makes the task unreachable, with the reason.
"""

from __future__ import annotations

from pathlib import Path

from ansible.errors import AnsibleActionFail, AnsibleConnectionFailure, AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.host import HostOptions, TransportError, collect_host
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.probe import probe_host
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.raw import raw_execute
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.redact import Redactor


def _one_line(text, limit=300):
    return " ".join(str(text).split())[:limit]


#: the task's arguments (plugins/modules/host_facts.py documents them), checked and converted as a
#: module's are: ansible-core 2.15 templates the values of a nested dict as strings ("24.0", "False")
ARGUMENT_SPEC = {
    "snapshot_dir": {"type": "path", "required": True},
    "transport": {"type": "str", "choices": ["auto", "module", "raw"], "default": "module"},
    "probe": {"type": "bool", "default": False},
    "min_python": {"type": "str", "default": "3.8"},
    "options": {"type": "dict", "default": {}, "options": {
        "log_window_hours": {"type": "float"}, "log_max_bytes": {"type": "int"}, "log_max_total": {"type": "int"},
        "command_timeout": {"type": "float"}, "jstat": {"type": "bool"}, "prometheus": {"type": "bool"},
        "metrics_interval": {"type": "float"},
        "journal": {"type": "bool"}, "concurrency": {"type": "int"}, "become": {"type": "bool"},
        "unit_dirs": {"type": "list", "elements": "str"}, "process_filter": {"type": "list", "elements": "str"},
    }},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True  # read-only on the target: it collects the same under --check
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        options = {k: tuple(v) if isinstance(v, list) else v for k, v in args["options"].items() if v is not None}
        host_options = HostOptions(**options)
        transport = args["transport"]
        probe = None
        if args["probe"]:
            probe = probe_host(self, task_vars, transport, args["min_python"])
            if not probe["reachable"]:
                result.update(changed=False, probe=probe, unreachable=probe.get("unreachable", False),
                              msg=probe["reason"])
                return result
            transport = probe["transport"]
            # the operator's interpreter, else the one the probe found, else Ansible's discovery
            task_vars = dict(task_vars, ansible_python_interpreter=task_vars.get("ansible_python_interpreter")
                             or probe["python"] or "auto_silent")
            result["probe"] = probe
        elif transport == "auto":
            raise AnsibleActionFail("transport auto needs probe: true")
        scrub = Redactor()

        def execute(ops):
            try:
                if transport == "raw":
                    return raw_execute(self._raw_command, ops)
                answer = self._execute_module(
                    module_name="kafkapilot.kafkapilot.host_requests",
                    module_args={"ops": ops, "concurrency": host_options.concurrency},
                    task_vars=task_vars,
                )
            except AnsibleConnectionFailure as exc:
                raise TransportError("connection lost: " + _one_line(exc)) from None
            except AnsibleError as exc:
                raise TransportError(scrub.redact("text", _one_line(exc))[0]) from None
            if answer.get("failed") or "answers" not in answer:
                detail = answer.get("msg") or "module failed"
                stderr = (answer.get("module_stderr") or "").strip().splitlines()
                if stderr:
                    detail += ": " + stderr[-1]
                raise TransportError(scrub.redact("text", _one_line(detail))[0])
            return answer["answers"]

        try:
            entry = collect_host(execute, Path(args["snapshot_dir"]), task_vars.get("inventory_hostname"), host_options)
        except Exception as exc:
            if probe is None:
                raise
            # the task fails (the role's rescue records it) with the probe's result kept for the manifest,
            # and the message Ansible itself gives a failed action
            message = str(exc) if isinstance(exc, AnsibleError) else f"Unexpected failure during module execution: {exc}"
            result.update(failed=True, msg=message)
            return result
        entry["transport"] = transport
        result.update(changed=False, host_entry=entry)
        return result

    def _raw_command(self, script):
        answer = self._low_level_execute_command(script, sudoable=True)
        return answer.get("rc"), answer.get("stdout", ""), answer.get("stderr", "")
