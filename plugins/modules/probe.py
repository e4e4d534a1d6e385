#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: KafkaPilot developers. Apache-2.0.
# Documentation of the probe action plugin (plugins/action/probe.py); there is no module code here.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: probe
short_description: Check that a host answers over SSH, and say why not
description:
  - One raw command (no Python needed on the host) says who the login user is, which Pythons
    exist and whether systemd runs; the newest Python at least O(min_python) is returned.
  - When ssh fails, the result is unreachable and C(reason) names the failing hop in one line
    (DNS, auth, host key, refused, timeout, or the bastion of a ProxyJump or ProxyCommand),
    so that a dead host is not mistaken for a dead bastion. Use it with the task keyword
    C(ignore_unreachable), so that the run goes on with the other hosts.
  - The role kafkapilot.kafkapilot.collect runs the same probe inside its host_facts task (phases 2 and 3, O(probe=true) there).
version_added: "0.1.0"
options:
  transport:
    description:
      - C(auto) picks C(module) where a usable Python exists, else C(raw) (shell commands only).
      - C(module) or C(raw) force one.
    type: str
    choices: [auto, module, raw]
    default: auto
  min_python:
    description: The oldest Python (major.minor) the host_requests module may run with.
    type: str
    default: "3.8"
attributes:
  check_mode:
    support: full
    description: Read-only.
author: KafkaPilot developers
"""

EXAMPLES = r"""
- name: Probe the host over SSH
  kafkapilot.kafkapilot.probe:
    transport: auto
  ignore_unreachable: true
  register: kafkapilot_probe
"""

RETURN = r"""
reachable:
  description: Whether the probe ran on the host.
  returned: always
  type: bool
reason:
  description: Why the host is not usable (one line), or null.
  returned: always
  type: str
  sample: "bastion unreachable: the bastion bastion (127.42.0.10) port 22: connection refused (sshd down?)"
python:
  description: The interpreter to use, or null when none is recent enough.
  returned: when reachable
  type: str
  sample: /usr/bin/python3.11
transport:
  description: The transport chosen (module or raw).
  returned: when reachable
  type: str
user:
  description: The login user.
  returned: when reachable
  type: str
systemd:
  description: Whether systemd runs on the host.
  returned: when reachable
  type: bool
note:
  description: Why raw commands will be used (no recent Python), or null.
  returned: when reachable
  type: str
duration_s:
  description: Seconds the probe took.
  returned: always
  type: float
"""
