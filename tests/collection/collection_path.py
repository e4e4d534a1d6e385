"""The collection's Python code, imported in tests the way Ansible imports it.

Ansible imports the plugins as ansible_collections.kafkapilot.kafkapilot.plugins...; from a
checkout that package is collections/ansible_collections/kafkapilot/kafkapilot, the link back to
the repository root. Putting collections/ on sys.path (tests only: nothing Ansible runs does
this) makes the same names importable here, as PEP 420 namespace packages.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = ROOT / "collections"
COLLECTION = COLLECTIONS / "ansible_collections" / "kafkapilot" / "kafkapilot"
PACKAGE = "ansible_collections.kafkapilot.kafkapilot.plugins"

if str(COLLECTIONS) not in sys.path:
    sys.path.append(str(COLLECTIONS))


def plugin_utils(name: str) -> ModuleType:
    """plugins/plugin_utils/<name>.py (the controller side)."""
    return importlib.import_module(f"{PACKAGE}.plugin_utils.{name}")


def module_utils(name: str) -> ModuleType:
    """plugins/module_utils/<name>.py (shared with the targets)."""
    return importlib.import_module(f"{PACKAGE}.module_utils.{name}")
