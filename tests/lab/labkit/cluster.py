"""Run Kafka's own CLI tools inside a broker host, as user kafka, with the admin client config."""
from __future__ import annotations

import base64
import re
import shutil
import subprocess
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .errors import LabError
from .hosts import run_in_host
from .paths import host_root
from .topology import Host
from .waits import wait_until

__all__ = ["Cluster", "new_cluster_id"]

CLIENT_CONFIG = "/etc/kafka/client.properties"
# The lab's own short-lived tool runs get a small heap, C1 only and a class-data-sharing archive
# kept next to the cached distribution (/opt/kafka/.lab/tools.jsa): each JVM starts about a second
# faster. Tool runs by ops or Ansible use the distribution's defaults.
_FAST = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true"
CDS_INSIDE = "/opt/kafka/.lab/tools.jsa"
CDS_DUMP_INSIDE = "/var/lib/kafka/.lab-tools.jsa"
# The collection's runner of several Kafka tools in one JVM (classes loaded once): the lab creates its
# topics with it, one JVM instead of one per topic (tens of seconds per `up` on a busy 2-core machine).
TOOL_RUNNER = Path(__file__).resolve().parents[3] / "plugins" / "plugin_utils" / "java" / "ToolRunner.java"
RUNNER_INSIDE = "/opt/kafka/.lab/ToolRunner.java"


def _java_id() -> str:
    out = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False, timeout=30)
    return out.stderr.strip()


def tool_env(dist: Path | None = None, *, dump: bool = False) -> dict[str, str]:
    """Environment for the lab's own tool runs (dump=True writes a CDS archive at exit)."""
    opts = _FAST
    if dump:
        opts += f" -XX:ArchiveClassesAtExit={CDS_DUMP_INSIDE}"
    elif dist is not None and (dist / ".lab" / "tools.jsa").exists():
        opts += f" -XX:SharedArchiveFile={CDS_INSIDE} -Xshare:auto"
    return {"KAFKA_HEAP_OPTS": "-Xmx256m", "KAFKA_JVM_PERFORMANCE_OPTS": opts}


def cds_ready(dist: Path) -> bool:
    """True when the distribution's CDS archive exists and matches this JVM (else drop it)."""
    jsa, stamp = dist / ".lab" / "tools.jsa", dist / ".lab" / "java-version"
    if jsa.exists() and stamp.exists() and stamp.read_text() == _java_id():
        return True
    shutil.rmtree(dist / ".lab", ignore_errors=True)
    return False


def keep_cds(dist: Path, root: Path) -> None:
    dumped = root / CDS_DUMP_INSIDE.lstrip("/")
    if dumped.exists():
        (dist / ".lab").mkdir(exist_ok=True)
        shutil.move(str(dumped), dist / ".lab" / "tools.jsa")
        (dist / ".lab" / "tools.jsa").chmod(0o644)
        (dist / ".lab" / "java-version").write_text(_java_id())


def new_cluster_id() -> str:
    """A Kafka cluster id (base64url of a random UUID, as `kafka-storage.sh random-uuid` prints)."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


class Cluster:
    def __init__(self, hosts: list[Host], state: dict[str, Any], dist: Path | None = None, *,
                 down: set[str] = frozenset()) -> None:
        self.hosts = hosts
        self.dist = dist
        self.state = state
        self.brokers = [h for h in hosts if "broker" in h.roles]
        admin = next(h for h in self.brokers if h.name not in down)
        self.admin_host = admin.name
        self.bootstrap = f"{admin.name}:9092"

    def pid(self, name: str) -> int:
        return self.state["hosts"][name]["init_pid"]

    def env(self) -> dict[str, str]:
        return tool_env(self.dist)

    def run(self, argv: list[str], *, timeout: float = 120, check: bool = True, dump: bool = False) -> str:
        env = tool_env(self.dist, dump=dump)
        return run_in_host(self.pid(self.admin_host), argv, env=env, timeout=timeout, check=check).stdout

    def tool(self, script: str, *args: str, timeout: float = 120, check: bool = True, dump: bool = False) -> str:
        argv = [f"/opt/kafka/bin/{script}", "--bootstrap-server", self.bootstrap, *args]
        return self.run(argv, timeout=timeout, check=check, dump=dump)

    def tools_in_one_jvm(self, runs: Sequence[tuple[str, str, list[str]]], *, timeout: float = 120) -> dict[str, str]:
        """Run Kafka tools, (id, main class, args) each, side by side in one JVM on the admin host (the
        collection's ToolRunner); id -> its stdout. A tool that fails raises LabError with its stderr."""
        if self.dist is None:
            msg = "tools_in_one_jvm needs the distribution (the runner is kept next to it)"
            raise LabError(msg)
        runner = self.dist / ".lab" / "ToolRunner.java"
        if not runner.exists() or runner.read_text() != TOOL_RUNNER.read_text():
            runner.parent.mkdir(exist_ok=True)
            shutil.copyfile(TOOL_RUNNER, runner)
        argv = ["/opt/kafka/bin/kafka-run-class.sh", "--source", "11", RUNNER_INSIDE, str(int(timeout)), str(len(runs))]
        for ident, main_class, args in runs:
            argv += [ident, main_class, str(len(args)), *args]
        out = self.run(argv, timeout=timeout + 60)
        results: dict[str, str] = {}
        for line in out.splitlines():
            if not line.startswith("@@KPT "):
                continue
            _, ident, rc, _, stdout, stderr = line.split(" ")
            if rc != "0":
                err = "timed out" if stderr == "-" else base64.b64decode(stderr).decode(errors="replace").strip()
                msg = f"{ident} failed with {rc}: {err[-600:]}"
                raise LabError(msg)
            results[ident] = base64.b64decode(stdout).decode(errors="replace")
        missing = [ident for ident, _, _ in runs if ident not in results]
        if missing:
            msg = f"the tool runner gave no result for {', '.join(missing)}: {out[-600:]}"
            raise LabError(msg)
        return results

    def format_storage(self, cluster_id: str, release_version: str | None = None) -> None:
        nodes = [h for h in self.hosts if h.is_kafka]
        argv = ["/opt/kafka/bin/kafka-storage.sh", "format", "-t", cluster_id, "-c", "/etc/kafka/server.properties",
                "--ignore-formatted", *(["--release-version", release_version] if release_version else [])]
        with ThreadPoolExecutor(max_workers=3) as pool:
            for fut in [pool.submit(run_in_host, self.pid(h.name), argv, env=self.env()) for h in nodes]:
                fut.result()

    def registered_brokers(self) -> set[int]:
        dump = self.dist is not None and not cds_ready(self.dist)
        out = self.tool("kafka-broker-api-versions.sh", "--command-config", CLIENT_CONFIG, timeout=60, check=False,
                        dump=dump)
        found = {int(m) for m in re.findall(r"\(id: (\d+)", out)}
        if dump and self.dist is not None and found:
            keep_cds(self.dist, host_root(self.admin_host))
        return found

    def wait_brokers(self, expected: int, timeout: float = 120) -> None:
        wait_until(lambda: len(self.registered_brokers()) >= expected, timeout=timeout, interval=1.0,
                   what=f"{expected} brokers to register with the cluster (kafka-broker-api-versions.sh)")

    def under_replicated(self) -> str:
        return self.tool("kafka-topics.sh", "--command-config", CLIENT_CONFIG, "--describe",
                         "--under-replicated-partitions").strip()

    def wait_fully_replicated(self, timeout: float = 90) -> None:
        wait_until(lambda: self.under_replicated() == "", timeout=timeout, interval=2.0,
                   what="every partition to be fully replicated (kafka-topics.sh --under-replicated-partitions)")
