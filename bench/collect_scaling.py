"""Collection wall time on the 3-broker lab, and its growth with the number of hosts.

    .venv/bin/python bench/collect_scaling.py [--sizes 3,10,30] [--repeat 2]

Needs root and the lab (tests/lab): it uses the running kraft lab, or brings one up (and takes it
down at the end). The extra hosts are lightweight but real: each has its own sshd on its own
loopback address (reached through the lab's bastion, host key pinned), its own files (configs,
unit, env file, logs, data dirs: tests/collection/fake_kafka.py) and a Kafka-shaped JVM (main
class kafka.Kafka, sleeping). They are not Kafka brokers: the cluster-wide commands run once on
the lab's kafka-1 whatever the host count. Prints one line per size; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.collection.fake_kafka import FakeNode, classes_dir, start_fake, write_tree  # noqa: E402

LAB = ROOT / "tests" / "lab" / "lab"
LAB_DIR = Path("/var/tmp/kafkapilot-lab")
BENCH_DIR = Path("/var/tmp/kafkapilot-bench")


def _lab(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(LAB), *args], capture_output=True, text=True, timeout=900, check=True)


def _fake_host(index: int, classes: Path, pubkey: str) -> tuple[dict[str, object], str, subprocess.Popen[bytes], FakeNode]:
    name, address = f"fake-{index:02d}", f"127.42.0.{100 + index}"
    root = BENCH_DIR / name
    paths = write_tree(root, name=name)
    key = root / "ssh_host_ed25519_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=60)
    (root / "authorized_keys").write_text(pubkey)
    (root / "authorized_keys").chmod(0o600)
    config = root / "sshd_config"
    config.write_text(f"ListenAddress {address}:22\nHostKey {key}\nPidFile none\nUsePAM no\n"
                      f"PermitRootLogin prohibit-password\nAuthorizedKeysFile {root}/authorized_keys\n"
                      "PasswordAuthentication no\nStrictModes no\nMaxStartups 100:30:200\nMaxSessions 64\n"
                      "Subsystem sftp /usr/lib/openssh/sftp-server\n")
    sshd = subprocess.Popen(["/usr/sbin/sshd", "-D", "-f", str(config), "-E", str(root / "sshd.log")])
    node = start_fake(root, classes, paths)
    host_key = " ".join(key.with_suffix(".pub").read_text().split()[:2])
    entry = {name: {"ansible_host": address, "ansible_user": "root", "kafkapilot_unit_dirs": [str(paths["unit_dir"])],
                    "kafkapilot_process_filter": [str(paths["props"])]}}
    return entry, f"{address},{name} {host_key}\n", sshd, node


def _inventory(lab_inventory: Path, extra: dict[str, dict[str, object]], ssh_config: Path) -> str:
    import yaml  # noqa: PLC0415 - PyYAML comes with ansible-core

    inventory = yaml.safe_load(lab_inventory.read_text())
    inventory["all"]["vars"]["ansible_ssh_common_args"] = f"-F {ssh_config}"
    inventory["all"]["children"]["kafka_brokers"]["hosts"].update(extra)
    return yaml.safe_dump(inventory, sort_keys=False)


def _collect(inventory: Path, limit: list[str], out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of ansible-playbook and its children: the controller side)."""
    import resource  # noqa: PLC0415

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run([str(Path(sys.executable).with_name("ansible-playbook")), "collect.yml", "-i",
                             str(inventory), "--limit", ",".join(limit), "-e", f"kafkapilot_output_dir={out}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    snapshots = sorted(out.glob("kafka-snapshot-*/snapshot.json"))
    if not snapshots:
        sys.exit(f"collection failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    manifest = json.loads(snapshots[-1].read_text())
    bad = {h: e["status"] for h, e in manifest["hosts"].items() if e["status"] not in ("ok", "partial")}
    if bad:
        sys.exit(f"hosts not collected: {bad}")
    shutil.rmtree(snapshots[-1].parent)
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3,10,30")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    status = json.loads(_lab("status", "--json").stdout)
    started_lab = not status.get("up") or status.get("topology") != "kraft"
    if started_lab:
        print("bringing the kraft lab up …", file=sys.stderr)
        _lab("up", "--topology", "kraft")
    lab_inventory = LAB_DIR / "inventory" / "hosts.yml"
    brokers = ["kafka-1", "kafka-2", "kafka-3"]
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    BENCH_DIR.mkdir(parents=True)
    processes: list[subprocess.Popen[bytes]] = []
    nodes: list[FakeNode] = []
    try:
        pubkey = (LAB_DIR / "keys" / "id_ed25519.pub").read_text()
        classes = classes_dir(BENCH_DIR / "cache")
        entries: dict[str, dict[str, object]] = {}
        known = (LAB_DIR / "ssh" / "known_hosts").read_text()
        for index in range(1, max(sizes) - len(brokers) + 1):
            entry, key_line, sshd, node = _fake_host(index, classes, pubkey)
            entries.update(entry)
            known += key_line
            processes.append(sshd)
            nodes.append(node)
        (BENCH_DIR / "known_hosts").write_text(known)
        ssh_config = BENCH_DIR / "ssh_config"
        ssh_config.write_text((LAB_DIR / "ssh" / "ssh_config").read_text()
                              .replace(str(LAB_DIR / "ssh" / "known_hosts"), str(BENCH_DIR / "known_hosts")))
        inventory = BENCH_DIR / "hosts.yml"
        inventory.write_text(_inventory(lab_inventory, entries, ssh_config))
        names = brokers + [f"fake-{i:02d}" for i in range(1, max(sizes) - len(brokers) + 1)]
        time.sleep(1)
        out = Path(tempfile.mkdtemp(prefix="kp-bench-"))
        _collect(inventory, names[:3], out)  # warm-up: JIT-free, but page cache and ssh keys warm
        base = None
        print(f"{'hosts':>5} {'median s':>9} {'runs':>20} {'vs 3 hosts':>11} {'controller CPU s':>17}")
        for size in sizes:
            runs = [_collect(inventory, names[:size], out) for _ in range(args.repeat)]
            median = statistics.median(r[0] for r in runs)
            base = base or median
            print(f"{size:>5} {median:9.1f} {' '.join(f'{r[0]:.1f}' for r in runs):>20} {median / base:10.2f}x "
                  f"{statistics.median(r[1] for r in runs):17.1f}", flush=True)
    finally:
        for node in nodes:
            node.stop()
        for proc in processes:
            proc.terminate()
        shutil.rmtree(BENCH_DIR, ignore_errors=True)
        if started_lab:
            _lab("down")


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("run as root (the lab needs it)")
    main()
