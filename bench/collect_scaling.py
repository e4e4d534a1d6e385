"""Collection cost on the 3-broker lab and its growth with the number of hosts, each side measured
on its own: the controller (ansible-playbook and everything it starts: workers, ssh clients,
ControlPersist masters, the ProxyJump hops) and the targets (each host's sshd and everything its
sessions start: the module's Python, the shell, java -version, keytool, the Kafka tools' JVM), plus
the bastion's sshd, and wall time.

    .venv/bin/python bench/collect_scaling.py [--sizes 3,10,30,100] [--repeat 2] [--profile 30]
        [--env ANSIBLE_X=Y ...] [--keep-lab]

Needs root and the lab (tests/lab): it uses the running kraft lab, or brings one up (and takes it
down at the end). The extra hosts are lightweight but real: each has its own sshd on its own
loopback address (reached through the lab's bastion, host key pinned), its own files (configs,
unit, env file, logs, data dirs, a JKS keystore: tests/collection/fake_kafka.py) and a Kafka-shaped
JVM (main class kafka.Kafka, sleeping). They are not Kafka brokers: the cluster-wide commands run
once, on the lab's kafka-1, whatever the host count (the fake hosts are named node-NNN, after it).

How it measures (cgroup v1 cpuacct, this machine's): ansible-playbook starts in a cgroup of its own,
which every process it starts inherits; the targets' and the bastion's sshd listeners are moved
into two others before the runs, so their sessions and what those run are counted there (the
brokers' own JVMs are not: they run beside sshd, not under it; the work a broker does to answer the
tools is therefore not counted). Each run gets fresh ControlPersist masters (its own control path
directory) and they are stopped after it, so every run pays its connections as a real run does.
A sampler reads /proc every 50 ms to say which processes the CPU went to (processes shorter than
that are missed: the per-kind figures are a lower bound, the cgroup totals are exact).

`--profile N` runs N hosts once more under cProfile with process time: ansible-playbook's main
process and each forked worker write a profile; the sum says where the controller's Python time
goes (Ansible's templating and task queueing, module packaging, the connection, our plugin_utils).
Prints tables; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.collection.fake_kafka import FakeNode, classes_dir, start_fake, write_tree  # noqa: E402

LAB = ROOT / "tests" / "lab" / "lab"
LAB_DIR = Path("/var/tmp/kafkapilot-lab")
BENCH_DIR = Path("/var/tmp/kafkapilot-bench")
CGROUP = Path("/sys/fs/cgroup")
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _lab(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(LAB), *args], capture_output=True, text=True, timeout=900, check=True)


# ------------------------------------------------------------------------------------------ accounting
class Cgroup:
    """A cgroup v1 `cpuacct` group (created here, removed at the end) and what it used."""

    def __init__(self, name: str) -> None:
        self.path = CGROUP / "cpuacct" / f"kp-bench-{name}-{os.getpid()}"
        self.path.mkdir()

    def add(self, pid: int) -> None:
        (self.path / "cgroup.procs").write_text(f"{pid}\n")

    def pids(self) -> list[int]:
        return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]

    def cpu(self) -> float:
        return int((self.path / "cpuacct.usage").read_text()) / 1e9

    def remove(self) -> None:
        for pid in self.pids():  # back to the root group (a lab process outlives the bench)
            try:
                (CGROUP / "cpuacct" / "cgroup.procs").write_text(f"{pid}\n")
            except OSError:
                pass
        try:
            self.path.rmdir()
        except OSError:
            pass


def _kind(pid: int) -> str:  # noqa: PLR0911 - one return per kind of process, read top to bottom
    """What a process is, for the per-kind figures: the command, and for a JVM what it runs."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    args = [a.decode(errors="replace") for a in argv if a]
    if not args:
        return "?"
    name = Path(args[0]).name
    if name == "java" or name.startswith("java"):
        if "-version" in args:
            return "java -version"
        if any("keytool" in a for a in args) or "sun.security.tools.keytool.Main" in args:
            return "java keytool"
        if any("ToolRunner" in a or a.startswith("/proc/self/fd/") or a.startswith("/dev/fd/") for a in args):
            return "java Kafka tools (one JVM)"
        main = next((a for a in args if re.match(r"^[a-z]+(\.[A-Za-z0-9_$]+)+$", a)), None)
        return f"java {main or '?'}"
    if name == "keytool":
        return "java keytool"
    if name.startswith("python") or name == "ansible-playbook":
        if any("ansible-playbook" in a or a.endswith("profiled_playbook.py") for a in args[:3]):
            return "ansible-playbook (main, workers)"
        return "python (module on the host)" if any("AnsiballZ" in a or a == "-" for a in args) or len(args) <= 2 \
            else f"python {Path(args[1]).name if len(args) > 1 else ''}"
    if name == "sshd" or args[0].startswith("sshd"):
        return "sshd"
    if name == "ssh" or args[0].startswith("ssh:"):
        return "ssh (client, masters, hops)"
    if name in ("sh", "bash", "dash"):
        return "sh"
    return name


def _cpu_ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime of the process itself


class Sampler(threading.Thread):
    """Every 50 ms: each process of the groups, its kind and its CPU so far (the last value seen counts)."""

    def __init__(self, groups: dict[str, Cgroup]) -> None:
        super().__init__(daemon=True)
        self.groups = groups
        self.seen: dict[str, dict[int, tuple[str, int]]] = {name: {} for name in groups}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for name, group in self.groups.items():
                try:
                    pids = group.pids()
                except OSError:
                    continue
                for pid in pids:
                    ticks = _cpu_ticks(pid)
                    if ticks is None:
                        continue
                    kind = self.seen[name].get(pid, (None, 0))[0] or _kind(pid)
                    self.seen[name][pid] = (kind, ticks)
            self.stop.wait(0.05)

    def by_kind(self, name: str) -> dict[str, float]:
        found: dict[str, float] = defaultdict(float)
        for kind, ticks in self.seen[name].values():
            found[kind] += ticks / TICK
        return dict(found)


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
        total += int(match.group(1)) if match else 0
    return total / 1024


# ------------------------------------------------------------------------------------------ hosts
def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError):
                continue
    return found


def _lab_sshd(status: dict) -> dict[str, int]:
    """host -> pid of its listening sshd (a child of the host's init)."""
    found = {}
    for name, host in status["hosts"].items():
        for child in _children(host["init_pid"]):
            if _kind(child) == "sshd":
                found[name] = child
    return found


def _fake_host(index: int, classes: Path, pubkey: str,
               keystore: Path | None) -> tuple[dict, str, subprocess.Popen, FakeNode]:
    name, address = f"node-{index:03d}", f"127.42.0.{100 + index}"
    root = BENCH_DIR / name
    paths = write_tree(root, name=name, keystore_from=keystore)
    key = root / "ssh_host_ed25519_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=60)
    (root / "authorized_keys").write_text(pubkey)
    (root / "authorized_keys").chmod(0o600)
    config = root / "sshd_config"
    config.write_text(f"ListenAddress {address}:22\nHostKey {key}\nPidFile none\nUsePAM no\n"
                      f"PermitRootLogin prohibit-password\nAuthorizedKeysFile {root}/authorized_keys\n"
                      "PasswordAuthentication no\nStrictModes no\nMaxStartups 100:30:200\nMaxSessions 64\n"
                      "Subsystem sftp /usr/lib/openssh/sftp-server\n")
    # sshd needs /run/sshd; a private mount namespace gives it one without touching the machine's /run
    sshd = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c",
                             "mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && "
                             f"exec /usr/sbin/sshd -D -f {config} -E {root / 'sshd.log'}"])
    node = start_fake(root, classes, paths)
    host_key = " ".join(key.with_suffix(".pub").read_text().split()[:2])
    entry = {name: {"ansible_host": address, "ansible_user": "root", "kafkapilot_unit_dirs": [str(paths["unit_dir"])],
                    "kafkapilot_process_filter": [str(paths["props"])]}}
    return entry, f"{address},{name} {host_key}\n", sshd, node, paths["keystore"]


def _inventory(lab_inventory: Path, extra: dict[str, dict[str, object]], ssh_config: Path) -> str:
    import yaml  # noqa: PLC0415 - PyYAML comes with ansible-core

    inventory = yaml.safe_load(lab_inventory.read_text())
    inventory["all"]["vars"]["ansible_ssh_common_args"] = f"-F {ssh_config}"
    inventory["all"]["children"]["kafka_brokers"]["hosts"].update(extra)
    return yaml.safe_dump(inventory, sort_keys=False)


# ------------------------------------------------------------------------------------------ one run
@dataclass
class Run:
    wall: float
    controller: float
    targets: float
    bastion: float
    peak_mb: float
    controller_kinds: dict[str, float] = field(default_factory=dict)
    target_kinds: dict[str, float] = field(default_factory=dict)


PROFILED = '''import atexit, cProfile, os, sys, time
out = os.environ["KP_PROFILE_DIR"]
from ansible.executor.process import worker
run = worker.WorkerProcess._run
def _run(self):
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    try:
        return run(self)
    finally:
        profile.disable()
        profile.dump_stats(f"{out}/worker-{os.getpid()}.prof")
worker.WorkerProcess._run = _run
main = cProfile.Profile(time.process_time)
main.enable()
me = os.getpid()
def _dump():
    if os.getpid() == me:
        main.disable()
        main.dump_stats(f"{out}/main-{me}.prof")
atexit.register(_dump)
from ansible.cli.playbook import main as playbook
sys.argv[0] = "ansible-playbook"
playbook()
'''


def _collect(inventory: Path, limit: list[str], out: Path, groups: dict[str, Cgroup], env: dict[str, str], *,
             profile: Path | None = None) -> Run:
    controller = Cgroup("controller")
    groups = {**groups, "controller": controller}
    before = {name: group.cpu() for name, group in groups.items()}
    control = Path(tempfile.mkdtemp(prefix="cp-", dir=BENCH_DIR))  # fresh ControlPersist masters
    argv = [str(Path(sys.executable).with_name("ansible-playbook")), "collect.yml"]
    environ = {**os.environ, "ANSIBLE_SSH_CONTROL_PATH_DIR": str(control), "ANSIBLE_NOCOLOR": "1", **env}
    if profile:
        script = BENCH_DIR / "profiled_playbook.py"
        script.write_text(PROFILED)
        argv = [sys.executable, str(script), "collect.yml"]
        environ["KP_PROFILE_DIR"] = str(profile)
    sampler = Sampler(groups)
    sampler.start()
    peak = 0.0
    started = time.monotonic()
    proc = subprocess.Popen([*argv, "-i", str(inventory), "--limit", ",".join(limit),
                             "-e", f"kafkapilot_output_dir={out}"],
                            cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            # the child joins the controller's cgroup before exec; the sampler thread only reads /proc
                            preexec_fn=lambda: (controller.path / "cgroup.procs").write_text(  # noqa: PLW1509
                                f"{os.getpid()}\n"))
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    while proc.poll() is None:
        peak = max(peak, _pss_mb(controller.pids()))
        time.sleep(0.5)
    reader.join()
    wall = time.monotonic() - started
    used = {"controller": controller.cpu() - before["controller"]}
    for pid in controller.pids():  # the ControlPersist masters: stopped, so the targets' sessions end too
        try:
            os.kill(pid, 15)
        except OSError:
            pass
    deadline = time.monotonic() + 10
    while controller.pids() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    sampler.stop.set()
    sampler.join()
    used.update({name: group.cpu() - before[name] for name, group in groups.items() if name != "controller"})
    controller.remove()
    shutil.rmtree(control, ignore_errors=True)
    snapshots = sorted(out.glob("kafka-snapshot-*/snapshot.json"))
    if not snapshots:
        sys.exit(f"collection failed:\n{''.join(output)[-4000:]}")
    manifest = json.loads(snapshots[-1].read_text())
    bad = {h: e["status"] for h, e in manifest["hosts"].items() if e["status"] not in ("ok", "partial")}
    if bad or manifest.get("cluster_source_host") != "kafka-1":
        sys.exit(f"hosts not collected: {bad}, cluster commands on {manifest.get('cluster_source_host')}")
    shutil.rmtree(snapshots[-1].parent)
    return Run(wall, used["controller"], used["targets"], used["bastion"], peak, sampler.by_kind("controller"),
               sampler.by_kind("targets"))


# ------------------------------------------------------------------------------------------ report
CATEGORIES = (  # first match wins: (label, pattern on the profiled function's file)
    ("our code: plugin_utils and action plugins", r"ansible_collections/kafkapilot/"),
    ("Ansible: module packaging (AnsiballZ)",
     r"ansible/executor/module_common|ansible/executor/powershell|zipfile|zlib|base64"),
    ("Ansible: ssh connection plugin", r"ansible/plugins/connection/"),
    ("Ansible: templating (Jinja2)", r"ansible/template/|jinja2/|ansible/_internal/_templating"),
    ("Ansible: variables (VariableManager, hostvars)", r"ansible/vars/|ansible/inventory/"),
    ("Ansible: task queue, workers, results",
     r"ansible/executor/|ansible/plugins/strategy/|multiprocessing/|ansible/playbook/"),
    ("Ansible: callbacks, display", r"ansible/plugins/callback|ansible/utils/display"),
    ("Ansible: startup, plugin loading", r"ansible/plugins/loader|ansible/cli/|ansible/config/|importlib|<frozen"),
    ("JSON, YAML", r"json/|yaml/|ansible/parsing/"),
)


def _profile_report(directory: Path, hosts: int) -> None:
    files = sorted(directory.glob("*.prof"))
    workers = [f for f in files if f.name.startswith("worker-")]
    stats = pstats.Stats(*map(str, files))
    by_category: dict[str, float] = defaultdict(float)
    for (path, _line, _func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        label = next((label for label, pattern in CATEGORIES if re.search(pattern, path)), "other (stdlib, builtins)")
        by_category[label] += tottime
    total = sum(by_category.values())
    main = sum(pstats.Stats(str(f)).total_tt for f in files if f.name.startswith("main-"))  # type: ignore[attr-defined]
    print(f"\ncontroller Python CPU under cProfile ({hosts} hosts; profiling inflates it): {total:.1f} s in "
          f"{len(workers)} worker runs and the main process ({main:.1f} s)")
    for label, seconds in sorted(by_category.items(), key=lambda item: -item[1]):
        print(f"  {label:<50} {seconds:7.1f} s {100 * seconds / total:5.1f} %  {seconds / hosts:6.3f} s/host")
    ours = [(tt, f"{Path(p).name}:{fn}") for (p, _l, fn), (_c, _n, tt, _ct, _cl) in stats.stats.items()  # type: ignore[attr-defined]
            if "ansible_collections/kafkapilot/" in p]
    costliest = ", ".join(f"{name} {tt:.2f}s" for tt, name in sorted(ours)[::-1][:6])
    print(f"  our costliest functions (self time): {costliest}")


def main() -> None:  # noqa: PLR0915 - the bench's steps in order: set up, measure each size, report
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3,10,30,100")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--profile", type=int, default=0, help="also profile the controller at this many hosts")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment for ansible-playbook (e.g. ANSIBLE_FORKS=50), to compare settings")
    parser.add_argument("--keep-lab", action="store_true", help="leave a lab this script brought up running")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    env = dict(item.split("=", 1) for item in args.env)
    status = json.loads(_lab("status", "--json").stdout)
    started_lab = not status.get("up") or status.get("topology") != "kraft" or status.get("scenario") != "healthy"
    if started_lab:
        print("bringing the kraft lab up …", file=sys.stderr)
        _lab("up", "--topology", "kraft")
        status = json.loads(_lab("status", "--json").stdout)
    lab_inventory = LAB_DIR / "inventory" / "hosts.yml"
    brokers = ["kafka-1", "kafka-2", "kafka-3"]
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    BENCH_DIR.mkdir(parents=True)
    processes: list[subprocess.Popen] = []
    nodes: list[FakeNode] = []
    groups = {"targets": Cgroup("targets"), "bastion": Cgroup("bastion")}
    try:
        sshd = _lab_sshd(status)
        groups["bastion"].add(sshd["bastion"])
        for name in brokers:
            groups["targets"].add(sshd[name])
        pubkey = (LAB_DIR / "keys" / "id_ed25519.pub").read_text()
        classes = classes_dir(BENCH_DIR / "cache")
        entries: dict[str, dict[str, object]] = {}
        known = (LAB_DIR / "ssh" / "known_hosts").read_text()
        extra = max(sizes) - len(brokers)
        print(f"starting {extra} extra hosts …", file=sys.stderr)
        keystore = None
        for index in range(1, extra + 1):
            entry, key_line, proc, node, keystore = _fake_host(index, classes, pubkey, keystore)
            entries.update(entry)
            known += key_line
            processes.append(proc)
            nodes.append(node)
            groups["targets"].add(proc.pid)
        (BENCH_DIR / "known_hosts").write_text(known)
        ssh_config = BENCH_DIR / "ssh_config"
        ssh_config.write_text((LAB_DIR / "ssh" / "ssh_config").read_text()
                              .replace(str(LAB_DIR / "ssh" / "known_hosts"), str(BENCH_DIR / "known_hosts"))
                              .replace(f"{LAB_DIR}/ssh/cm-%C", f"{BENCH_DIR}/cm-%C"))
        inventory = BENCH_DIR / "hosts.yml"
        inventory.write_text(_inventory(lab_inventory, entries, ssh_config))
        names = brokers + [f"node-{i:03d}" for i in range(1, extra + 1)]
        time.sleep(2)
        out = Path(tempfile.mkdtemp(prefix="kp-bench-"))
        _collect(inventory, names[:3], out, groups, env)  # warm-up: page cache, compiled module cache
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} before the runs; "
              f"settings: {env or 'ansible.cfg'}")
        print(f"{'hosts':>5} {'wall s':>7} {'runs':>13} {'vs 3':>5} | {'controller CPU s':>16} {'/host':>6} "
              f"{'marg.':>6} | {'targets CPU s':>13} {'/host':>6} | {'bastion':>7} | {'ctl peak MB':>11}")
        base: Run | None = None
        results: dict[int, Run] = {}
        for size in sizes:
            repeat = args.repeat if size < 100 else 1
            runs = [_collect(inventory, names[:size], out, groups, env) for _ in range(repeat)]
            median = Run(*(statistics.median(getattr(r, f) for r in runs) for f in ("wall", "controller", "targets",
                                                                                   "bastion", "peak_mb")))
            median.controller_kinds, median.target_kinds = runs[-1].controller_kinds, runs[-1].target_kinds
            results[size] = median
            base = base or median
            marginal = (median.controller - base.controller) / (size - sizes[0]) if size > sizes[0] else float("nan")
            walls = " ".join(f"{r.wall:.0f}" for r in runs)
            print(f"{size:>5} {median.wall:7.1f} {walls:>13} {median.wall / base.wall:4.1f}x | "
                  f"{median.controller:16.1f} {median.controller / size:6.2f} {marginal:6.2f} | {median.targets:13.1f} "
                  f"{median.targets / size:6.2f} | {median.bastion:7.1f} | {median.peak_mb:11.0f}", flush=True)
        largest = results[max(sizes)]
        for side, kinds in (("controller", largest.controller_kinds), ("targets", largest.target_kinds)):
            total = sum(kinds.values()) or 1
            print(f"\n{side}, {max(sizes)} hosts, CPU by process kind (sampled every 50 ms; a lower bound):")
            for kind, seconds in sorted(kinds.items(), key=lambda item: -item[1])[:8]:
                print(f"  {kind:<40} {seconds:7.1f} s {100 * seconds / total:5.1f} %  "
                      f"{seconds / max(sizes):6.3f} s/host")
        if args.profile:
            profile = BENCH_DIR / "profile"
            profile.mkdir()
            run = _collect(inventory, names[:args.profile], out, groups, env, profile=profile)
            print(f"\nprofiled run: {args.profile} hosts, wall {run.wall:.1f} s, controller {run.controller:.1f} CPU-s")
            _profile_report(profile, args.profile)
    finally:
        for node in nodes:
            node.stop()
        for proc in processes:
            proc.terminate()
        for group in groups.values():
            group.remove()
        shutil.rmtree(BENCH_DIR, ignore_errors=True)
        if started_lab and not args.keep_lab:
            _lab("down")


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("run as root (the lab needs it)")
    main()
