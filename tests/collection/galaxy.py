"""ansible-galaxy build and install of the collection, as an operator does it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def galaxy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANSIBLE_NOCOLOR": "1"}
    out = subprocess.run([str(BIN / "ansible-galaxy"), "collection", *args], cwd=cwd, capture_output=True, text=True,
                         env=env, timeout=300, check=False)
    assert out.returncode == 0, ("ansible-galaxy collection "
                                 f"{' '.join(args)}:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return out


def build(out: Path) -> Path:
    """kafkapilot-kafkapilot-<version>.tar.gz of the checkout, built into `out`."""
    galaxy("build", "--output-path", str(out), "--force")
    (tarball,) = out.glob("kafkapilot-kafkapilot-*.tar.gz")
    return tarball


def install(source: Path | str, collections: Path) -> Path:
    """Install `source` (a tarball or the repository directory) under collections/; that path."""
    galaxy("install", str(source), "-p", str(collections), "--force", cwd=collections)
    assert (collections / "ansible_collections" / "kafkapilot" / "kafkapilot" / "MANIFEST.json").is_file()
    return collections
