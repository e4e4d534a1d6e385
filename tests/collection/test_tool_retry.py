"""A cluster tool run as a script is run again while it fails with its retry pattern (kafka-acls
answered by a broker without an authorizer), at most `attempts` times, and says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def run_tool(host_module: ModuleType) -> Callable[..., dict[str, Any]]:
    """The module's script runner for one cluster tool (the ToolRunner JVM's fallback)."""
    return host_module._run_tool  # type: ignore[no-any-return]  # noqa: SLF001 - the unit under test


def _flaky(tmp_path: Path, failures: int) -> list[str]:
    """A real program that fails `failures` times with SecurityDisabledException, then succeeds."""
    script = tmp_path / "tool.sh"
    script.write_text(f'n=$(cat "{tmp_path}/n" 2>/dev/null || echo 0); echo $((n + 1)) > "{tmp_path}/n"\n'
                      f'if [ "$n" -lt {failures} ]; then\n'
                      '  echo "SecurityDisabledException: No Authorizer" >&2; exit 1\nfi\n'
                      'echo "Current ACLs for resource"\n')
    return ["sh", str(script)]


def test_retried_while_it_fails_with_the_pattern(run_tool: Callable[..., dict[str, Any]], tmp_path: Path) -> None:
    req = {"retries": {"acls": ["SecurityDisabledException", 8]}, "timeout": 20}
    result = run_tool(req, "acls", _flaky(tmp_path, 2))
    assert result["status"] == "ok" and result["stdout"].startswith("Current ACLs")
    assert "attempt 3 of 8" in result["stderr"] and (tmp_path / "n").read_text().strip() == "3"


def test_at_most_attempts_times_then_its_failure(run_tool: Callable[..., dict[str, Any]], tmp_path: Path) -> None:
    req = {"retries": {"acls": ["SecurityDisabledException", 2]}, "timeout": 20}
    result = run_tool(req, "acls", _flaky(tmp_path, 5))
    assert result["status"] == "failed" and "SecurityDisabledException" in result["error"]
    assert (tmp_path / "n").read_text().strip() == "2"


def test_without_a_pattern_it_runs_once(run_tool: Callable[..., dict[str, Any]], tmp_path: Path) -> None:
    result = run_tool({"timeout": 20}, "acls", _flaky(tmp_path, 1))
    assert result["status"] == "failed" and (tmp_path / "n").read_text().strip() == "1"
