"""Compile a check's expressions once: in this process, and on disk keyed by the task file's hash.

`prepare(task)` parses and compiles every expression and template of a check, checks the fact
paths they read against the fact models, and works out which `vars` depend on the item. The
result is kept in the process and, when everything compiled and validated, on disk
(kafkapilot/expression_cache.py): the next run loads the code objects instead of compiling.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from types import CodeType
from typing import Final

from jinja2 import meta

from kafkapilot import expression_cache
from kafkapilot.catalog.fact_paths import expression_errors
from kafkapilot.catalog.schema import Check, Task
from kafkapilot.expressions import ExpressionError, Kind, code_of, install, is_compiled, parse_source

__all__ = ["CheckPlan", "Problem", "cached_task", "check_sources", "prepare"]

# (YAML location of the source, message)
Problem = tuple[tuple[str | int, ...], str]


@dataclass(frozen=True)
class CheckPlan:
    """How to evaluate a check's vars: those the same for every subject (computed once per task
    run), then those computed once per subject, then those per item."""

    subject_vars: tuple[tuple[str, str], ...] = ()
    item_vars: tuple[tuple[str, str], ...] = ()
    task_vars: tuple[tuple[str, str], ...] = ()


_PLANS: Final[dict[str, CheckPlan]] = {}
_SUBJECT_NAMES: Final = frozenset({"node", "host"})  # what differs from one subject to the next


def check_sources(check: Check) -> list[tuple[Kind, str, tuple[str | int, ...]]]:
    """Every expression and template of a check, with its location in the task file."""
    found: list[tuple[Kind, str, tuple[str | int, ...]]] = [
        ("expression", source.strip(), ("check", "vars", name)) for name, source in check.vars.items()
    ]
    if check.for_each:
        found.append(("expression", check.for_each.strip(), ("check", "for_each")))
    found.append(("expression", check.fail_when.strip(), ("check", "fail_when")))
    for index, rule in enumerate(check.severity_when):
        found.append(("expression", rule.when.strip(), ("check", "severity_when", index, "when")))
    for field in ("message", "actual", "expected", "item"):
        template = getattr(check, field)
        if template:
            found.append(("template", template, ("check", field)))
    return found


def _digest(task: Task) -> str:
    if task._digest:  # noqa: SLF001 - set by the loader from the file
        return task._digest  # noqa: SLF001
    text = task.model_dump_json(include={"id", "applies_to", "check"})
    return hashlib.sha256(text.encode()).hexdigest()


def prepare(task: Task) -> tuple[CheckPlan, list[Problem]]:
    """Compile (or load) the check's sources and plan its vars; problems make the plan unusable."""
    check = task.check
    key = expression_cache.cache_key(_digest(task))
    if check is None:  # a rule or prompt task: nothing to compile, only the validated task to keep
        if task._digest and key not in _PLANS:  # noqa: SLF001
            _PLANS[key] = CheckPlan()
            expression_cache.write_bundle(key, {"codes": {}, "names": {}, "task": pickle.dumps(task)})
        return CheckPlan(), []
    plan = _PLANS.get(key)
    sources = check_sources(check)
    if plan is not None and all(is_compiled(kind, source) for kind, source, _ in sources):
        return plan, []
    bundle = expression_cache.read_bundle(key)
    if bundle is not None and all((kind, source) in bundle["codes"] for kind, source, _ in sources):
        for kind, source, _ in sources:
            install(kind, source, bundle["codes"][(kind, source)])
        plan = _plan(check, bundle["names"])
        _PLANS[key] = plan
        return plan, []
    codes: dict[tuple[Kind, str], CodeType] = {}
    names: dict[str, tuple[str, ...]] = {}
    problems: list[Problem] = []
    for kind, source, location in sources:
        try:
            tree = parse_source(kind, source)
            codes[(kind, source)] = code_of(kind, tree, source)
        except ExpressionError as exc:
            problems.append((location, str(exc)))
            continue
        install(kind, source, codes[(kind, source)])
        problems += [(location, error) for error in expression_errors(tree, task.applies_to)]
        if location[:2] == ("check", "vars"):
            names[source] = tuple(sorted(meta.find_undeclared_variables(tree)))
    if problems:
        return CheckPlan(), problems
    plan = _plan(check, names)
    _PLANS[key] = plan
    expression_cache.write_bundle(key, {"codes": codes, "names": names, "task": pickle.dumps(task)})
    return plan, []


def cached_task(digest: str) -> Task | None:
    """The task validated and compiled before from a file whose content hashes to `digest`, its
    expressions installed; None when the cache does not have it (the file is then read as YAML)."""
    key = expression_cache.cache_key(digest)
    bundle = expression_cache.read_bundle(key)
    if bundle is None or not isinstance(bundle.get("task"), bytes):
        return None
    try:
        task = pickle.loads(bundle["task"])  # noqa: S301 - our own cache, keyed by the content hash
    except Exception:  # noqa: BLE001 - a cache from another version or a damaged file: read the YAML
        return None
    if not isinstance(task, Task) or task._digest != digest:  # noqa: SLF001
        return None
    if task.check is None:
        _PLANS[key] = CheckPlan()
        return task
    sources = check_sources(task.check)
    if not all((kind, source) in bundle["codes"] for kind, source, _ in sources):
        return None
    for kind, source, _ in sources:
        install(kind, source, bundle["codes"][(kind, source)])
    _PLANS[key] = _plan(task.check, bundle["names"])
    return task


def _plan(check: Check, names: dict[str, tuple[str, ...]]) -> CheckPlan:
    """Split the vars: a var that reads the item, or a var that does, is evaluated per item; a
    var that reads neither the subject (`node`, `host`) nor a var that does is evaluated once per
    task run (`cluster.brokers | map(…)` in a broker check: 1000 brokers would each compute it).
    A var read by an earlier var, or reading a later one, stays per subject: it is bound in the
    order written, as it always was."""
    per_item = {check.as_} if check.for_each else set()
    per_subject = set(_SUBJECT_NAMES)
    declared = set(check.vars)
    read_so_far: set[str] = set()
    task, subject, item = [], [], []
    for name, source in check.vars.items():
        reads = set(names.get(source.strip(), ()))
        if per_item & reads:
            per_item.add(name)
            item.append((name, source.strip()))
        elif reads & per_subject or reads & (declared - {n for n, _ in task}) or name in read_so_far:
            per_subject.add(name)
            subject.append((name, source.strip()))
        else:
            task.append((name, source.strip()))
        read_so_far |= reads
    return CheckPlan(subject_vars=tuple(subject), item_vars=tuple(item), task_vars=tuple(task))
