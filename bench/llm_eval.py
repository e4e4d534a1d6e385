"""How steady is a model on our LLM tasks? N runs on a frozen snapshot, no answer cache.

    python bench/llm_eval.py --model openai/smollm2 --api-base http://127.0.0.1:8080/v1 --runs 3 \
        --max-output-tokens 256 --max-log-lines 20
    python bench/llm_eval.py --model openai/gpt-4o-mini --runs 5 --snapshot SNAPSHOT

Prints per prompt task how often the runs agree (the outcome that came most often: status and the
subjects it failed on), the statuses seen, tokens and wall time per run; works unchanged for any
litellm model string (keys from the provider's usual variables).
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import default_tasks_dir, load_catalog
from kafkapilot.engine import EngineOptions
from kafkapilot.findings import Finding
from kafkapilot.llm.config import resolve_llm_config
from kafkapilot.llm.usage import prompt_runner

EXAMPLE = Path(__file__).resolve().parents[1] / "kafkapilot" / "examples" / "example-snapshot"


def _outcome(finding: Finding) -> tuple[str, tuple[str, ...]]:
    """What a run concluded for one task: its status and the hosts it failed on."""
    return finding.status.value, tuple(sorted(finding.hosts)) if finding.status.value == "fail" else ()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--api-base")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--snapshot", type=Path, default=EXAMPLE)
    parser.add_argument("--tasks-dir", type=Path, action="append", default=[])
    parser.add_argument("--tasks", help="prompt task ids, comma-separated (default: every prompt task)")
    parser.add_argument("--context-window", type=int)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--max-output-tokens", type=int, help="llm.max_output_tokens (a small local model: 256)")
    parser.add_argument("--max-log-lines", type=int, help="llm.max_log_lines (a small local model: 20)")
    args = parser.parse_args(argv)
    catalog = load_catalog(default_tasks_dir(), *args.tasks_dir)
    wanted = [t.strip() for t in args.tasks.split(",")] if args.tasks else [t.id for t in catalog.tasks if t.needs_llm]
    outcomes: dict[str, list[tuple[str, tuple[str, ...]]]] = collections.defaultdict(list)
    print(f"model {args.model}, snapshot {args.snapshot}, tasks {', '.join(wanted)}, {args.runs} runs")
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as cache:  # every run asks the model: nothing from the cache
            os.environ["KAFKAPILOT_LLM_CACHE_DIR"] = cache
            settings = {"model": args.model, "api_base": args.api_base, "timeout": args.timeout,
                        "context_window": args.context_window, "cache": False,
                        "max_output_tokens": args.max_output_tokens, "max_log_lines": args.max_log_lines}
            config = resolve_llm_config({k: v for k, v in settings.items() if v is not None}, {})
            started = time.perf_counter()
            report = analyse(args.snapshot, catalog, Selection(task_ids=tuple(wanted)),
                             EngineOptions(prompt_runner=prompt_runner(config)))
            wall = time.perf_counter() - started
        runs = {r.task_id: r for r in report.task_runs}
        tokens = sum(r.tokens_in + r.tokens_out for r in runs.values())
        for finding in report.findings:
            if finding.task_id in wanted:
                outcomes[finding.task_id].append(_outcome(finding))
        print(f"run {run}: {wall:6.1f} s wall, {tokens:,} tokens, "
              + ", ".join(f"{f.task_id}={f.status.value}" for f in report.findings if f.task_id in wanted))
    print(f"\n{'task':<24} {'agreement':>9}  statuses")
    for task_id in wanted:
        seen = outcomes.get(task_id, [])
        common = collections.Counter(seen).most_common(1)
        agreement = common[0][1] / len(seen) if seen else 0.0
        statuses = collections.Counter(status for status, _ in seen)
        print(f"{task_id:<24} {agreement:>8.0%}  {dict(statuses)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
