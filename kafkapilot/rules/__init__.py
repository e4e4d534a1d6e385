"""Python rules: checks too complex for YAML expressions, registered by name."""

from __future__ import annotations
