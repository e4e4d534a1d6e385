"""Rebuild the example snapshot shipped in the package: python -m tests.factory.build_example."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.factory.fixtures import build_fixture

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "fixtures" / "example.yaml"
TARGET = ROOT / "kafkapilot" / "examples" / "example-snapshot"


def main() -> None:
    """Write the example snapshot from tests/fixtures/example.yaml."""
    shutil.rmtree(TARGET, ignore_errors=True)
    build_fixture(SOURCE, TARGET)
    print(f"wrote {TARGET}")  # noqa: T201 - a developer script


if __name__ == "__main__":
    main()
