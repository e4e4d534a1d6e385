"""Sandboxed expressions in the style of Ansible's `when:`, for checks written in YAML.

Jinja2's ImmutableSandboxedEnvironment: no attribute access to internals, no mutation,
no imports, no eval of Python. A small set of Ansible-like filters and tests is added.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from types import CodeType
from typing import Any, Final, Literal

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from kafkapilot.facts.model.base import Record, field_names

__all__ = [
    "ExpressionError",
    "Kind",
    "Scope",
    "code_of",
    "compile_source",
    "evaluate",
    "install",
    "is_compiled",
    "parse_source",
    "render",
    "runner",
    "to_bool",
]

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


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _regex_search(value: object, pattern: str) -> str | None:
    match = _regex(pattern).search(str(value))
    return match.group(0) if match else None


def _regex_findall(value: object, pattern: str) -> list[str]:
    return _regex(pattern).findall(str(value))


def _regex_replace(value: object, pattern: str, replacement: str = "") -> str:
    return _regex(pattern).sub(replacement, str(value))


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


def _items_matching(mapping: Mapping[str, Any], pattern: str) -> list[dict[str, Any]]:
    """`dict2items` of the keys that `re.match` the pattern, in one pass (not a test per item)."""
    match = _regex(pattern).match
    return [{"key": k, "value": v} for k, v in mapping.items() if match(k)]


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
    "items_matching": _items_matching,
    "percent_of": _percent,
}


def _match(value: object, pattern: str) -> bool:
    return _regex(pattern).match(str(value)) is not None


def _search(value: object, pattern: str) -> bool:
    return _regex(pattern).search(str(value)) is not None


_TESTS: Final[dict[str, Callable[..., bool]]] = {
    "match": _match,
    "search": _search,
    "subset": lambda a, b: set(a) <= set(b),
    "superset": lambda a, b: set(a) >= set(b),
    "contains": lambda container, value: value in container,
    "truthy": to_bool,
    "falsy": lambda v: not to_bool(v),
}


_DICT_ATTRIBUTES: Final = frozenset(dir(dict))
_RECORD_FIELDS: Final[dict[type, frozenset[str]]] = {}


def _fields_of(cls: type) -> frozenset[str]:
    found = _RECORD_FIELDS.get(cls)
    if found is None:
        found = _RECORD_FIELDS[cls] = field_names(cls) if issubclass(cls, Record) else frozenset()
    return found


#: the largest string, list or tuple `*` may make, and the largest integer `**` may make (in bits): a
#: check that asks for more is a runaway (`'x' * 10**10` would take 10 GB before any time budget ends it)
MAX_REPEATED_ITEMS: Final = 1_000_000
MAX_POWER_BITS: Final = 100_000


class _FactsSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with a fast path for what checks read most: a fact model's field
    (data, never a method or an internal) and a dict key that is no dict method's name (an item).
    Both return what the sandbox's own checks would; anything else takes them (a 1000-broker run
    reads some 350,000 attributes, and those checks were a third of its time). `*` and `**` are
    bounded (MAX_REPEATED_ITEMS, MAX_POWER_BITS); Jinja's sandbox already bounds range()."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(times, int) and not isinstance(times, bool):
                    if len(sequence) * times > MAX_REPEATED_ITEMS:
                        msg = f"'*' would make {len(sequence) * times:,} items (at most {MAX_REPEATED_ITEMS:,})"
                        raise SecurityError(msg)
        elif (operator == "**" and isinstance(left, int) and isinstance(right, int)
              and abs(left) > 1 and right > 0 and right * left.bit_length() > MAX_POWER_BITS):
            msg = f"'**' would make a number of about {right * left.bit_length():,} bits (at most {MAX_POWER_BITS:,})"
            raise SecurityError(msg)
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        fields = _RECORD_FIELDS.get(type(obj))
        if fields is None:
            fields = _fields_of(type(obj))
        if attribute in fields:
            return getattr(obj, attribute)
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def _environment() -> ImmutableSandboxedEnvironment:
    env = _FactsSandbox(undefined=StrictUndefined, autoescape=False)
    env.filters.update(_FILTERS)
    env.tests.update(_TESTS)
    return env


Kind = Literal["expression", "template"]

# Compiled in this process: (kind, source) → the callable Jinja object. Filled by compile_source,
# or from code objects the disk cache kept (kafkapilot/expression_cache.py).
_COMPILED: Final[dict[tuple[Kind, str], Any]] = {}


def parse_source(kind: Kind, source: str) -> nodes.Template:
    """The Jinja syntax tree of an expression (as `{% set result = … %}`, like compile_expression) or template."""
    env = _environment()
    try:
        if kind == "template":
            return env.parse(source)
        parser = Parser(env, source, state="variable")
        expr = parser.parse_expression()
        if not parser.stream.eos:
            raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
        expr.set_environment(env)
    except TemplateError as exc:
        what = "template " if kind == "template" else ""
        raise ExpressionError(f"cannot compile {what}{source!r}: {exc.message or exc}") from None
    tree = nodes.Template([nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)], lineno=1)
    tree.set_environment(env)
    return tree


def code_of(kind: Kind, tree: nodes.Template, source: str) -> CodeType:  # noqa: ARG001 - the same arguments as install()
    """Python code of a parsed source (what the disk cache keeps)."""
    try:
        return _environment().compile(tree)  # type: ignore[return-value]
    except TemplateError as exc:
        raise ExpressionError(f"cannot compile {source!r}: {exc.message or exc}") from None


def install(kind: Kind, source: str, code: CodeType) -> None:
    """Make compiled code callable for evaluate() / render()."""
    env = _environment()
    _COMPILED[(kind, source)] = env.template_class.from_code(env, code, env.make_globals(None), None)


def is_compiled(kind: Kind, source: str) -> bool:
    """True when `source` is ready in this process."""
    return (kind, source) in _COMPILED


def compile_source(kind: Kind, source: str) -> CodeType:
    """Parse, compile and install one source; its code object is returned for the disk cache."""
    code = code_of(kind, parse_source(kind, source), source)
    install(kind, source, code)
    return code


def _compiled(kind: Kind, source: str) -> Template:
    found = _COMPILED.get((kind, source))
    if found is None:
        compile_source(kind, source)
        found = _COMPILED[(kind, source)]
    return found


class Scope:
    """The variables of one subject (or item), read by many expressions and templates.

    One Jinja context serves them all: Jinja makes a new one for each evaluation, which is
    most of the cost of a short expression, and a 1000-broker run evaluates ~150,000 of them.
    A subject keeps its scope from task to task: `reset()` drops what a task added.
    """

    __slots__ = ("base", "context", "variables")

    def __init__(self, variables: Mapping[str, Any]) -> None:
        env = _environment()
        self.variables = dict(variables)
        self.base = frozenset(self.variables)
        self.context = env.context_class(env, {**env.globals, **self.variables}, None, {})

    def set(self, name: str, value: object) -> None:
        """Add a variable (a task's params, a check's var, the item) for the expressions that follow."""
        self.variables[name] = value
        self.context.parent[name] = value

    def reset(self) -> None:
        """Back to the variables the scope was made with (a task's params, vars and item gone)."""
        if len(self.variables) == len(self.base):
            return
        for name in [n for n in self.variables if n not in self.base]:
            del self.variables[name]
            del self.context.parent[name]


Runner = Callable[[Scope], Any]
# source (as written) → its runner: evaluate() and render() look a source up once per call, and a
# caller that evaluates one source on many scopes (a check on each subject) keeps the runner.
_RUNNERS: Final[dict[tuple[Kind, str], Runner]] = {}


def runner(kind: Kind, source: str) -> Runner:
    """A function of a Scope that evaluates the expression (no {{ }}) or renders the template."""
    found = _RUNNERS.get((kind, source))
    if found is None:
        found = _RUNNERS[(kind, source)] = _make_runner(kind, source)
    return found


def _make_runner(kind: Kind, source: str) -> Runner:
    text = source.strip()
    root = _compiled(kind, text if kind == "expression" else source).root_render_func
    quoted = repr(text)

    def _failed(exc: Exception) -> ExpressionError:
        if isinstance(exc, TemplateError):
            return ExpressionError(f"{quoted}: {exc}")
        return ExpressionError(f"{quoted}: {type(exc).__name__}: {exc}")

    if kind == "expression":
        def evaluate_in(scope: Scope) -> Any:
            context = scope.context
            context.vars.clear()  # what the previous expression assigned (its result, a {% set %})
            context.exported_vars.clear()
            try:
                for _ in root(context):
                    pass
            except _EVALUATION_ERRORS as exc:
                raise _failed(exc) from None
            return context.vars["result"]

        return evaluate_in

    def render_in(scope: Scope) -> str:
        context = scope.context
        context.vars.clear()
        context.exported_vars.clear()
        try:
            return "".join(root(context)).strip()
        except _EVALUATION_ERRORS as exc:
            raise _failed(exc) from None

    return render_in


_EVALUATION_ERRORS: Final = (
    TemplateError, TypeError, ValueError, ArithmeticError, KeyError, IndexError, AttributeError,
)


def evaluate(source: str, variables: Mapping[str, Any] | Scope) -> Any:
    """Evaluate one expression (no {{ }}), as Ansible evaluates `when:`."""
    return runner("expression", source)(variables if isinstance(variables, Scope) else Scope(variables))


def render(source: str, variables: Mapping[str, Any] | Scope) -> str:
    """Render a template string ('Broker {{ node.host }} …')."""
    return runner("template", source)(variables if isinstance(variables, Scope) else Scope(variables))
