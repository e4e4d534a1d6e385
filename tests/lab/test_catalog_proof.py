"""The check catalog proven on real Kafka: every check a lab scenario plants fires, on the brokers it
was planted on, for the KRaft and the ZooKeeper topology; the healthy scenario raises no false alarm.

The planted records are data (tests/lab/scenarios/*.toml, see tests/lab/proof.py); this file only
collects each (topology, scenario) once, analyses it as a user would (`kafkapilot-analyse -r json`)
and compares. Each case declares its lab, so the session runs it with the other tests of that lab (no lab comes
up twice); snapshots the collection tests took are reused (`lab_factory.snapshots`).
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.lab.labkit.scenarios import load_scenario
from tests.lab.labkit.topology import hosts_for
from tests.lab.proof import lab_hosts, planted_records, problems
from tests.lab.pytest_lab import LabController

pytestmark = pytest.mark.lab

ReportOf = Callable[[str, str], dict[str, Any]]
_OPEN_FILES = Path(__file__).resolve().parents[2] / "analysis_tasks" / "os" / "open_files_limit.yaml"
MIN_NOFILE = yaml.safe_load(_OPEN_FILES.read_text())["params"]["min_open_files"]


def _analyse(snapshot: Path, params: dict[str, Any]) -> dict[str, Any]:
    """The report of `kafkapilot-analyse`, with the scenario's `[params]` as --param (thresholds a lab can reach)."""
    overrides = [arg for key, value in params.items() for arg in ("--param", f"{key}={value}")]
    out = subprocess.run([str(Path(sys.executable).with_name("kafkapilot-analyse")), str(snapshot), "-r", "json",
                          *overrides], capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


@pytest.fixture(scope="session")
def report_of(lab_factory: LabController, tmp_path_factory: pytest.TempPathFactory) -> ReportOf:
    reports: dict[tuple[str, str], dict[str, Any]] = {}

    def get(topology: str, scenario: str) -> dict[str, Any]:
        if (topology, scenario) not in reports:
            out = tmp_path_factory.mktemp(f"{topology}-{scenario}")
            params = load_scenario(scenario, hosts_for(topology), topology).params
            reports[(topology, scenario)] = _analyse(lab_factory.collected(topology, scenario, out), params)
        return reports[(topology, scenario)]

    return get


def _cases(topology: str, scenarios: tuple[str, ...]) -> list[Any]:
    """One case per planted record, in the order of `scenarios` (the order the labs come up)."""
    return [pytest.param(scenario, record, id=f"{scenario}-{record['check']}",
                         marks=pytest.mark.lab(topology, scenario))
            for scenario in scenarios for record in planted_records(scenario, topology)]


def _alarms(report: dict[str, Any], topology: str) -> list[str]:
    """Critical or high failures of a healthy lab that neither the topology itself (healthy.toml's
    planted records) nor this machine's limits explain."""
    expected = {r["check"] for r in planted_records("healthy", topology)}
    hard_nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    found = []
    for finding in report["findings"]:
        if finding["status"] != "fail" or finding["severity"] not in ("critical", "high"):
            continue
        if finding["task_id"] in expected:
            continue
        if finding["task_id"] == "open_files_limit" and 0 < hard_nofile < MIN_NOFILE:
            # the unit asks LimitNOFILE=100000 but this sandbox's hard limit caps every process: the finding
            # is true here, and must show that cap, not a made-up value
            assert all(str(hard_nofile) in str(r.get("actual")) for r in finding["evidence"]), finding["evidence"]
            continue
        found.append(f"{finding['task_id']} ({finding['severity']}): {finding['summary']}")
    return found


# ------------------------------------------------------------------------------------------ zookeeper
@pytest.mark.lab("zookeeper", "healthy")
def test_zookeeper_healthy_raises_no_false_alarm(report_of: ReportOf) -> None:
    report = report_of("zookeeper", "healthy")
    assert report["summary"]["tasks_run"] >= 62
    assert not _alarms(report, "zookeeper")


@pytest.mark.parametrize(("scenario", "record"), _cases("zookeeper", ("healthy", "planted")))
def test_zookeeper_planted_check_fires_on_its_brokers(report_of: ReportOf, scenario: str,
                                                     record: dict[str, Any]) -> None:
    report = report_of("zookeeper", scenario)
    assert not problems(report, record, lab_hosts("zookeeper"))


# ------------------------------------------------------------------------------------------ kraft
@pytest.mark.parametrize(("scenario", "record"), _cases("kraft", ("planted", "healthy")))
def test_kraft_planted_check_fires_on_its_brokers(report_of: ReportOf, scenario: str, record: dict[str, Any]) -> None:
    report = report_of("kraft", scenario)
    assert not problems(report, record, lab_hosts("kraft"))


@pytest.mark.lab("kraft", "healthy")
def test_kraft_healthy_raises_no_false_alarm(report_of: ReportOf) -> None:
    report = report_of("kraft", "healthy")
    assert report["summary"]["tasks_run"] >= 62
    assert not _alarms(report, "kraft")
