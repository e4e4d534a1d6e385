"""Shared pytest configuration for the whole suite."""

from __future__ import annotations

import platform
import subprocess
from typing import Any

import pytest
from hypothesis import settings

# Property-based tests are deterministic (the same examples every run) and write no example database
# into the checkout (it would end up in the collection's build); each test bounds its own max_examples.
settings.register_profile("kafkapilot", derandomize=True, database=None, deadline=None)
settings.load_profile("kafkapilot")

# The real multi-host Kafka lab (tests/lab) as a session fixture usable from any test folder.
pytest_plugins = ["tests.lab.pytest_lab"]

#: the markers of the tests that may run other programs; `make test-fast` leaves them out
RUNS_PROGRAMS = ("integration", "lab", "browser", "llm_local")

# The standard library asks `uname -p` once per process for platform.processor() (the OpenAI client
# sends it as a header): asked here, before any test, it is cached and no test runs it.
platform.processor()


@pytest.fixture(autouse=True)
def _unit_tests_run_no_program(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test without one of RUNS_PROGRAMS that starts a program fails and says which marker it needs:
    the fast suite stays fast, and a test's marker says what it needs."""
    if any(request.node.get_closest_marker(name) for name in RUNS_PROGRAMS):
        return

    def refuse(_popen: subprocess.Popen[Any], args: Any, *_: Any, **__: Any) -> None:
        pytest.fail(f"{request.node.nodeid} runs {args!r}: mark it @pytest.mark.integration", pytrace=False)

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
