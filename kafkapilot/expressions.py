"""Sandboxed expressions in the style of Ansible's `when:`, for checks written in YAML.

Jinja2's ImmutableSandboxedEnvironment: no attribute access to internals, no mutation,
no imports, no eval of Python. A small set of Ansible-like filters and tests is added.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any, Final

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = ["ExpressionError", "evaluate", "render", "to_bool"]

_SIZE_UNITS: Final = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE_PATTERN: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_TRUE_WORDS: Final = frozenset({"true", "yes", "on", "1", "y"})


class ExpressionError(Exception):
    """An expression could not be compiled or evaluated; the message is one line."""


def to_bool(value: object) -> bool:
    """Ansible's `bool` filter: 'true', 'yes', 'on', '1' and True are true; anything else false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    return str(value).strip().lower() in _TRUE_WORDS


def human_to_bytes(value: object) -> int:
    """'6g' → 6442450944, '512MB' → 536870912, 1024 → 1024."""
    if isinstance(value, (int, float)):
        return int(value)
    match = _SIZE_PATTERN.match(str(value))
    if not match:
        msg = f"not a size: {value!r}"
        raise ValueError(msg)
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])


def human_readable(value: object) -> str:
    """1610612736 → '1.5 GiB'."""
    if value is None:
        return "unknown"
    number = float(value)  # type: ignore[arg-type]
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(number) < 1024 or unit == "TiB":
            return f"{number:.0f} {unit}" if unit == "B" else f"{number:.1f} {unit}".replace(".0 ", " ")
        number /= 1024
    return f"{number} TiB"


def _regex_search(value: object, pattern: str) -> str | None:
    match = re.search(pattern, str(value))
    return match.group(0) if match else None


def _regex_findall(value: object, pattern: str) -> list[str]:
    return re.findall(pattern, str(value))


def _regex_replace(value: object, pattern: str, replacement: str = "") -> str:
    return re.sub(pattern, replacement, str(value))


def _split(value: object, separator: str | None = None) -> list[str]:
    return [part.strip() for part in str(value).split(separator) if part.strip()]


def _unique(values: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _difference(left: Iterable[Any], right: Iterable[Any]) -> list[Any]:
    right_list = list(right)
    return [v for v in _unique(left) if v not in right_list]


def _intersect(left: Iterable[Any], right: Iterable[Any]) -> list[Any]:
    right_list = list(right)
    return [v for v in _unique(left) if v in right_list]


def _dict2items(mapping: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": v} for k, v in mapping.items()]


def _percent(part: float, whole: float) -> float:
    return 0.0 if not whole else 100.0 * float(part) / float(whole)


_FILTERS: Final[dict[str, Callable[..., Any]]] = {
    "bool": to_bool,
    "human_to_bytes": human_to_bytes,
    "human_readable": human_readable,
    "regex_search": _regex_search,
    "regex_findall": _regex_findall,
    "regex_replace": _regex_replace,
    "split": _split,
    "unique": _unique,
    "difference": _difference,
    "intersect": _intersect,
    "dict2items": _dict2items,
    "percent_of": _percent,
}


def _match(value: object, pattern: str) -> bool:
    return re.match(pattern, str(value)) is not None


def _search(value: object, pattern: str) -> bool:
    return re.search(pattern, str(value)) is not None


_TESTS: Final[dict[str, Callable[..., bool]]] = {
    "match": _match,
    "search": _search,
    "subset": lambda a, b: set(a) <= set(b),
    "superset": lambda a, b: set(a) >= set(b),
    "contains": lambda container, value: value in container,
    "truthy": lambda v: to_bool(v),
    "falsy": lambda v: not to_bool(v),
}


@lru_cache(maxsize=1)
def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters.update(_FILTERS)
    env.tests.update(_TESTS)
    return env


@lru_cache(maxsize=4096)
def _compile_expression(source: str) -> Callable[..., Any]:
    try:
        return _environment().compile_expression(source, undefined_to_none=False)
    except TemplateError as exc:
        raise ExpressionError(f"cannot compile {source!r}: {exc}") from None


@lru_cache(maxsize=4096)
def _compile_template(source: str) -> Any:
    try:
        return _environment().from_string(source)
    except TemplateError as exc:
        raise ExpressionError(f"cannot compile template {source!r}: {exc}") from None


def evaluate(source: str, variables: Mapping[str, Any]) -> Any:
    """Evaluate one expression (no {{ }}), as Ansible evaluates `when:`."""
    expression = _compile_expression(source.strip())
    try:
        result = expression(**variables)
    except TemplateError as exc:
        raise ExpressionError(f"{source.strip()!r}: {exc}") from None
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError, AttributeError) as exc:
        raise ExpressionError(f"{source.strip()!r}: {type(exc).__name__}: {exc}") from None
    return result


def render(source: str, variables: Mapping[str, Any]) -> str:
    """Render a template string ('Broker {{ node.host }} …')."""
    template = _compile_template(source)
    try:
        return template.render(**variables).strip()
    except TemplateError as exc:
        raise ExpressionError(f"{source.strip()!r}: {exc}") from None
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError, AttributeError) as exc:
        raise ExpressionError(f"{source.strip()!r}: {type(exc).__name__}: {exc}") from None
