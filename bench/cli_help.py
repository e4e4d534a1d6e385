#!/usr/bin/env python3
"""Benchmark: `kafkapilot-analyse --help` in a fresh process (goal: under 0.2 s), and what it imports.

Runs the installed console script N times (after a warm-up, so the page cache is warm as on a user's
second run) and prints the wall time (median, fastest) and the CPU time per run (user + system of the child,
which a busy machine inflates less than wall time), against `python -c pass` for the interpreter's own start.
Then lists the slowest imports of one run (python -X importtime) and any heavy library that --help imported.

    .venv/bin/python bench/cli_help.py [--runs 30] [--command kafkapilot-analyse]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Final

GOAL_S: Final = 0.2
HEAVY: Final = ("pydantic", "rich", "jinja2", "yaml", "markdown_it", "litellm", "ansible", "ansible_runner")


def _timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _measure(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    for _ in range(3):
        _timed(argv)
    walls, cpus = zip(*(_timed(argv) for _ in range(runs)), strict=True)
    return list(walls), list(cpus)


def _imports(argv: list[str]) -> tuple[list[tuple[int, str]], list[str]]:
    """(the ten slowest imports by cumulative µs, heavy top-level packages imported)."""
    result = subprocess.run([sys.executable, "-X", "importtime", *argv], capture_output=True, text=True, check=True)
    rows = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _self, cumulative, name = line.removeprefix("import time:").split("|")
            rows.append((int(cumulative), name.rstrip()))
    heavy = sorted({name.strip().split(".")[0] for _, name in rows} & set(HEAVY))
    return sorted(rows, reverse=True)[:10], heavy


def main() -> int:
    """Print the figures; exit 1 when the median is over the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--command", default="kafkapilot-analyse", help="console script in the interpreter's bin/")
    args = parser.parse_args()
    script = Path(sys.executable).parent / args.command
    help_argv = [str(script), "--help"]
    bare = _measure([sys.executable, "-c", "pass"], args.runs)
    walls, cpus = _measure(help_argv, args.runs)
    slowest, heavy = _imports(help_argv)
    print(f"{args.command} --help, {args.runs} fresh processes on {os.cpu_count()} CPUs (load "
          f"{os.getloadavg()[0]:.1f}):")
    print(f"  wall  median {statistics.median(walls) * 1000:6.1f} ms   fastest {min(walls) * 1000:6.1f} ms   goal < "
          f"{GOAL_S * 1000:.0f} ms")
    print(f"  CPU   median {statistics.median(cpus) * 1000:6.1f} ms   (user + system)")
    print(f"  python -c pass: wall median {statistics.median(bare[0]) * 1000:.1f} ms, CPU median "
          f"{statistics.median(bare[1]) * 1000:.1f} ms")
    print("  slowest imports (cumulative):")
    for micros, name in slowest:
        print(f"    {micros / 1000:7.1f} ms  {name.strip()}")
    print(f"  heavy libraries imported: {', '.join(heavy) or 'none'}")
    return 0 if statistics.median(walls) < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
