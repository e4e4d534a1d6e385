"""The collection passes ansible-lint's production profile (offline) and ruff (Python 3.9 syntax for
what the controller runs, 3.7 for the modules; see plugins/ruff.toml). Both run from a cached venv
(tests/collection/venvs.py): ansible-lint needs Python >= 3.10 and its own ansible-core.

The same by hand, from the repository root:
    ~/.cache/kafkapilot/venv-py3.11.*/bin/ansible-lint --offline --profile production
    ~/.cache/kafkapilot/venv-py3.11.*/bin/ruff check plugins
"""

from __future__ import annotations

import os
import subprocess
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
