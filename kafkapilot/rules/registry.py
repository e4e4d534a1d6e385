"""The rule registry: `@rule("name")` records a function; nothing runs at import."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from kafkapilot.findings import NotEvaluated, Subject
from kafkapilot.outcome import Violation

__all__ = ["RULES", "RuleContext", "RuleResult", "Violation", "get_rule", "rule"]


@dataclass(frozen=True)
class RuleResult:
    """What a rule returns, as data: violations (evidence with its subject), subjects checked, subjects not checked."""

    violations: tuple[Violation, ...] = ()
    checked: tuple[Subject, ...] = ()
    not_evaluated: tuple[NotEvaluated, ...] = field(default=())


@dataclass(frozen=True)
class RuleContext:
    """The inputs a rule gets: the fact tree and the task's parameters."""

    cluster: Mapping[str, Any]
    params: Mapping[str, Any]


RuleFunction = Callable[[RuleContext], RuleResult]
RULES: Final[dict[str, RuleFunction]] = {}


def rule(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule under `name` (used as `rule: name` in a task file)."""

    def register(function: RuleFunction) -> RuleFunction:
        if name in RULES:
            msg = f"rule {name!r} registered twice"
            raise ValueError(msg)
        RULES[name] = function
        return function

    return register


def get_rule(name: str) -> RuleFunction:
    """The rule called `name`; KeyError naming the known rules otherwise."""
    _load_builtin_rules()
    if name not in RULES:
        known = ", ".join(sorted(RULES)) or "none"
        msg = f"unknown rule {name!r}; known rules: {known}"
        raise KeyError(msg)
    return RULES[name]


def _load_builtin_rules() -> None:
    import kafkapilot.rules as package  # noqa: PLC0415 - deferred so that importing the registry is free

    for module in pkgutil.iter_modules(package.__path__):
        if module.name != "registry":
            importlib.import_module(f"kafkapilot.rules.{module.name}")
