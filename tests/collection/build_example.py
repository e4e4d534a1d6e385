"""Rebuild the example snapshot shipped in the package from the real lab:

    sudo .venv/bin/python -m tests.collection.build_example

Brings up the kraft lab with the `planted` scenario (unless it is up), runs
`ansible-playbook collect.yml` (with become, so every artifact is there; logs cut to 128 KiB per
file to keep the package small), and copies the snapshot
into kafkapilot/examples/example-snapshot. Files are written in a stable order with stable
modes; the timestamps are the collection's own. Takes the lab down again if it brought it up.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "kafkapilot" / "examples" / "example-snapshot"
LAB = ROOT / "tests" / "lab" / "lab"


def _lab(*args: str) -> str:
    return subprocess.run([sys.executable, str(LAB), *args], capture_output=True, text=True, timeout=900,
                          check=True).stdout


def main() -> None:
    status = json.loads(_lab("status", "--json"))
    ours = not (status.get("up") and status.get("topology") == "kraft" and status.get("scenario") == "planted")
    inventory = _lab("up", "--topology", "kraft", "--scenario", "planted").strip().splitlines()[-1]
    try:
        out = Path(tempfile.mkdtemp(prefix="kp-example-"))
        subprocess.run([str(Path(sys.executable).with_name("ansible-playbook")), "collect.yml", "-i", inventory,
                        "-e", f"kafkapilot_output_dir={out}", "-e", "kafkapilot_become=true",
                        "-e", "kafkapilot_log_max_bytes=131072",  # the example stays small
                        "-e", "kafkapilot_cluster_name=kafkapilot-lab-planted"],
                       cwd=ROOT, check=True, timeout=900, capture_output=True)
        snapshot = next(out.glob("kafka-snapshot-*"))
        shutil.rmtree(TARGET, ignore_errors=True)
        shutil.copytree(snapshot, TARGET)
        manifest = json.loads((TARGET / "snapshot.json").read_text())
        (TARGET / "snapshot.json").write_text(json.dumps(manifest, indent=2) + "\n")
        for path in sorted(TARGET.rglob("*")):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)  # package data: readable once installed
        shutil.rmtree(out)
        print(f"wrote {TARGET}")  # a developer script
    finally:
        if ours:
            _lab("down")


if __name__ == "__main__":
    main()
