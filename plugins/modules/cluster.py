#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: KafkaPilot developers. Apache-2.0.
# Documentation of the cluster action plugin (plugins/action/cluster.py); there is no module code here.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: cluster
short_description: Run Kafka's own cluster-wide tools once, on one broker, into a KafkaPilot snapshot
description:
  - Runs the distribution's CLI tools (C(kafka-topics --describe) and its under-replicated,
    under-min-ISR, at-min-ISR and unavailable variants, C(kafka-configs --describe --all),
    C(kafka-consumer-groups), C(kafka-metadata-quorum), C(kafka-features), C(kafka-log-dirs),
    C(kafka-broker-api-versions), C(kafka-acls --list)) on the broker it runs on, their
    directory found from the broker's class path, in parallel and each bounded by O(timeout).
  - By default in one JVM with the broker's own JDK (a small runner compiled in memory on the
    host), else one script per tool. The output is redacted and written under
    O(snapshot_dir)/cluster on the controller.
  - Then compares the brokers and controllers the cluster metadata knows with the hosts of the
    play (C(kafkapilot_targets)) and reports those missing.
  - Part of the role kafkapilot.kafkapilot.collect (phase 4). Run it on one host only.
version_added: "0.1.0"
options:
  snapshot_dir:
    description: The snapshot directory on the controller.
    type: path
    required: true
  hints:
    description: What the host_facts action found on this broker (C(host_entry.cluster_hints)).
    type: dict
    required: true
  bootstrap_server:
    description: host:port of a listener the tools can use; empty for the broker's own advertised one.
    type: str
    default: ""
  client_config:
    description: An admin client config on the broker host (C(--command-config)), for SASL or TLS.
    type: str
    default: ""
  timeout:
    description: Seconds each tool may take.
    type: float
    default: 60
  concurrency:
    description: Tools run at once.
    type: int
    default: 4
  tool_env:
    description: Extra environment for the tools' JVMs.
    type: dict
    default: {}
  one_jvm:
    description: Run every tool in one JVM (about 5x faster); false runs one script per tool.
    type: bool
    default: true
  metrics_endpoint:
    description: A kafka_exporter or Cruise Control URL read with one GET (artifact C(metrics_endpoint)); empty reads none.
    type: str
    default: ""
  transport:
    description: How requests reach the host (C(raw) runs one script per tool).
    type: str
    choices: [module, raw]
    default: module
attributes:
  check_mode:
    support: full
    description: The tools only describe and list; nothing is changed.
author: KafkaPilot developers
"""

EXAMPLES = r"""
- name: Run the cluster-wide commands on the first running broker
  kafkapilot.kafkapilot.cluster:
    snapshot_dir: "{{ kafkapilot_start.snapshot_dir }}"
    hints: "{{ kafkapilot_host_result.host_entry.cluster_hints }}"
    client_config: /etc/kafka/client.properties
  when: inventory_hostname == 'kafka-1'
  register: kafkapilot_cluster_result
"""

RETURN = r"""
cluster_artifacts:
  description: One manifest entry per tool (status ok, failed, denied, missing or skipped, with the reason).
  returned: always
  type: list
  elements: dict
host_artifacts:
  description: The client config's artifact, recorded on the broker's host.
  returned: always
  type: list
  elements: dict
source_host:
  description: The host the tools ran on.
  returned: always
  type: str
bootstrap_server:
  description: The listener the tools used.
  returned: always
  type: str
notes:
  description: What a reader should know (how the tools ran, brokers not in the inventory).
  returned: always
  type: list
  elements: str
discovery:
  description: C(not_in_inventory), the brokers and controllers the metadata knows that the play lacks.
  returned: when the tools ran
  type: dict
duration_s:
  description: Seconds the tools took.
  returned: always
  type: float
redaction_handover:
  description: C([digest, kind, mode]) of each secret value found in the outputs, keyed digests (docs/redaction.md).
  returned: when the tools ran
  type: list
  elements: list
"""
