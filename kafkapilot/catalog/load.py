"""Find and validate task files. A broken file is reported in one line and the others still load."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from kafkapilot.catalog.compiled import cached_task, prepare
from kafkapilot.catalog.fact_paths import requires_error
from kafkapilot.catalog.schema import Scope, Task

__all__ = ["TASKS_DIR_ENV", "Catalog", "default_tasks_dir", "load_catalog", "load_task_file"]

TASKS_DIR_ENV: Final = "KAFKAPILOT_TASKS_DIR"
_PACKAGE_DIR: Final = Path(__file__).resolve().parent.parent
if TYPE_CHECKING:
    import yaml


def _yaml() -> tuple[Any, Any]:
    """PyYAML and libyaml's loader when PyYAML was built with it (10x faster on the ~100 task files);
    imported only when a task file is read as YAML, which a run whose tasks are all in the compiled
    cache does not do."""
    import yaml  # noqa: PLC0415

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Catalog:
    """The tasks that loaded, and one line per file that did not."""

    tasks: tuple[Task, ...]
    errors: tuple[str, ...] = ()
    files: dict[str, Path] = field(default_factory=dict)

    def get(self, task_id: str) -> Task | None:
        """The task with this id, or None."""
        return next((t for t in self.tasks if t.id == task_id), None)


def default_tasks_dir() -> Path:
    """$KAFKAPILOT_TASKS_DIR, else the source checkout's analysis_tasks/, else the copy in the package."""
    override = os.environ.get(TASKS_DIR_ENV)
    if override:
        return Path(override)
    checkout = _PACKAGE_DIR.parent / "analysis_tasks"
    if checkout.is_dir():
        return checkout
    return _PACKAGE_DIR / "builtin_tasks"


def load_catalog(*directories: Path) -> Catalog:
    """Load every *.yaml / *.yml below the directories; later directories override earlier ids."""
    by_id: dict[str, Task] = {}
    files: dict[str, Path] = {}
    errors: list[str] = []
    for directory in directories:
        if not directory.is_dir():
            errors.append(f"{directory}: task directory not found")
            continue
        for path in sorted(p for p in directory.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file()):
            task, error = load_task_file(path)
            if error:
                errors.append(error)
            elif task is not None:
                by_id[task.id] = task
                files[task.id] = path
    tasks = tuple(sorted(by_id.values(), key=lambda t: (t.category, t.id)))
    return Catalog(tasks=tasks, errors=tuple(errors), files=files)


def load_task_file(path: Path) -> tuple[Task | None, str | None]:  # noqa: PLR0911 - a return per way a file is refused
    """Parse and validate one task file: (task, None) or (None, 'file:line: problem')."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"{path}: cannot read: {exc}"
    digest = hashlib.sha256(text.encode()).hexdigest()
    cached = cached_task(digest)
    if cached is not None and cached.id == path.stem:
        return cached, None
    yaml, loader = _yaml()
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, f"{path}{line}: invalid YAML: {problem}"
    if not isinstance(data, dict):
        return None, f"{path}:1: a task file must be a mapping of keys (id, name, …)"
    if data.get("id") != path.stem:
        line = _line_of(_compose(text), ("id",))
        return None, f"{path}:{line}: id {data.get('id')!r} must equal the file name {path.stem!r}"
    try:
        task = Task.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(part for part in first["loc"] if isinstance(part, (str, int)))
        where = ".".join(str(p) for p in loc) or "task"
        message = first["msg"].removeprefix("Value error, ")
        return None, f"{path}:{_line_of(_compose(text), loc)}: {where}: {message}"
    task._digest = digest  # noqa: SLF001 - the loader owns it
    problem = _fact_problem(task)
    if problem is not None:
        loc, message = problem
        where = ".".join(str(p) for p in loc)
        return None, f"{path}:{_line_of(_compose(text), loc)}: {where}: {message}"
    return task, None


def _fact_problem(task: Task) -> tuple[tuple[str | int, ...], str] | None:
    """The first unknown fact (requires:, expressions) or expression that does not compile."""
    for index, fact_path in enumerate(task.requires):
        error = requires_error(fact_path, task.applies_to)
        if error:
            return ("requires", index), error
    for index, fact_path in enumerate(task.facts):  # a cluster-wide prompt task sees each node and its host
        scope = task.applies_to
        if scope is Scope.CLUSTER and not fact_path.startswith("cluster."):
            scope = Scope.KAFKA_NODE
        error = requires_error(fact_path, scope)
        if error:
            return ("facts", index), error
    _, problems = prepare(task)  # compiles a check, keeps the validated task on disk
    return problems[0] if problems else None


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree, only needed to name the line of an error."""
    yaml, loader = _yaml()
    return yaml.compose(text, Loader=loader)


def _line_of(node: yaml.Node | None, loc: tuple[str | int, ...]) -> int:
    """1-based line of the YAML node at `loc`, or of the deepest parent that exists."""
    yaml, _ = _yaml()
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                match_key = next((k for k, _ in node.value if getattr(k, "value", None) == part), None)
                return match_key.start_mark.line + 1 if match_key else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line
