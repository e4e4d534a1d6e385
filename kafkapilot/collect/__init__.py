"""`kafkapilot collect`: runs collect.yml (the Ansible collection kafkapilot.kafkapilot at the
repository root) through ansible-runner. The collection itself needs nothing from this package:
its controller code is plugins/plugin_utils, and the snapshot is the only contract between the two.
"""

from __future__ import annotations
