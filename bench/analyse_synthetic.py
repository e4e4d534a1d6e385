#!/usr/bin/env python3
"""Benchmark: offline analysis of synthetic snapshots, each analysis in a fresh process.

For each size (brokers/partitions), builds the snapshot with tests/factory (not measured), then
runs `kafkapilot-analyse SNAPSHOT -r json -o DIR` in a fresh Python process several times and
prints the wall time, the peak RSS, and where the time goes: import (kafkapilot's modules),
load (catalog and snapshot manifest), facts, checks, render (the report and its file). The
first run starts with an empty compiled-expression cache (a first run after an install or an
edit of the catalog: expressions compiled, modules byte-compiled); the others reuse both, as
every later run does. Targets (issue 11):
100 brokers / 20,000 partitions < 1 s; 1000 brokers / 200,000 partitions < 5 s and < 400 MiB.

    .venv/bin/python bench/analyse_synthetic.py                    # both sizes, 3 runs each
    .venv/bin/python bench/analyse_synthetic.py --sizes 100:20000 --runs 5 --keep /tmp/bench-snapshots
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()  # before any import the analysis needs
_STARTED_CPU = time.process_time()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {100: (1.0, None), 1000: (5.0, 400.0)}  # brokers → (seconds, MiB)
PHASES = ("import", "load", "facts", "checks", "render")


def build(directory: Path, brokers: int, partitions: int) -> Path:
    """Write the synthetic snapshot: 100 partitions per topic, RF 3 (plus __consumer_offsets)."""
    sys.path.insert(0, str(ROOT))
    from kafkapilot.snapshot.write import materialize  # noqa: PLC0415 - only the parent builds
    from tests.factory.cluster_spec import cluster_spec  # noqa: PLC0415

    per_topic = 100
    topics = [("__consumer_offsets", 50, 3)]
    topics += [(f"topic-{i:04d}", per_topic, 3) for i in range((partitions - 50) // per_topic)]
    return materialize(cluster_spec(brokers=brokers, topics=topics), directory / "snapshot")


def child(snapshot: str, output: str) -> None:
    """One analysis as the CLI runs it, its phases timed (wall and this process's CPU) by wrapping
    the functions it calls."""
    spent: dict[str, float] = dict.fromkeys(PHASES, 0.0)
    cpu: dict[str, float] = dict.fromkeys(PHASES, 0.0)

    def timed(phase: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, started_cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[phase] += time.perf_counter() - started
                cpu[phase] += time.process_time() - started_cpu
        return wrapper

    from kafkapilot import analysis, cli, cli_analyse  # noqa: PLC0415 - what `kafkapilot-analyse` imports

    spent["import"] = time.perf_counter() - _STARTED
    cpu["import"] = time.process_time() - _STARTED_CPU
    cli_analyse.load_catalog = timed("load", cli_analyse.load_catalog)
    analysis.load_snapshot = timed("load", analysis.load_snapshot)
    analysis.build_facts = timed("facts", analysis.build_facts)
    analysis.run_tasks = timed("checks", analysis.run_tasks)
    sys.argv = ["kafkapilot-analyse", snapshot, "-r", "json", "-o", output]
    try:
        cli.analyse_main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    spent["render"] = time.perf_counter() - _STARTED - sum(spent[p] for p in PHASES if p != "render")
    cpu["render"] = time.process_time() - _STARTED_CPU - sum(cpu[p] for p in PHASES if p != "render")
    print(json.dumps({**spent, **{f"cpu_{p}": cpu[p] for p in PHASES}}))


def measure(snapshot: Path, output: Path, cache: Path) -> tuple[float, float, dict[str, float], float]:
    """(wall seconds, peak RSS MiB, phases, CPU seconds) of one analysis in a fresh process.

    The child runs as an installed kafkapilot does: with the modules' bytecode cached (here in
    a directory of the bench, PYTHONPYCACHEPREFIX, even where PYTHONDONTWRITEBYTECODE is set)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"KAFKAPILOT_CACHE_DIR": str(cache / "kafkapilot"), "PYTHONPYCACHEPREFIX": str(cache / "pycache")}
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(snapshot), str(output)]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, env=env, cwd=ROOT)
        assert process.stdout is not None  # noqa: S101 - PIPE
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)  # the child's own peak RSS, not the maximum over children
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            errors.seek(0)
            raise SystemExit(f"analysis failed: {errors.read().decode()[-800:]}")
    phases = json.loads(out.decode().strip().splitlines()[-1])
    return wall, usage.ru_maxrss / 1024, phases, usage.ru_utime + usage.ru_stime


def report(brokers: int, partitions: int, runs: list[tuple[float, float, dict[str, float], float]]) -> None:
    """Print one size's figures."""
    cold, warm = runs[0], runs[1:] or runs
    best = min(warm, key=lambda r: r[0])
    seconds, mib = TARGETS.get(brokers, (None, None))
    target = f" (target < {seconds:g} s{f', < {mib:g} MiB' if mib else ''})" if seconds else ""
    print(f"{brokers} brokers / {partitions} partitions{target}")
    print(f"  wall: best {best[0]:.2f} s of {len(warm)} warm run(s): {', '.join(f'{r[0]:.2f}' for r in warm)} s;"
          f" cold cache {cold[0]:.2f} s")
    print(f"  peak RSS: {max(r[1] for r in runs):.0f} MiB; CPU time (user+sys) of the best run {best[3]:.2f} s"
          f" (wall exceeds it when the machine is shared: load average {os.getloadavg()[0]:.1f})")
    split = ", ".join(f"{p} {best[2][p]:.2f}" for p in PHASES)
    print(f"  split of the best run (s): {split}; process start {best[0] - sum(best[2][p] for p in PHASES):.2f}")
    cpu = ", ".join(f"{p} {best[2][f'cpu_{p}']:.2f}" for p in PHASES)
    print(f"  CPU split of the best run (s): {cpu}")


def main() -> None:
    """Build, run, print."""
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100:20000,1000:200000", help="BROKERS:PARTITIONS,…")
    parser.add_argument("--runs", type=int, default=3, help="analyses per size (the first with a cold cache)")
    parser.add_argument("--keep", type=Path, help="build the snapshots here once and reuse them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        for size in args.sizes.split(","):
            brokers, partitions = (int(n) for n in size.split(":"))
            where = base / f"synthetic-{brokers}-{partitions}"
            snapshot = where / "snapshot"
            if not (snapshot / "snapshot.json").is_file():
                started = time.perf_counter()
                build(where, brokers, partitions)
                built = time.perf_counter() - started
                files = sum(1 for p in snapshot.rglob("*") if p.is_file())
                size_mib = sum(p.stat().st_size for p in snapshot.rglob("*") if p.is_file()) / 2**20
                print(f"built {snapshot}: {files} files, {size_mib:.0f} MiB in {built:.1f} s")
            cache = Path(tempfile.mkdtemp(prefix="kafkapilot-bench-cache-", dir=tmp))
            runs = [measure(snapshot, Path(tmp) / "report", cache) for _ in range(max(args.runs, 1))]
            report(brokers, partitions, runs)


if __name__ == "__main__":
    main()
