"""The lab itself: real hosts, real bastion, real Kafka, and a clean `down`.

Each topology is brought up once per session (kraft, then zookeeper); the last test tears down and
checks that nothing is left. Run alone with: pytest tests/lab -m lab
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.labkit.hosts import run_in_host
from tests.lab.labkit.waits import wait_for_port
from tests.lab.pytest_lab import LAB_DIR, LabController, RunningLab, run_lab

pytestmark = pytest.mark.lab

BASE_TOPICS = {"orders": 12, "payments": 6, "events-many": 120, "audit": 3}
CLIENT = "--command-config /etc/kafka/client.properties"


def describe_topics(lab: RunningLab, host: str) -> dict[str, tuple[int, int]]:
    """name -> (partitions, replication factor), from kafka-topics.sh run on `host` over SSH."""
    out = lab.ssh(host, f"/opt/kafka/bin/kafka-topics.sh --bootstrap-server {host}:9092 {CLIENT} --describe").stdout
    found = {}
    for m in re.finditer(r"^Topic: (\S+)\s.*PartitionCount: (\d+)\s+ReplicationFactor: (\d+)", out, re.M):
        found[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return found


def broker_java(lab: RunningLab, host: str) -> list[str]:
    """`user args` lines of the Kafka broker processes visible on `host`."""
    out = lab.ssh(host, "ps -ww -eo user:16,args --no-headers").stdout
    return [ln for ln in out.splitlines() if " kafka.Kafka " in ln and "java" in ln]


# --- kraft ---------------------------------------------------------------------------------------
def test_kraft_topics_through_the_bastion(lab: RunningLab) -> None:
    assert lab.inventory.is_file()
    topics = describe_topics(lab, "kafka-1")
    for name, partitions in BASE_TOPICS.items():
        assert topics.get(name) == (partitions, 3), f"{name}: {topics.get(name)}"
    assert topics["__consumer_offsets"][1] == 3


def test_up_twice_is_idempotent(lab: RunningLab) -> None:
    before = {n: h["init_pid"] for n, h in lab.status()["hosts"].items()}
    start = time.monotonic()
    out = run_lab("up", "--topology", "kraft", "--scenario", "healthy")
    assert time.monotonic() - start < 30
    assert out.stdout.strip().splitlines()[-1] == str(lab.inventory)
    assert {n: h["init_pid"] for n, h in lab.status()["hosts"].items()} == before


def test_inventory_has_groups_vars_and_pinned_keys(lab: RunningLab) -> None:
    inv = lab.inventory.read_text()
    for needle in ("kafka_brokers:", "kafka_controllers:", "zookeeper:", "bastion:", "ansible_user: ops",
                   f"-F {lab.ssh_config}", "kafkapilot_client_config", "kafkapilot_bootstrap_server: \"kafka-1:9092\"",
                   "ansible_host: 127.42.0.11"):
        assert needle in inv
    config = lab.ssh_config.read_text()
    assert "ProxyJump bastion" in config and "StrictHostKeyChecking yes" in config
    assert "StrictHostKeyChecking no" not in config
    known = lab.known_hosts.read_text()
    for name, ip in lab.hosts.items():
        key = (LAB_DIR / "hosts" / name / "root/etc/ssh/ssh_host_ed25519_key.pub").read_text().split()[1]
        assert f"{ip},{name} ssh-ed25519 {key}" in known


def test_bastion_log_shows_each_broker_connection(lab: RunningLab) -> None:
    for broker in lab.names("broker"):
        assert lab.ssh(broker, "hostname").stdout.strip() == broker
    log = (LAB_DIR / "logs" / "bastion-sshd.log").read_text()
    for broker in lab.names("broker"):
        target = re.escape(lab.hosts[broker])
        assert re.search(rf"server_request_direct_tcpip: originator .*, target {target} port 22", log), broker


def test_bastion_down_makes_brokers_unreachable(lab: RunningLab) -> None:
    lab.lab("sshd", "stop", "bastion")
    try:
        failed = lab.ssh("kafka-1", "true", check=False, timeout=60)
        assert failed.returncode == 255
        ansible = shutil.which("ansible", path=str(Path(sys.executable).parent)) or shutil.which("ansible")
        if ansible:
            out = subprocess.run([ansible, "-i", str(lab.inventory), "kafka_brokers", "-m", "ping"],
                                 capture_output=True, text=True, timeout=120, check=False)
            assert out.returncode != 0
            assert out.stdout.count("UNREACHABLE!") == len(lab.names("broker")), out.stdout
    finally:
        lab.lab("sshd", "start", "bastion")
    assert lab.ssh("kafka-1", "hostname").stdout.strip() == "kafka-1"


def test_each_host_has_its_own_hostname_files_and_process_table(lab: RunningLab) -> None:
    seen_java = set()
    for broker in lab.names("broker"):
        out = lab.ssh(broker, "hostname; cat /etc/hostname; grep ^node.id= /etc/kafka/server.properties; "
                              "ps -ww -eo pid=,args= | head -1").stdout.split("\n")
        assert out[0] == broker and out[1] == broker
        assert out[2] == f"node.id={broker.split('-')[1]}"
        assert out[3].split()[0] == "1" and "hostinit.py" in out[3]   # PID 1 is the host's own init
        javas = broker_java(lab, broker)
        assert len(javas) == 1, javas    # the other brokers' JVMs are not in this process table
        seen_java.add(javas[0])
    outside = subprocess.run(["ps", "-ww", "-eo", "args="], capture_output=True, text=True, check=True).stdout
    assert sum(" kafka.Kafka /etc/kafka/server.properties" in ln for ln in outside.splitlines()) >= 3


def test_broker_runs_as_kafka_with_a_production_command_line(lab: RunningLab) -> None:
    user, args = broker_java(lab, "kafka-2")[0].split(None, 1)
    assert user == "kafka"
    for flag in ("-Xms2g", "-Xmx2g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                 "-Xlog:gc*:file=/var/log/kafka/kafkaServer-gc.log",
                 "-Dlog4j2.configurationFile=/etc/kafka/log4j2.yaml", "-Dkafka.logs.dir=/var/log/kafka"):
        assert flag in args.split() or any(a.startswith(flag) for a in args.split()), flag
    assert args.startswith("/usr/bin/java ")
    assert args.endswith(" -cp /opt/kafka/libs/* kafka.Kafka /etc/kafka/server.properties")
    unit = lab.ssh("kafka-2", "cat /etc/systemd/system/kafka.service").stdout
    assert "EnvironmentFile=/etc/default/kafka" in unit and "User=kafka" in unit
    logs = lab.ssh("kafka-2", "cd /var/log/kafka && wc -c server.log controller.log state-change.log").stdout
    for line in logs.splitlines()[:3]:
        assert int(line.split()[0]) > 0, line


def test_open_files_limit_comes_from_the_unit(lab: RunningLab) -> None:
    unit = lab.ssh("kafka-3", "grep ^LimitNOFILE= /etc/systemd/system/kafka.service").stdout
    wanted = int(unit.strip().split("=")[1])
    # without CAP_SYS_RESOURCE (some containers) the hard limit cannot be raised: the lab clamps
    expected = min(wanted, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
    limits = lab.ssh("kafka-3", "cat /proc/$(pgrep -u kafka -f 'kafka[.]Kafka')/limits").stdout
    line = next(ln for ln in limits.splitlines() if ln.startswith("Max open files"))
    assert line.split()[3:5] == [str(expected), str(expected)]


def test_each_host_has_its_own_tmp_and_run(lab: RunningLab) -> None:
    """A host's /tmp and /run are its own: a file one host writes in /tmp is not on another host nor on the
    machine, and each broker's JVM perf data (/tmp/hsperfdata_kafka/<pid>, what jstat reads) is its own."""
    machine = {d: os.stat(d) for d in ("/tmp", "/run")}
    probe = f"kp-probe-{uuid.uuid4().hex[:8]}"  # this run's: nothing left by another run can match
    seen = set()
    for host in lab.hosts:
        out = lab.ssh(host, f"stat -c '%n %a %d:%i' /tmp /run /run/sshd; touch /tmp/{probe}-{host}; ls -A /tmp").stdout
        lines = out.splitlines()
        modes = {ln.split()[0]: ln.split()[1] for ln in lines[:3]}
        assert modes == {"/tmp": "1777", "/run": "755", "/run/sshd": "755"}, out
        ids = {ln.split()[0]: ln.split()[2] for ln in lines[:2]}
        assert all(ids[d] != f"{machine[d].st_dev}:{machine[d].st_ino}" for d in ids), (host, ids)
        seen.add((ids["/tmp"], ids["/run"]))
        assert [f for f in lines[3:] if f.startswith(probe)] == [f"{probe}-{host}"], (host, lines[3:])
    assert len(seen) == len(lab.hosts)
    assert not list(Path("/tmp").glob(f"{probe}-*"))
    for broker in lab.names("broker"):  # as root in the host: the perf data directory is the kafka user's
        pid = run_in_host(lab.init_pid(broker), ["pgrep", "-u", "kafka", "-f", "kafka[.]Kafka"], user=None).stdout
        files = run_in_host(lab.init_pid(broker), ["ls", "/tmp/hsperfdata_kafka"], user=None).stdout
        assert files.split() == pid.split(), (broker, pid, files)  # the one perf data file is this broker's JVM's


def test_consumer_group_billing_is_empty_with_lag(lab: RunningLab) -> None:
    out = lab.ssh("kafka-1", f"/opt/kafka/bin/kafka-consumer-groups.sh --bootstrap-server kafka-1:9092 {CLIENT} "
                             "--describe --group billing").stdout
    rows = [ln.split() for ln in out.splitlines() if ln.startswith("billing ")]
    assert rows and all(r[1] == "orders" for r in rows)
    lag = sum(int(r[5]) for r in rows if r[5].isdigit())
    assert lag > 0
    state = lab.ssh("kafka-1", f"/opt/kafka/bin/kafka-consumer-groups.sh --bootstrap-server kafka-1:9092 {CLIENT} "
                               "--describe --group billing --state").stdout
    assert "Empty" in state


# --- zookeeper -------------------------------------------------------------------------------------
@pytest.mark.lab("zookeeper", "healthy")
def test_zookeeper_topics_through_the_bastion(lab_factory: LabController) -> None:
    lab = lab_factory.up("zookeeper", "healthy")
    topics = describe_topics(lab, "kafka-2")
    for name, partitions in BASE_TOPICS.items():
        assert topics.get(name) == (partitions, 3), f"{name}: {topics.get(name)}"
    for zk in lab.names("zookeeper"):
        out = lab.ssh(zk, "hostname; ps -ww -eo user=,args=").stdout
        assert out.startswith(zk)
        assert any(ln.startswith("kafka ") and ln.endswith("QuorumPeerMain /etc/kafka/zookeeper.properties")
                   for ln in out.splitlines()), out
    props = lab.ssh("kafka-1", "cat /etc/kafka/server.properties").stdout
    assert "zookeeper.connect=zk-1:2182,zk-2:2182,zk-3:2182/kafka" in props
    assert "zookeeper.ssl.client.enable=true" in props
    _, args = broker_java(lab, "kafka-1")[0].split(None, 1)
    assert "-Dlog4j.configuration=file:/etc/kafka/log4j.properties" in args.split()


# --- down ------------------------------------------------------------------------------------------
@contextlib.contextmanager
def another_sshd(work: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real sshd that is not the lab's (on 127.43.0.1:2222), with /run/sshd as its service manager makes it."""
    made_run_sshd = not os.path.lexists("/run/sshd")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    key = work / "host_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=60)
    config = work / "sshd_config"
    config.write_text(f"ListenAddress 127.43.0.1:2222\nHostKey {key}\nPidFile none\nUsePAM no\n")
    sshd = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(config)], stderr=subprocess.DEVNULL)
    try:
        wait_for_port("127.43.0.1", 2222, timeout=30, what="the other sshd")
        yield sshd
    finally:
        sshd.terminate()
        sshd.wait(timeout=30)
        if made_run_sshd:
            shutil.rmtree("/run/sshd", ignore_errors=True)


def test_down_restores_the_machine_while_another_sshd_runs(lab_factory: LabController, tmp_path: Path) -> None:
    """`down` removes what `up` made and nothing else: the paths `up` found on the machine (recorded in its
    state) are as they were, and an sshd that is not the lab's keeps running and keeps its /run/sshd."""
    if lab_factory.current is None:
        lab_factory.up("kraft", "healthy")
    before = json.loads((LAB_DIR / "state.json").read_text())["machine_before"]
    assert not [p for p in before if p.startswith("/run/") or p.startswith("/tmp/")], before
    with another_sshd(tmp_path) as sshd:
        lab_factory.down()
        assert sshd.poll() is None, "down stopped an sshd that is not the lab's"
        assert Path("/run/sshd").is_dir(), "down removed the /run/sshd another sshd needs"
        scan = subprocess.run(["ssh-keyscan", "-p", "2222", "-T", "10", "127.43.0.1"], capture_output=True,
                              text=True, timeout=60, check=False)
        assert "ssh-ed25519" in scan.stdout, scan.stderr
    for path, existed in before.items():
        assert os.path.lexists(path) == existed, path


def test_down_leaves_nothing_and_is_idempotent(lab_factory: LabController) -> None:
    lab_factory.down()
    run_lab("down")  # twice is fine
    procs = subprocess.run(["ps", "-ww", "-eo", "args="], capture_output=True, text=True, check=True).stdout
    assert "hostinit.py" not in procs
    assert str(LAB_DIR) not in procs
    assert " kafka.Kafka /etc/kafka/server.properties" not in procs
    assert "QuorumPeerMain /etc/kafka/zookeeper.properties" not in procs
    addrs = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True, check=True).stdout
    assert "127.42.0." not in addrs
    assert "kafkapilot-lab" not in Path("/proc/self/mountinfo").read_text()
    assert not LAB_DIR.exists()
