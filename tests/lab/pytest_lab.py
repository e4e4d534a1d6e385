"""pytest plugin: the real multi-host Kafka lab as a session-scoped fixture.

Registered from tests/conftest.py (`pytest_plugins = ["tests.lab.pytest_lab"]`), so any test folder
can use it:

    @pytest.mark.lab
    def test_something(lab_factory):
        lab = lab_factory.up("kraft", "planted")   # one lab at a time; switching tears the other down
        out = lab.ssh("kafka-1", "cat /etc/kafka/server.properties").stdout

    @pytest.mark.lab
    def test_other(lab):                            # shortcut: kraft + healthy
        ...

A lab test declares the lab it needs, `@pytest.mark.lab("kraft", "planted")` (a test using the `lab`
fixture declares kraft/healthy by that): the session then runs the lab tests of every file grouped
by lab, each group once, in the order the groups first appear, and the lab tests that declare none
(teardown checks) after them. Bringing a lab up takes minutes; this way each comes up once.
The lab is torn down (`tests/lab/lab down`) at the end of the session.
"""
from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

__all__ = ["RunningLab", "LabController", "lab_factory", "lab", "LAB_SCRIPT", "run_lab", "declared_lab"]

LAB_SCRIPT = Path(__file__).resolve().parent / "lab"
LAB_DIR = Path("/var/tmp/kafkapilot-lab")


def run_lab(*args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run tests/lab/lab with this interpreter; on failure, fail the test with the lab's own message."""
    out = subprocess.run([sys.executable, str(LAB_SCRIPT), *args], capture_output=True, text=True,
                         timeout=timeout, check=False)
    if check and out.returncode != 0:
        pytest.fail(f"tests/lab/lab {' '.join(args)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out


@dataclass
class RunningLab:
    topology: str
    scenario: str
    inventory: Path
    ssh_config: Path
    known_hosts: Path
    private_key: Path
    hosts: dict[str, str]            # name -> address
    roles: dict[str, list[str]]      # name -> roles
    up_seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def names(self, role: str) -> list[str]:
        return [n for n, r in self.roles.items() if role in r]

    def ssh(self, host: str, command: str, *, timeout: float = 120,
            check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `command` on `host` over SSH as ops, through the bastion, with the lab's ssh_config."""
        argv = ["ssh", "-F", str(self.ssh_config), "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", host, command]
        out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        if check and out.returncode != 0:
            pytest.fail(f"ssh {host} {shlex.quote(command)} failed ({out.returncode}): {out.stderr[-2000:]}")
        return out

    def status(self) -> dict[str, Any]:
        return json.loads(run_lab("status", "--json", timeout=60).stdout)

    def init_pid(self, host: str) -> int:
        return self.status()["hosts"][host]["init_pid"]

    def lab(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return run_lab(*args, check=check, timeout=timeout)


class LabController:
    """Brings up one lab at a time; `up` of the running (topology, scenario) is a no-op."""

    def __init__(self) -> None:
        self.current: RunningLab | None = None
        self.timings: list[tuple[str, float]] = []
        #: (topology, scenario) -> a snapshot collected with the default options (see `collected`)
        self.snapshots: dict[tuple[str, str], Path] = {}

    def collected(self, topology: str, scenario: str, out: Path) -> Path:
        """A snapshot of the lab (topology, scenario) collected with the defaults, once per session.

        A test that collects such a snapshot itself may hand it over with
        `lab_factory.snapshots[(topology, scenario)] = path`, so that no other test brings that
        lab up again only to collect the same snapshot.
        """
        key = (topology, scenario)
        if key not in self.snapshots:
            from tests.collection.labrun import run_collect  # noqa: PLC0415 - the collection's test helper, lab runs only

            lab = self.up(topology, scenario)
            start = time.monotonic()
            self.snapshots[key] = run_collect(lab.inventory, out).snapshot
            self.timings.append((f"collect {topology}/{scenario}", time.monotonic() - start))
        return self.snapshots[key]

    def up(self, topology: str = "kraft", scenario: str = "healthy") -> RunningLab:
        if self.current and (self.current.topology, self.current.scenario) == (topology, scenario):
            return self.current
        start = time.monotonic()
        out = run_lab("up", "--topology", topology, "--scenario", scenario)
        elapsed = time.monotonic() - start
        self.timings.append((f"up {topology}/{scenario}", elapsed))
        inventory = Path(out.stdout.strip().splitlines()[-1])
        info = json.loads(run_lab("status", "--json", timeout=60).stdout)
        self.current = RunningLab(
            topology=topology, scenario=scenario, inventory=inventory,
            ssh_config=LAB_DIR / "ssh" / "ssh_config", known_hosts=LAB_DIR / "ssh" / "known_hosts",
            private_key=LAB_DIR / "keys" / "id_ed25519",
            hosts={n: h["ip"] for n, h in info["hosts"].items()},
            roles={n: h["roles"] for n, h in info["hosts"].items()}, up_seconds=elapsed)
        return self.current

    def down(self) -> float:
        start = time.monotonic()
        run_lab("down", timeout=300)
        self.current = None
        elapsed = time.monotonic() - start
        self.timings.append(("down", elapsed))
        return elapsed


def declared_lab(item: pytest.Item) -> tuple[str, ...] | None:
    """The (topology, scenario) a lab test declares, or None (not a lab test, or it declares none)."""
    marker = item.get_closest_marker("lab")
    if marker is None:
        return None
    if marker.args:
        return tuple(marker.args)
    return ("kraft", "healthy") if "lab" in getattr(item, "fixturenames", ()) else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Lab tests grouped by their lab, in the slots lab tests held (the other tests keep their places)."""
    slots = [n for n, item in enumerate(items) if item.get_closest_marker("lab")]
    groups: dict[tuple[str, ...], int] = {}
    for n in slots:
        lab = declared_lab(items[n])
        if lab is not None:
            groups.setdefault(lab, len(groups))

    def key(n: int) -> tuple[int, int]:
        lab = declared_lab(items[n])
        return (groups[lab] if lab is not None else len(groups), n)

    ordered = [items[n] for n in sorted(slots, key=key)]
    for n, item in zip(slots, ordered, strict=True):
        items[n] = item


@pytest.fixture(scope="session")
def lab_factory() -> Iterator[LabController]:
    controller = LabController()
    try:
        yield controller
    finally:
        run_lab("down", timeout=300, check=False)
        for what, seconds in controller.timings:
            print(f"\nlab timing: {what}: {seconds:.1f}s", file=sys.stderr)


@pytest.fixture
def lab(lab_factory: LabController) -> RunningLab:
    """The kraft topology with the healthy scenario."""
    return lab_factory.up("kraft", "healthy")
