"""The README's promise about `make test`: CI runs it, and it runs the whole suite with the
real-model lane last, whatever the first part's result."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _recipe(target: str) -> str:
    text = (ROOT / "Makefile").read_text()
    found = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert found, f"no {target} target"
    return found.group(1).replace("\\\n", " ")


def test_ci_runs_make_test() -> None:
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.MULTILINE)


def test_make_test_runs_everything_and_the_local_model_lane_last() -> None:
    recipe = _recipe("test")
    first, lane = recipe.index('pytest -m "not llm_local"'), recipe.index("pytest -m llm_local")
    assert first < lane
    assert "|| status=" in recipe[first:lane] and recipe.rstrip().endswith("exit $$status")
    readme = (ROOT / "README.md").read_text()
    assert "It ends with the LLM path" in readme and "make test-llm-local" in readme
    assert _recipe("test-llm-local").strip().endswith("pytest -m llm_local")
