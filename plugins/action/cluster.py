# Copyright: KafkaPilot developers. Apache-2.0.
"""Action plugin: the cluster-wide commands, once, on one broker (plugin_utils.cluster).

The distribution's own CLI tools (their directory found from the broker's class path) run
in parallel on the target through the host_requests module, each bounded by a
timeout; their output is redacted and written under <snapshot>/cluster/ on the controller.
"""

from __future__ import annotations

import time
from pathlib import Path

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.cluster import ClusterOptions, bootstrap_from_hints, collect_cluster, discovery_notes
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.host import TransportError
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.raw import raw_execute


#: the task's arguments (plugins/modules/cluster.py documents them), checked and converted as a module's are
ARGUMENT_SPEC = {
    "snapshot_dir": {"type": "path", "required": True},
    "hints": {"type": "dict", "required": True},
    "bootstrap_server": {"type": "str", "default": ""},
    "client_config": {"type": "str", "default": ""},
    "timeout": {"type": "float", "default": 60.0},
    "concurrency": {"type": "int", "default": 4},
    "tool_env": {"type": "dict", "default": {}},
    "one_jvm": {"type": "bool", "default": True},
    "metrics_endpoint": {"type": "str", "default": ""},
    "transport": {"type": "str", "choices": ["module", "raw"], "default": "module"},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    @staticmethod
    def _inventory(task_vars):
        """Every target of the play (kafkapilot_targets): name → address and the node ids its configs declare."""
        hostvars = task_vars.get("hostvars", {})
        inventory = {}
        for name in sorted(set(task_vars.get("ansible_play_hosts_all") or [])):
            variables = hostvars[name] if name in hostvars else {}
            entry = (variables.get("kafkapilot_host_result") or {}).get("host_entry") or {}
            inventory[name] = {"address": str(variables.get("ansible_host") or name),
                               "node_ids": [str(n) for n in entry.get("node_ids") or []]}
        return inventory

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        root = Path(args["snapshot_dir"])
        hints = dict(args["hints"])
        hints["host"] = task_vars.get("inventory_hostname")
        address = task_vars.get("ansible_host") or hints["host"]
        bootstrap = args.get("bootstrap_server") or bootstrap_from_hints(hints, address)
        options = ClusterOptions(
            bootstrap_server=bootstrap,
            client_config=args.get("client_config") or None,
            command_timeout=args["timeout"],
            concurrency=args["concurrency"],
            tool_env={str(k): str(v) for k, v in args["tool_env"].items()},
            one_jvm=args["one_jvm"],
            metrics_endpoint=args.get("metrics_endpoint") or None,
        )
        started = time.monotonic()

        def raw(script):
            answer = self._low_level_execute_command(script, sudoable=True)
            return answer.get("rc"), answer.get("stdout", ""), answer.get("stderr", "")

        def execute(ops):
            if args["transport"] == "raw":
                try:
                    return raw_execute(raw, ops)
                except (AnsibleConnectionFailure, AnsibleError) as exc:
                    raise TransportError(" ".join(str(exc).split())[:300]) from None
            try:
                answer = self._execute_module(
                    module_name="kafkapilot.kafkapilot.host_requests",
                    module_args={"ops": ops, "concurrency": options.concurrency},
                    task_vars=task_vars,
                )
            except (AnsibleConnectionFailure, AnsibleError) as exc:
                raise TransportError(" ".join(str(exc).split())[:300]) from None
            if answer.get("failed") or "answers" not in answer:
                raise TransportError(" ".join(str(answer.get("msg") or "module failed").split())[:300])
            return answer["answers"]

        handover = []  # keyed digests of the secret values found, for the snapshot-wide pass (redact_values)
        try:
            cluster, host_artifacts, notes = collect_cluster(execute, root, hints, options, handover)
        except TransportError as exc:
            result.update(changed=False, cluster_artifacts=[], host_artifacts=[], source_host=hints["host"],
                          notes=[f"cluster-wide commands on {hints['host']} failed: {exc}"],
                          duration_s=round(time.monotonic() - started, 2), bootstrap_server=bootstrap)
            return result
        more, unknown = discovery_notes(root, cluster, self._inventory(task_vars))
        result.update(changed=False, cluster_artifacts=cluster, host_artifacts=host_artifacts, notes=notes + more,
                      discovery={"not_in_inventory": unknown}, source_host=hints["host"], bootstrap_server=bootstrap,
                      redaction_handover=handover,
                      duration_s=round(time.monotonic() - started, 2))
        return result
