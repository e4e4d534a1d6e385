#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: KafkaPilot developers. Apache-2.0.
# Documentation of the host_facts action plugin (plugins/action/host_facts.py): it runs on the
# controller and drives the host_requests module on the host; there is no module code here.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: host_facts
short_description: Collect one Kafka or ZooKeeper host into a KafkaPilot snapshot, read-only
description:
  - Finds the Kafka and ZooKeeper JVMs on the host, then reads what their command lines name
    (configs, log4j and JAAS files, the systemd unit and its environment files, C(java -version),
    GC figures, the jars' Kafka version, metrics), then what their configs name (logs within the
    time window, C(meta.properties), log dir sizes, keystores' metadata and public
    certificates), plus the host's OS facts; three round trips in all.
  - Runs on the controller. It sends the requests to the M(kafkapilot.kafkapilot.host_requests)
    module, or, for hosts without a usable Python, as one POSIX shell script (O(transport=raw)).
    Everything is redacted on the controller and written under O(snapshot_dir); only the
    manifest entry comes back as the task result, never collected content.
  - Part of the role kafkapilot.kafkapilot.collect (phases 2 and 3, with O(probe=true)); not meant to be used alone.
version_added: "0.1.0"
options:
  snapshot_dir:
    description: The snapshot directory on the controller (from M(kafkapilot.kafkapilot.snapshot) with C(state=start)).
    type: path
    required: true
  transport:
    description:
      - How requests reach the host (the probe chooses it).
      - C(auto) (with O(probe=true) only) picks C(module) where a usable Python exists, else C(raw).
    type: str
    choices: [auto, module, raw]
    default: module
  probe:
    description:
      - Probe the host first, as M(kafkapilot.kafkapilot.probe) does, in the same task, and run the
        module with the Python the probe found (the operator's C(ansible_python_interpreter) wins).
        One task per host instead of two; each task costs every host a worker on the controller.
      - An unreachable host makes the task unreachable (use C(ignore_unreachable)), with the reason.
    type: bool
    default: false
  min_python:
    description: With O(probe=true), the oldest Python (major.minor) the host_requests module may run with.
    type: str
    default: "3.8"
  options:
    description:
      - Collection settings, from the role's variables (C(kafkapilot_log_window_hours) and so on).
      - Keys C(log_window_hours), C(log_max_bytes), C(log_max_total), C(command_timeout), C(jstat),
        C(prometheus), C(metrics_interval), C(journal), C(concurrency), C(become), C(unit_dirs), C(process_filter).
    type: dict
    default: {}
attributes:
  check_mode:
    support: full
    description: Read-only on the host, so it collects the same under C(--check).
author: KafkaPilot developers
"""

EXAMPLES = r"""
- name: Probe the host, then collect it (after kafkapilot.kafkapilot.snapshot state=start)
  kafkapilot.kafkapilot.host_facts:
    probe: true
    transport: auto
    snapshot_dir: "{{ kafkapilot_start.snapshot_dir }}"
    options:
      log_window_hours: 24
      become: false
  ignore_unreachable: true
  register: kafkapilot_host_result
"""

RETURN = r"""
probe:
  description: With O(probe=true), the probe's result (what M(kafkapilot.kafkapilot.probe) returns).
  returned: when probe is true
  type: dict
host_entry:
  description:
    - The host's manifest entry (docs/snapshot-format.md), plus what the cluster phase needs.
    - C(status) is ok, partial (some artifact denied or failed) or failed, with C(reason).
  returned: when the host was collected
  type: dict
  contains:
    status:
      description: ok, partial or failed.
      type: str
      sample: ok
    processes:
      description: The Kafka and ZooKeeper JVMs found (instance, kind, pid, user, main class).
      type: list
      elements: dict
    artifacts:
      description: One entry per artifact, with its status, path in the snapshot, size and redactions.
      type: list
      elements: dict
    cluster_hints:
      description: For the cluster action, the distribution's home, the JDK and the listeners (no secret).
      type: dict
    node_ids:
      description: The node and broker ids the host's configs declare.
      type: list
      elements: str
    redaction_handover:
      description:
        - For the snapshot-wide redaction by value, C([digest, kind, mode]) of each secret value found on the
          host, the digest keyed with the run's key (no value, no length; docs/redaction.md).
      type: list
      elements: list
    transport:
      description: The transport used.
      type: str
      sample: module
"""
