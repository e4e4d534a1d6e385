#!/usr/bin/env python3
"""Benchmark: offline analysis of a synthetic 100-broker, 20,000-partition snapshot.

Prints the snapshot size, the wall time of `kafkapilot-analyse` (in a fresh process, as a user
runs it, best of N) and its peak memory. Targets (issue 2): < 3 s and < 300 MB.

    .venv/bin/python bench/analyse_synthetic.py [--brokers 100] [--partitions 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kafkapilot.snapshot.write import materialize  # noqa: E402
from tests.factory.cluster_spec import cluster_spec  # noqa: E402


def build(directory: Path, brokers: int, partitions: int) -> Path:
    """Write the synthetic snapshot: 100 partitions per topic, RF 3."""
    per_topic = 100
    topics = [("__consumer_offsets", 50, 3)]
    topics += [(f"topic-{i:04d}", per_topic, 3) for i in range((partitions - 50) // per_topic)]
    return materialize(cluster_spec(brokers=brokers, topics=topics), directory / "snapshot")


def measure(snapshot: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one analysis in a child process."""
    command = [str(Path(sys.executable).parent / "kafkapilot-analyse"), str(snapshot), "--report", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False, timeout=600)  # noqa: S603
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"analysis failed: {result.stderr.decode()[:500]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return elapsed, peak / 1024


def main() -> None:
    """Build, run, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brokers", type=int, default=100)
    parser.add_argument("--partitions", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        snapshot = build(Path(tmp), args.brokers, args.partitions)
        size = sum(p.stat().st_size for p in snapshot.rglob("*") if p.is_file())
        print(f"snapshot: {args.brokers} brokers, {args.partitions} partitions, {size / 2**20:.1f} MiB, "
              f"built in {time.perf_counter() - started:.1f} s")
        runs = [measure(snapshot) for _ in range(args.runs)]
        best = min(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"analysis wall time: best {best:.2f} s, runs {', '.join(f'{r[0]:.2f}' for r in runs)} s (target < 3 s)")
        print(f"analysis peak RSS: {peak:.0f} MiB (target < 300 MiB)")


if __name__ == "__main__":
    main()
