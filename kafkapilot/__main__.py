"""`python -m kafkapilot`."""

from __future__ import annotations

from kafkapilot.cli import main

main()
