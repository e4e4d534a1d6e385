"""The catalog's house rules: ids, fixtures, rules, CATALOG.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.cli_tasks import catalog_markdown
from kafkapilot.rules.registry import get_rule

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "tasks"
CATALOG = load_catalog(default_tasks_dir())


def test_every_task_file_loads() -> None:
    assert CATALOG.errors == ()
    files = sorted(p for p in (ROOT / "analysis_tasks").rglob("*.yaml"))
    assert len(files) == len(CATALOG.tasks)


@pytest.mark.parametrize("task", CATALOG.tasks, ids=lambda t: t.id)
def test_id_is_file_name_and_category_is_folder(task) -> None:  # noqa: ANN001
    path = CATALOG.files[task.id]
    assert path.stem == task.id
    assert path.parent.name == task.category


@pytest.mark.parametrize("task", [t for t in CATALOG.tasks if not t.needs_llm], ids=lambda t: t.id)
def test_deterministic_task_has_both_fixtures(task) -> None:  # noqa: ANN001
    for name in ("fires", "quiet"):
        assert (FIXTURES / task.id / f"{name}.yaml").is_file(), f"missing tests/fixtures/tasks/{task.id}/{name}.yaml"


def test_no_fixture_without_task() -> None:
    ids = {t.id for t in CATALOG.tasks}
    orphans = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in ids)
    assert orphans == []


def test_named_rules_exist() -> None:
    for task in CATALOG.tasks:
        if task.rule:
            get_rule(task.rule)  # raises KeyError naming the known rules


def test_catalog_md_is_current() -> None:
    current = (ROOT / "analysis_tasks" / "CATALOG.md").read_text(encoding="utf-8")
    assert current == catalog_markdown(CATALOG), \
        "CATALOG.md is stale: run `kafkapilot tasks list --format markdown > analysis_tasks/CATALOG.md`"
