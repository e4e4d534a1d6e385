"""Virtualenvs of the collection's tests, cached under ~/.cache/kafkapilot/ keyed by what they hold
(the interpreter's version and the requirements). The first creation needs PyPI; later runs
(CI's second run, the next session on the same machine) reuse the venv.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

CACHE = Path(os.environ.get("KAFKAPILOT_CACHE", Path.home() / ".cache" / "kafkapilot"))
#: AWX's default execution environment (awx-ee 24.x): Python 3.9 and ansible-core 2.15
AWX_EE_PYTHON = "~/.pyenv/versions/3.9.*/bin/python"
AWX_EE_REQUIREMENTS = ("ansible-core>=2.15,<2.16",)
#: the linters (ansible-lint needs Python >= 3.10 and brings its own ansible-core)
LINT_PYTHON = "~/.pyenv/versions/3.11.*/bin/python"
LINT_REQUIREMENTS = ("ansible-lint==26.10.1", "ruff==0.17.5")


def python(pattern: str) -> Path:
    """The newest interpreter matching a pyenv glob."""
    found = sorted(glob.glob(os.path.expanduser(pattern)), key=lambda p: [int(x) for x in p.split("/")[-3].split(".")])
    if not found:
        raise FileNotFoundError(f"no Python matches {pattern} (pyenv install it)")
    return Path(found[-1])


def venv(interpreter: Path, requirements: tuple[str, ...]) -> Path:
    """A venv of `interpreter` with `requirements`, cached; its directory. One left incomplete
    (no .complete marker: the creation was interrupted) is made again."""
    version = subprocess.run([str(interpreter), "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                             text=True, check=True, timeout=60).stdout.strip()
    key = hashlib.sha256("\n".join((version, *requirements)).encode()).hexdigest()[:12]
    target = CACHE / f"venv-py{version}-{key}"
    if (target / ".complete").is_file():
        return target
    shutil.rmtree(target, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(interpreter), "-m", "venv", str(target)], check=True, timeout=300)
    subprocess.run([str(target / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    *requirements], check=True, timeout=900)
    (target / "requirements.txt").write_text("\n".join(requirements) + "\n")
    (target / ".complete").write_text(version + "\n")
    return target


def awx_ee() -> Path:
    """Python 3.9 with only ansible-core 2.15: the controller stack of AWX's default execution environment."""
    return venv(python(AWX_EE_PYTHON), AWX_EE_REQUIREMENTS)


def linters() -> Path:
    return venv(python(LINT_PYTHON), LINT_REQUIREMENTS)
