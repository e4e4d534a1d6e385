"""Data tables the checks read through facts (shipped as Python so that they are always packaged)."""

from __future__ import annotations
