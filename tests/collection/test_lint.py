"""The repository is lint-clean, so `make test` (what .ci/run runs) fails when it is not:
ansible-lint's production profile (offline) over the collection, ruff over plugins/ (Python 3.9
syntax for what the controller runs, 3.7 for the modules; see plugins/ruff.toml), both from a cached
venv (tests/collection/venvs.py: ansible-lint needs Python >= 3.10 and its own ansible-core), and
the project's ruff (the [test] extra) over everything else with pyproject.toml's [tool.ruff].

The same by hand, from the repository root:
    ~/.cache/kafkapilot/venv-py3.11.*/bin/ansible-lint --offline --profile production
    ~/.cache/kafkapilot/venv-py3.11.*/bin/ruff check plugins
    make lint        (.venv/bin/ruff check)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.collection.collection_path import ROOT
from tests.collection.venvs import linters

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def lint_bin() -> Path:
    return linters() / "bin"


def _run(binary: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{binary.parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    env.pop("ANSIBLE_CONFIG", None)
    return subprocess.run([str(binary), *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=900,
                          check=False, input=stdin)


def test_ansible_lint_production_profile_is_clean(lint_bin: Path) -> None:
    out = _run(lint_bin / "ansible-lint", "--offline", "--profile", "production", "--nocolor")
    assert out.returncode == 0, (out.stdout + out.stderr)[-5000:]
    assert "Profile 'production' was required, and it passed" in out.stdout + out.stderr


def test_ruff_python_39_for_the_controller_37_for_the_hosts(lint_bin: Path) -> None:
    out = _run(lint_bin / "ruff", "check", "--no-cache", "plugins")
    assert out.returncode == 0, out.stdout[-5000:]
    # the configuration really says so: a syntax of 3.10 is refused in plugin_utils
    refused = _run(lint_bin / "ruff", "check", "--no-cache", "--stdin-filename", "plugins/plugin_utils/probe.py", "-",
                   stdin="def f(x):\n    match x:\n        case _:\n            return x\n")
    assert refused.returncode != 0 and "Python 3.9" in refused.stdout, refused.stdout


def test_ruff_over_the_repository_is_clean() -> None:
    """`make lint`: the ruff of this venv with pyproject.toml's configuration (roles/ and plugins/ excluded
    there: they are checked above)."""
    ruff = Path(sys.executable).parent / "ruff"
    out = _run(ruff, "check", "--no-cache", "--output-format", "concise")
    assert out.returncode == 0, (out.stdout + out.stderr)[-5000:]
    # the configuration is the one read: a line over pyproject's 120 columns is refused
    long_line = _run(ruff, "check", "--no-cache", "--stdin-filename", "kafkapilot/probe.py", "-",
                     stdin=f"X = {'1' * 120}\n")
    assert long_line.returncode != 0 and "E501" in long_line.stdout, long_line.stdout
