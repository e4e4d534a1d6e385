"""Collection: the controller side of `ansible-playbook collect.yml` and `kafkapilot collect`.

The Ansible action plugins under roles/ import this package (from the repository checkout
when it is not installed), so that AWX runs it from the project without a pip install.
Only the standard library and PyYAML are needed here; pydantic is used when present.
"""

from __future__ import annotations
