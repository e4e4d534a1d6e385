"""Lab proof of the check catalog: which check each scenario plants, whether a report shows it on the
right brokers, and the per-check table of docs/lab-proof.md.

A `[[planted]]` record of a scenario names a check id and what its finding must show:

* `hosts`: the brokers the finding must name (an evidence row's host, item or message names them);
* `only` (default true): no other lab host may be named (false for comparisons such as
  config_drift, which may name either side);
* `names`: other things the evidence must name, e.g. a topic (its partitions `orders-3` count) or
  `broker 2`;
* `actual`: a string the evidence rows of each planted host must contain (the value planted);
* `topologies`: the topologies the record applies to (default: all).

Checks no scenario can plant are listed in tests/lab/fixtures_only.toml with the reason; every
check of the catalog is in exactly one of the two places (test_lab_files.py enforces it), so a new
check must be planted or say why it cannot be.

`python -m tests.lab.proof` prints docs/lab-proof.md.
"""
from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kafkapilot.catalog.load import load_catalog
from tests.lab.labkit.scenarios import load_scenario
from tests.lab.labkit.topology import hosts_for

__all__ = ["FIXTURES_ONLY", "OTHER_LAB_PROOFS", "PROOF_SCENARIOS", "PROOF_TOPOLOGIES", "fixtures_only", "lab_hosts",
           "lab_proven", "named_hosts", "planted_records", "problems", "proof_markdown"]

FIXTURES_ONLY = Path(__file__).resolve().parent / "fixtures_only.toml"
#: The topologies and scenarios the lab proof runs (kraft-split shares kraft's broker configuration).
PROOF_TOPOLOGIES = ("kraft", "zookeeper")
PROOF_SCENARIOS = ("healthy", "planted")
#: Checks another lab test proves: check id -> where.
OTHER_LAB_PROOFS = {
    "hosts_not_collected": "kraft/planted with kafka-3's sshd stopped "
                           "(tests/collection/test_lab_collection.py::test_dead_host_is_reported_and_the_rest_collected)",
    # broker metrics: real values of the kraft/healthy lab's scrapes, with a threshold set as a param that they cross
    **{check: "kraft/healthy, real values with the threshold set as a param "
              "(tests/lab/test_metrics_lab.py::test_thresholds_set_as_params_make_the_checks_fire_on_real_values)"
       for check in ("metrics_request_handler_idle", "metrics_network_processor_idle", "metrics_request_latency",
                     "metrics_log_flush_time", "metrics_open_fds")},
}


def planted_records(scenario: str, topology: str) -> list[dict[str, Any]]:
    return load_scenario(scenario, hosts_for(topology), topology).planted


def lab_hosts(topology: str) -> list[str]:
    """The Kafka and ZooKeeper hosts of a topology (a finding may name any of them)."""
    return [h.name for h in hosts_for(topology) if "bastion" not in h.roles]


def fixtures_only() -> dict[str, str]:
    """check id -> why no lab scenario can plant it."""
    return dict(tomllib.loads(FIXTURES_ONLY.read_text())["checks"])


def _mentions(text: str | None, name: str) -> bool:
    """`name` as a word of `text`; a topic name also matches its partitions (`orders` in `orders-3`)."""
    return bool(text) and re.search(rf"(?<![\w.-]){re.escape(name)}(?:-[0-9]+)?(?![\w.-])", str(text)) is not None


def _names_host(row: dict[str, Any], host: str) -> bool:
    """An evidence row names a host as its host, or in its item or message."""
    return row.get("host") == host or _mentions(row.get("item"), host) or _mentions(row.get("message"), host)


def named_hosts(finding: dict[str, Any], candidates: Iterable[str]) -> set[str]:
    """The candidate hosts a finding names."""
    return {name for row in finding.get("evidence", []) for name in candidates if _names_host(row, name)}


def problems(report: dict[str, Any], record: dict[str, Any], hosts: list[str]) -> list[str]:
    """Why the report does not show the planted record (empty when it does)."""
    check = record["check"]
    finding = next((f for f in report["findings"] if f["task_id"] == check), None)
    if finding is None:
        return [f"{check}: not in the report"]
    if finding["status"] != "fail":
        return [f"{check}: {finding['status']} ({finding.get('summary')}), planted: {record.get('detail')}"]
    found: list[str] = []
    wanted = set(record.get("hosts", []))
    named = named_hosts(finding, hosts)
    if wanted - named:
        found.append(f"{check}: does not name {sorted(wanted - named)} (names {sorted(named)})")
    if record.get("only", True) and named - wanted:
        found.append(f"{check}: also names {sorted(named - wanted)}, planted on {sorted(wanted)} only")
    text = " ".join(f"{r.get('item')} {r.get('message')} {r.get('actual')}" for r in finding.get("evidence", []))
    found += [f"{check}: evidence does not name {n!r}" for n in record.get("names", []) if not _mentions(text, n)]
    if "actual" in record:
        for host in wanted:
            rows = [r for r in finding.get("evidence", []) if _names_host(r, host)]
            if not any(record["actual"] in f"{r.get('actual')} {r.get('message')}" for r in rows):
                found.append(f"{check}: {host}'s evidence does not show {record['actual']!r}: "
                             f"{[r.get('actual') for r in rows]}")
    return found


def _task_ids() -> dict[str, tuple[str, str]]:
    """check id -> (category, severity) of every task of analysis_tasks/, read by the catalog's own loader."""
    catalog = load_catalog(Path(__file__).resolve().parents[2] / "analysis_tasks")
    return {t.id: (t.category, t.severity.value) for t in catalog.tasks}


def lab_proven() -> dict[str, list[str]]:
    """check id -> where the lab proves it ("kraft/planted", ...)."""
    where: dict[str, list[str]] = {}
    for scenario in PROOF_SCENARIOS:
        for topology in PROOF_TOPOLOGIES:
            for record in planted_records(scenario, topology):
                where.setdefault(record["check"], []).append(f"{topology}/{scenario}")
    for check, proof in OTHER_LAB_PROOFS.items():
        where.setdefault(check, []).append(proof)
    return where


def proof_markdown() -> str:
    """docs/lab-proof.md: for every check, where it is proven."""
    where = lab_proven()
    reasons = fixtures_only()
    tasks = _task_ids()
    lab = [t for t in tasks if t in where]
    lines = [
        "# Lab proof of the check catalog",
        "",
        "<!-- generated by `python -m tests.lab.proof > docs/lab-proof.md`; a test keeps it current -->",
        "",
        "Every check has a fixture snapshot where it fires and one where it stays quiet",
        "(tests/fixtures/tasks/). On top of that, the checks below marked **lab** are planted on the real",
        "Kafka lab (tests/lab, scenario files in tests/lab/scenarios/) and",
        "`tests/lab/test_catalog_proof.py` asserts, for each topology listed, that a collected snapshot",
        "makes the check fail and name the brokers (and topics, and values) it was planted on. The",
        "`healthy` scenario must produce no critical or high finding except the ones the test explains.",
        "The others are proven on fixtures only, for the reason given",
        "(tests/lab/fixtures_only.toml).",
        "",
        f"{len(lab)} of {len(tasks)} checks are proven on the lab.",
        "",
        "| check | category | severity | proof | where, or why fixtures only |",
        "|---|---|---|---|---|",
    ]
    for check, (category, severity) in sorted(tasks.items(), key=lambda kv: (kv[1][0], kv[0])):
        if check in where:
            lines.append(f"| `{check}` | {category} | {severity} | lab | {', '.join(sorted(set(where[check])))} |")
        else:
            lines.append(f"| `{check}` | {category} | {severity} | fixtures | "
                         f"{reasons.get(check, '(no reason given)')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(proof_markdown())
