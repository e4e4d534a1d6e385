#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: KafkaPilot developers. Apache-2.0.
# Documentation of the snapshot action plugin (plugins/action/snapshot.py); there is no module code here.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: snapshot
short_description: Create a KafkaPilot snapshot directory, and write its manifest and summary
description:
  - O(state=start) creates C(<output_dir>/kafka-snapshot-<UTC timestamp>) (mode 0700, never an
    existing one) on the controller; O(output_dir) itself is created, mode 0700, when missing. It holds a
    random key (C(.kafkapilot-redaction-key), mode 0600) for the run's redaction by value until O(state=finish).
  - O(state=finish) writes C(snapshot.json) (the format of docs/snapshot-format.md) with one entry
    per target, unreachable ones with their reason, from what the earlier tasks registered
    (C(kafkapilot_host_result) with its C(probe), or C(kafkapilot_probe) on its own; C(kafkapilot_cluster_result)), then
    C(COLLECTION_SUMMARY.md) from the manifest alone, and the C(.tar.gz) when O(archive) is true. Before
    that, the secret values every host's collection found (handed over as digests keyed with the run's key)
    are replaced in every artifact of the snapshot, and the key is removed (docs/redaction.md).
  - Runs on the controller only (use C(delegate_to=localhost) and C(run_once)). Part of the role
    kafkapilot.kafkapilot.collect (phases 1 and 5).
version_added: "0.1.0"
options:
  state:
    description: Start (create the directory) or finish (write the manifest).
    type: str
    choices: [start, finish]
    default: start
  output_dir:
    description: The parent directory of the snapshot (O(state=start)).
    type: path
    default: "."
  name:
    description: The snapshot directory's name instead of C(kafka-snapshot-<UTC timestamp>) (O(state=start)).
    type: str
  snapshot_dir:
    description: The snapshot directory (O(state=finish)).
    type: path
  targets:
    description: Every host of the play (C(ansible_play_hosts_all)), reachable or not (O(state=finish)).
    type: list
    elements: str
  started_at:
    description: When the collection started (from O(state=start)).
    type: str
  options:
    description: The settings in force, recorded in the manifest.
    type: dict
  cluster_name:
    description: A name for the cluster, recorded in the manifest.
    type: str
    default: ""
  archive:
    description: Also write C(<snapshot>.tar.gz) (mode 0600) next to the directory.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Writes on the controller only, also under C(--check) (the snapshot is the run's output).
author: KafkaPilot developers
"""

EXAMPLES = r"""
- name: Create the snapshot directory
  kafkapilot.kafkapilot.snapshot:
    state: start
    output_dir: /srv/snapshots
  delegate_to: localhost
  run_once: true
  register: kafkapilot_start

- name: Write snapshot.json and COLLECTION_SUMMARY.md
  kafkapilot.kafkapilot.snapshot:
    state: finish
    snapshot_dir: "{{ kafkapilot_start.snapshot_dir }}"
    started_at: "{{ kafkapilot_start.started_at }}"
    targets: "{{ ansible_play_hosts_all }}"
  delegate_to: localhost
  run_once: true
  register: kafkapilot_finish
"""

RETURN = r"""
snapshot_dir:
  description: The new snapshot directory (O(state=start)).
  returned: state is start
  type: str
  sample: /srv/snapshots/kafka-snapshot-20261126T133000Z
started_at:
  description: When the collection started, ISO 8601 UTC (O(state=start)).
  returned: state is start
  type: str
summary:
  description: What the run collected (O(state=finish)); also the job's artifacts (set_stats).
  returned: state is finish
  type: dict
  contains:
    path:
      description: The snapshot directory.
      type: str
    archive:
      description: The .tar.gz, or null.
      type: str
    hosts:
      description: Host to status (ok, partial, unreachable, failed).
      type: dict
    reasons:
      description: Host to the reason it is not ok.
      type: dict
    complete:
      description: Whether every host was collected (ok or partial).
      type: bool
    collected:
      description: How many hosts were collected (ok or partial).
      type: int
    outcome:
      description: One line, for example C(partial - 2 of 3 hosts collected) and which were not, and why.
      type: str
    redactions_total:
      description: How many secret values were replaced in the snapshot.
      type: int
    redactions_by_kind:
      description: The same by kind of secret (password, url-password, jwt, zk-digest ...; docs/redaction.md).
      type: dict
    analyse:
      description: The command that analyses the snapshot.
      type: str
by_status:
  description: Status to the hosts that have it (O(state=finish)).
  returned: state is finish
  type: dict
"""
