"""jvm_drift: heap, garbage collector and Java version should match between nodes of the same roles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kafkapilot.expressions import human_readable
from kafkapilot.rules._compare import compare_nodes
from kafkapilot.rules.registry import RuleContext, RuleResult, rule

__all__ = ["jvm_drift"]


def _jvm(key: str, node: Mapping[str, Any]) -> tuple[object, str | None]:
    jvm = node.get("jvm")
    if jvm is None:
        return None, (node.get("unavailable") or {}).get("jvm", "process_cmdline unknown")
    return jvm.get(key), None


def _java_major(node: Mapping[str, Any]) -> tuple[object, str | None]:
    java = node.get("java")
    if java is None:
        return None, (node.get("unavailable") or {}).get("java", "java_version unknown")
    return java.get("major"), None


def _show(name: str, value: object) -> str:
    if value is None:
        return "JVM default" if name != "heap (-Xmx)" else "not set"
    return human_readable(value) if name == "heap (-Xmx)" else str(value)


@rule("jvm_drift")
def jvm_drift(context: RuleContext) -> RuleResult:
    """One violation per JVM property that differs between Kafka nodes of the same roles."""
    readings = {
        "heap (-Xmx)": lambda node: _jvm("xmx_bytes", node),
        "garbage collector": lambda node: _jvm("gc", node),
        "Java major version": _java_major,
    }
    return compare_nodes(context.cluster["nodes"], readings, what="JVM", show=_show)
