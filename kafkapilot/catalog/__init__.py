"""The task catalog: YAML task files under analysis_tasks/, validated on load."""

from __future__ import annotations
