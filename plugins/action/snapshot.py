# Copyright: KafkaPilot developers. Apache-2.0.
"""Action plugin: create the snapshot directory (state=start) and write its manifest (state=finish).

start: <output_dir>/kafka-snapshot-<UTC timestamp>, mode 0700, never an existing one (the
output directory is created, 0700, when it does not exist).
finish: one host entry per target (unreachable ones with their reason) from the results the
earlier tasks registered, the cluster artifacts, snapshot.json, COLLECTION_SUMMARY.md from the
manifest alone, and an optional .tar.gz. Runs on the controller only.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.manifest import archive, write_snapshot_files
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.redact_values import create_key, scrub_snapshot
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.store import ensure_private_dir


def _plain(value):
    """Registered results as plain JSON-able Python (no Ansible wrapper types)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


#: groups the role makes with group_by: not the operator's, not recorded
_DYNAMIC_GROUPS = frozenset(("kafkapilot_reachable", "kafkapilot_cluster_candidates"))


#: the task's arguments (plugins/modules/snapshot.py documents them), checked and converted as a
#: module's are: ansible-core 2.15 templates the values of a nested dict as strings ("24.0", "False"),
#: and the options are recorded in the manifest with their types
ARGUMENT_SPEC = {
    "state": {"type": "str", "choices": ["start", "finish"], "default": "start"},
    "output_dir": {"type": "path", "default": "."},
    "name": {"type": "str"},
    "snapshot_dir": {"type": "path"},
    "targets": {"type": "list", "elements": "str", "default": []},
    "started_at": {"type": "str"},
    "cluster_name": {"type": "str", "default": ""},
    "archive": {"type": "bool", "default": False},
    "options": {"type": "dict", "default": {}, "options": {
        "targets": {"type": "str"}, "log_window_hours": {"type": "float"}, "log_max_bytes": {"type": "int"},
        "log_max_bytes_total": {"type": "int"}, "become": {"type": "bool"}, "transport": {"type": "str"},
        "jstat": {"type": "bool"}, "prometheus": {"type": "bool"}, "journal": {"type": "bool"},
        "metrics_interval": {"type": "float"},
        "cluster_commands": {"type": "bool"}, "bootstrap_server": {"type": "str"}, "client_config": {"type": "str"},
        "check_mode": {"type": "bool"},
    }},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        if args["state"] == "start":
            result.update(self._start(args))
        else:
            if not args.get("snapshot_dir"):
                raise AnsibleActionFail("state=finish needs snapshot_dir")
            result.update(self._finish(args, task_vars or {}))
        return result

    def _start(self, args):
        output = os.path.abspath(os.path.expanduser(str(args["output_dir"] or ".")))
        try:
            ensure_private_dir(Path(output))  # a new output directory (and its parents) is created 0700
        except OSError as exc:
            raise AnsibleActionFail(f"kafkapilot_output_dir {output}: cannot create it ({exc.strerror or exc})") from None
        if not os.path.isdir(output):
            raise AnsibleActionFail(f"kafkapilot_output_dir {output} is not a directory")
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        name = args.get("name") or f"kafka-snapshot-{stamp}"
        path = os.path.join(output, name)
        for suffix in ("", *(f"-{n}" for n in range(2, 100))):
            try:
                os.mkdir(path + suffix, 0o700)
            except FileExistsError:
                continue
            path += suffix
            break
        else:
            raise AnsibleActionFail(f"cannot create a new snapshot directory under {output}")
        os.chmod(path, 0o700)
        create_key(Path(path))  # for the snapshot-wide redaction pass of state=finish, which removes it
        return {"changed": False, "snapshot_dir": path, "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}

    def _finish(self, args, task_vars):
        root = Path(args["snapshot_dir"])
        hostvars = task_vars.get("hostvars", {})
        hosts, notes, cluster, timings = {}, [], None, {"probe": [], "host": []}
        handover = []  # keyed digests of the secret values each worker found (plugin_utils/redact_values.py)
        for name in args.get("targets") or []:
            variables = hostvars[name] if name in hostvars else {}
            hosts[name] = self._host_entry(name, variables, notes)
            handover += hosts[name].pop("redaction_handover", None) or []
            found = _plain(variables.get("kafkapilot_cluster_result") or {})
            if found.get("source_host") and not found.get("skipped"):
                cluster = found
            probe = self._probe(variables)
            timings["probe"].append(float(probe.get("duration_s") or 0))
            timings["host"].append(float(hosts[name].get("duration_s") or 0))
        manifest = {
            "collector": {"ansible_version": task_vars.get("ansible_version", {}).get("full"),
                          "python": sys.version.split()[0]},
            "started_at": args.get("started_at"),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "cluster_name": args.get("cluster_name") or None,
            "options": {k: v for k, v in _plain(args["options"]).items() if v is not None},
            "phases": [],
            "hosts": hosts,
            "cluster_artifacts": [],
            "cluster_source_host": None,
            "notes": notes,
        }
        if cluster:
            handover += cluster.get("redaction_handover") or []
            manifest["cluster_artifacts"] = cluster.get("cluster_artifacts", [])
            manifest["cluster_source_host"] = cluster["source_host"]
            manifest["discovery"] = cluster.get("discovery") or {}
            source = hosts.get(cluster["source_host"])
            if source is not None:
                source["artifacts"] = source.get("artifacts", []) + cluster.get("host_artifacts", [])
            notes.extend(cluster.get("notes", []))
        else:
            notes.append("cluster-wide commands were not run: no reachable host with a running Kafka broker")
        manifest["phases"] = self._phases(hosts, cluster, timings)
        scrub_snapshot(root, [h.get("artifacts", []) for h in hosts.values()] + [manifest["cluster_artifacts"]], handover)
        written = write_snapshot_files(root, manifest)
        packed = str(archive(root)) if args["archive"] else None
        statuses = {}
        for name, entry in written["hosts"].items():
            statuses.setdefault(entry["status"], []).append(name)
        summary = {
            "path": str(root),
            "archive": packed,
            "hosts": {name: entry["status"] for name, entry in written["hosts"].items()},
            "reasons": {name: entry.get("reason") for name, entry in written["hosts"].items() if entry.get("reason")},
            "cluster_source_host": written.get("cluster_source_host"),
            "cluster_artifacts": {a["name"]: a["status"] for a in written.get("cluster_artifacts", [])},
            "redactions_total": written["redactions_total"],
            "redactions_by_kind": written["redactions_by_kind"],
            "analyse": f"kafkapilot-analyse {root}",
        }
        summary.update(self._outcome(summary["hosts"], summary["reasons"]))
        return {"changed": False, "summary": summary, "by_status": statuses}

    @staticmethod
    def _outcome(hosts, reasons):
        """complete (every host ok or partial), collected (how many) and a one-line outcome."""
        collected = [name for name, status in hosts.items() if status in ("ok", "partial")]
        missed = [name for name in hosts if name not in collected]
        why = "; ".join(f"{name}: {hosts[name]}: {reasons.get(name) or 'no reason recorded'}" for name in missed)
        if not hosts:
            outcome = "no host to collect: the play had no target (check kafkapilot_targets and the inventory's groups)"
        elif not collected:
            outcome = f"no host could be collected ({len(hosts)} tried): {why}"
        elif missed:
            outcome = f"partial: {len(collected)} of {len(hosts)} hosts collected; not collected: {why}"
        else:
            outcome = f"all {len(hosts)} hosts collected"
        return {"complete": bool(hosts) and not missed, "collected": len(collected), "outcome": outcome}

    @staticmethod
    def _phases(hosts, cluster, timings):
        """The five phases, each with its status and a one-line account."""
        def count(statuses):
            return ", ".join(f"{statuses.count(s)} {s}" for s in sorted(set(statuses))) or "none"

        statuses = [h["status"] for h in hosts.values()]
        reachable = [s for s in statuses if s != "unreachable"]
        unknown = (cluster or {}).get("discovery", {}).get("not_in_inventory", [])
        phases = [{
            "name": "inventory_and_discovery",
            "status": "ok" if cluster else "partial",
            "detail": f"{len(hosts)} hosts from the inventory; " + (
                f"the metadata knows {len(unknown)} node(s) the inventory lacks" if unknown
                else "no node outside the inventory" if cluster else "no discovery: the cluster tools did not run"),
        }, {
            "name": "connectivity",
            "status": "ok" if len(reachable) == len(statuses) else "partial" if reachable else "failed",
            "duration_s": round(max(timings["probe"], default=0), 2),
            "detail": f"{len(reachable)} reachable, {len(statuses) - len(reachable)} unreachable",
        }, {
            "name": "per_host",
            "status": "ok" if statuses and all(s == "ok" for s in statuses) else "partial" if "ok" in statuses or "partial" in statuses else "failed",
            "duration_s": round(max(timings["host"], default=0), 2),
            "detail": count(statuses),
        }]
        if cluster:
            found = [a["status"] for a in cluster.get("cluster_artifacts", [])]
            phases.append({"name": "cluster_wide", "status": "ok" if set(found) <= {"ok", "skipped"} else "partial",
                           "duration_s": cluster.get("duration_s"),
                           "detail": f"on {cluster['source_host']} via {cluster.get('bootstrap_server')}: {count(found)}"})
        else:
            phases.append({"name": "cluster_wide", "status": "skipped", "detail": "no reachable running broker"})
        phases.append({"name": "manifest", "status": "ok", "detail": "snapshot.json and COLLECTION_SUMMARY.md"})
        return phases

    @staticmethod
    def _probe(variables):
        """The host's probe: in its host_facts result (the role's one task per host, `probe: true`), or
        registered on its own as kafkapilot_probe (the probe action before host_facts)."""
        probe = (variables.get("kafkapilot_host_result") or {}).get("probe")
        return _plain(probe or variables.get("kafkapilot_probe") or {})

    @staticmethod
    def _host_entry(name, variables, notes):
        groups = [g for g in _plain(variables.get("group_names") or []) if g not in _DYNAMIC_GROUPS]
        address = str(variables.get("ansible_host") or name)
        probe = ActionModule._probe(variables)
        collected = _plain(variables.get("kafkapilot_host_result") or {})
        base = {"address": address, "groups": groups}
        if not probe:
            return {**base, "status": "unreachable", "reason": "not probed: the run never reached this host"}
        if not probe.get("reachable"):
            status = probe.get("status") or "unreachable"
            return {**base, "status": status, "reason": probe.get("reason") or probe.get("msg") or "unreachable"}
        entry = collected.get("host_entry")
        if not entry:
            why = collected.get("msg") or ("skipped" if collected.get("skipped") else "no result")
            status = "unreachable" if collected.get("unreachable") else "failed"
            return {**base, "status": status, "reason": f"collection did not complete: {' '.join(str(why).split())[:300]}",
                    "python": probe.get("python")}
        for note in entry.get("notes", []):
            notes.append(f"{name}: {note}")
        if probe.get("note"):
            notes.append(f"{name}: {probe['note']}")
        return {**base, **{k: v for k, v in entry.items() if k not in ("notes", "cluster_hints", "phases_s")},
                "python": probe.get("python")}
