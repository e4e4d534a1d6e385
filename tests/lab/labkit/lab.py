"""`up`, `down` and `status` of the lab: the orchestration, step by step, with progress lines."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import hostfs, netaddr
from .cluster import CLIENT_CONFIG, Cluster, new_cluster_id
from .data import load_data, produce
from .distribution import ensure_distribution
from .errors import LabError
from .hosts import HOSTINIT, control, run_in_host, start_host, stop_host
from .inventory import write_inventory
from .nodes import write_kafka_node, write_zookeeper_node
from .paths import INVENTORY_FILE, LAB_DIR, LOG_DIR, SSH_CONFIG, host_root
from .pki import ensure_pki
from .preflight import check_root, check_tools
from .progress import Progress
from .scenarios import apply_file_changes, load_scenario, target_hosts
from .sshd import make_client_key, write_client_config, write_host_ssh
from .state import load_state, pid_alive, save_state
from .topology import ALL_LAB_HOSTS, KAFKA_VERSIONS, Host, hosts_for
from .traffic import send_traffic
from .users import pick_ids, write_user_db
from .waits import wait_for_port

__all__ = ["up", "down", "lab_is_up", "service"]

_PORTS = {"bastion": [22], "broker": [22, 9091, 9092, 7071], "controller": [22, 9093, 7071],  # 7071: the JMX exporter
          "zookeeper": [22, 2182, 2888, 3888]}


def lab_is_up(state: dict[str, Any] | None) -> bool:
    return bool(state) and state.get("status") == "up" and all(
        pid_alive(h.get("init_pid")) for h in state["hosts"].values())


def _endpoints(hosts: list[Host]) -> list[tuple[str, int]]:
    return sorted({(h.ip, p) for h in hosts for role in h.roles for p in _PORTS[role]})


def _write_hosts(hosts: list[Host], version: str, users: Any, pki: Any, sudo: bool) -> dict[str, str]:
    client_pub = make_client_key().with_suffix(".pub").read_text()
    host_keys = {}
    for host in hosts:
        root = hostfs.prepare_root(host, sudo=sudo)
        write_user_db(root / "etc", users, ops_sudo=sudo)
        host_keys[host.name] = write_host_ssh(root, host, users.ops_uid, users.ops_gid, client_pub)
        if host.is_kafka:
            write_kafka_node(root, host, hosts, version, pki, users)
        elif "zookeeper" in host.roles:
            write_zookeeper_node(root, host, hosts, pki, users)
    return host_keys


def _start_services(hosts: list[Host], cluster: Cluster, log: Progress,
                    release_version: str | None = None) -> None:
    zks = [h for h in hosts if "zookeeper" in h.roles]
    if zks:
        log("starting ZooKeeper ensemble (TLS on 2182, quorum TLS) on " + ", ".join(h.name for h in zks))
        for h in zks:
            control(h.name, "start", "zookeeper")
        for h in zks:
            wait_for_port(h.ip, 2182, timeout=60, what=f"ZooKeeper on {h.name}")
    else:
        at = f" at metadata version {release_version}" if release_version else ""
        log(f"formatting KRaft storage (kafka-storage.sh format{at}) on every Kafka node")
        cluster.format_storage(new_cluster_id(), release_version)
    kafka = sorted((h for h in hosts if h.is_kafka), key=lambda h: "broker" in h.roles)
    log("starting Kafka (as systemd would: kafka.service, /etc/default/kafka) on " + ", ".join(h.name for h in kafka))
    for h in kafka:
        control(h.name, "start", "kafka")
    for h in kafka:
        port = 9092 if "broker" in h.roles else 9093
        wait_for_port(h.ip, port, timeout=120, what=f"Kafka on {h.name}")


def _stop_planted(scenario: Any, hosts: list[Host], log: Progress) -> set[str]:
    stopped: set[str] = set()
    for change in scenario.of_kind("stop_service"):
        svc = change.get("service", "kafka")
        for h in target_hosts(change, hosts):
            log(f"scenario: stopping {svc} on {h.name}")
            control(h.name, "stop", svc, timeout=90)
            stopped.add(h.name)
    return stopped


def _apply_runtime_changes(scenario: Any, hosts: list[Host], cluster: Cluster, log: Progress) -> None:
    """What a scenario does to the running cluster: ACLs, dynamic configs, client traffic, paused services."""
    _add_acls(scenario, cluster, log)
    for change in scenario.of_kind("dynamic_config"):
        for h in target_hosts(change, hosts):
            log(f"scenario: dynamic {change['key']}={change['value']} on broker {h.node_id} ({h.name})")
            cluster.tool("kafka-configs.sh", "--command-config", CLIENT_CONFIG, "--alter", "--entity-type", "brokers",
                         "--entity-name", str(h.node_id), "--add-config", f"{change['key']}={change['value']}")
    for change in scenario.of_kind("traffic"):
        for h in target_hosts(change, hosts):
            log(f"scenario: {change['count']} x {change['send']} to {h.name}:{change['port']}")
            send_traffic(change, h)
    _apply_admin_changes(scenario, cluster, log)
    for change in scenario.of_kind("pause_service"):
        service, seconds = change.get("service", "kafka"), float(change["seconds"])
        for h in target_hosts(change, hosts):
            pid = str(control(h.name, "status")["services"][service])
            log(f"scenario: pausing {service} on {h.name} for {seconds:.0f}s (SIGSTOP, then SIGCONT)")
            run_in_host(cluster.pid(h.name), ["kill", "-STOP", pid], user=None)
            try:
                time.sleep(seconds)
            finally:
                run_in_host(cluster.pid(h.name), ["kill", "-CONT", pid], user=None)
    if scenario.of_kind("pause_service"):
        log("waiting for every partition to be fully replicated again")
        cluster.wait_fully_replicated()


def _add_acls(scenario: Any, cluster: Cluster, log: Progress) -> None:
    """The scenario's ACLs, retried while a broker without an authorizer answers (CreateAcls goes to a random
    broker). Planted on ZooKeeper topologies only (planted.toml): in KRaft the active controller handles CreateAcls,
    and when it is the authorizer-less broker no retry helps (restarting it to move the leadership left it not
    listening within 120 s on a fresh-clone run)."""
    for change in scenario.of_kind("acl"):
        kind, _, name = change["resource"].partition(":")
        resource = ["--cluster"] if kind == "cluster" else [f"--{kind}", name]
        permission = change.get("permission", "allow")
        log(f"scenario: ACL {permission} {change['principal']} {change['operation']} on {change['resource']}")
        out = ""
        for _ in range(16):
            out = cluster.tool("kafka-acls.sh", "--command-config", CLIENT_CONFIG, "--add", f"--{permission}-principal",
                               change["principal"], "--operation", change["operation"], *resource, check=False)
            if "SecurityDisabledException" not in out:
                break
        if "Error while executing ACL command" in out or "SecurityDisabledException" in out:
            error = next((line for line in out.splitlines() if "Error" in line or "Exception" in line), out[-300:])
            msg = f"kafka-acls --add of {change['principal']} {change['operation']} failed: {error[:300]}"
            raise LabError(msg)


def _apply_admin_changes(scenario: Any, cluster: Cluster, log: Progress) -> None:
    """Quotas and reassignments."""
    for change in scenario.of_kind("quota"):
        entity = ["--entity-default"] if change.get("default") else ["--entity-name", change["entity_name"]]
        log(f"scenario: {change['entity_type']} quota {change['config']} for "
            f"{'the default' if change.get('default') else change['entity_name']}")
        cluster.tool("kafka-configs.sh", "--command-config", CLIENT_CONFIG, "--alter", "--entity-type",
                     change["entity_type"], *entity, "--add-config", change["config"])
    for change in scenario.of_kind("reassignment"):
        topic, source, target = change["topic"], int(change["from_broker"]), int(change["to_broker"])
        log(f"scenario: {topic} created on broker {source}, then reassigned to broker {target} at 1 B/s")
        cluster.tool("kafka-topics.sh", "--command-config", CLIENT_CONFIG, "--create", "--topic", topic,
                     "--replica-assignment", str(source))
        produce(cluster, topic, int(change.get("records", 5000)))
        plan = json.dumps({"version": 1, "partitions": [{"topic": topic, "partition": 0, "replicas": [target]}]})
        cluster.run(["sh", "-c", f"printf '%s' '{plan}' > /tmp/reassignment.json && exec "
                     f"/opt/kafka/bin/kafka-reassign-partitions.sh --bootstrap-server {cluster.bootstrap} "
                     f"--command-config {CLIENT_CONFIG} --execute --reassignment-json-file /tmp/reassignment.json "
                     "--throttle 1"])


def _open_transactions(scenario: Any, cluster: Cluster, log: Progress) -> None:
    """Transactions left open: a transactional producer killed (SIGKILL) mid-transaction, with a 15-minute
    transaction.timeout.ms, so the transaction stays Ongoing on its coordinator until then. Run after the
    planted stops, so that the transaction log (created now) and its coordinator are on running brokers."""
    for change in scenario.of_kind("open_transaction"):
        seconds = int(change.get("seconds", 12))
        log(f"scenario: transaction {change['transactional_id']} left open on {change['topic']} "
            f"(producer killed after {seconds}s)")
        cluster.run(["timeout", "-s", "KILL", str(seconds), "/opt/kafka/bin/kafka-producer-perf-test.sh",
                     "--topic", change["topic"], "--num-records", "100000", "--record-size", "100", "--throughput", "5",
                     "--producer.config", CLIENT_CONFIG, "--transactional-id", change["transactional_id"],
                     "--transaction-duration-ms", "3600000",
                     "--producer-props", f"bootstrap.servers={cluster.bootstrap}", "transaction.timeout.ms=900000"],
                    timeout=seconds + 60, check=False)


def up(topology: str, scenario_name: str, *, keep_on_failure: bool = False) -> str:
    log = Progress()
    check_root()
    hosts = hosts_for(topology)
    scenario = load_scenario(scenario_name, hosts, topology)
    check_tools()
    state = load_state()
    if lab_is_up(state) and state["topology"] == topology and state["scenario"] == scenario_name:
        log(f"lab already up (topology {topology}, scenario {scenario_name})")
        return str(INVENTORY_FILE)
    if state is not None or LAB_DIR.exists():
        log("tearing down the previous lab first")
        down(quiet=True)
    try:
        return _up(topology, scenario, hosts, log)
    except BaseException:
        if not keep_on_failure:
            log("up failed: tearing the partial lab down (use --keep to inspect it)")
            down(quiet=True)
        raise


def _up(topology: str, scenario: Any, hosts: list[Host], log: Progress) -> str:
    version = KAFKA_VERSIONS[topology]
    log(f"lab up: topology {topology}, scenario {scenario.name}, Kafka {version}")
    dist = ensure_distribution(version, log)
    pki = ensure_pki(log)
    users = pick_ids()
    sudo = shutil.which("sudo") is not None
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = {"topology": topology, "scenario": scenario.name, "kafka_version": version,
                             "status": "starting", "started": time.time(), "hosts": {},
                             "addresses_added": [], "mountpoints_created": [],
                             "users": vars(users), "lab_dir": str(LAB_DIR)}
    save_state(state)
    netaddr.check_ports_free(_endpoints(hosts))
    state["addresses_added"] = netaddr.add_addresses([h.ip for h in hosts])
    save_state(state)
    log(f"writing host trees for {', '.join(h.name for h in hosts)} (users kafka={users.kafka_uid}, "
        f"ops={users.ops_uid})")
    host_keys = _write_hosts(hosts, version, users, pki, sudo)
    if scenario.changes:
        log(f"scenario {scenario.name}: {apply_file_changes(scenario, hosts, pki)} file changes applied")
    plans = {h.name: hostfs.mount_plan(h, None if "bastion" in h.roles else dist, sudo=sudo) for h in hosts}
    # what the machine had before: `down` leaves it exactly so (it removes only what `up` made)
    state["machine_before"] = hostfs.machine_paths(list(plans.values()))
    state["mountpoints_created"] = hostfs.ensure_mountpoints(list(plans.values()))
    save_state(state)
    log("booting hosts (PID+mount+UTS namespaces, sshd on each address)")
    for h in hosts:
        state["hosts"][h.name] = {"ip": h.ip, "roles": sorted(h.roles), **start_host(h.name, plans[h.name])}
        save_state(state)
    for h in hosts:
        wait_for_port(h.ip, 22, timeout=30, what=f"sshd on {h.name}")
    write_client_config(hosts, host_keys)
    cluster = Cluster(hosts, state, dist)
    release = next((c["version"] for c in scenario.of_kind("metadata_version")), None)
    _start_services(hosts, cluster, log, release)
    brokers = [h for h in hosts if "broker" in h.roles]
    cluster.wait_brokers(len(brokers))
    log(f"{len(brokers)} brokers registered; loading data")
    load_data(cluster, [dict(c) for c in scenario.of_kind("topic")], log,
              [dict(c) for c in scenario.of_kind("consumer_group")])
    log("waiting for every partition to be fully replicated")
    cluster.wait_fully_replicated()
    _apply_runtime_changes(scenario, hosts, cluster, log)
    stopped = _stop_planted(scenario, hosts, log)
    _open_transactions(scenario, cluster, log)
    inventory = write_inventory(hosts, topology, scenario.name, stopped=stopped)
    state["status"] = "up"
    state["up_seconds"] = round(log.elapsed(), 1)
    save_state(state)
    log(f"lab up in {log.elapsed():.1f}s; inventory: {inventory}")
    return inventory


def _lab_processes() -> list[int]:
    """Processes of a lab whose state was lost: host inits, and ssh clients using the lab's ssh_config."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if (str(HOSTINIT) in cmd and str(LAB_DIR) in cmd) or str(SSH_CONFIG) in cmd or f"{LAB_DIR}/ssh/cm-" in cmd:
            found.append(int(entry))
    return found


def down(*, quiet: bool = False) -> None:
    log = Progress(quiet=quiet)
    check_root()
    state = load_state() or {}
    if SSH_CONFIG.exists():  # close the bastion's ControlMaster, if a client opened one
        subprocess.run(["ssh", "-F", str(SSH_CONFIG), "-O", "exit", "bastion"], capture_output=True, timeout=10,
                       check=False)
    hosts = state.get("hosts", {})
    if hosts:
        log(f"stopping hosts {', '.join(hosts)}")
        with ThreadPoolExecutor(max_workers=len(hosts)) as pool:
            # the data goes away with the lab: give the inits a short grace, then SIGKILL them
            list(pool.map(lambda pids: stop_host(pids, timeout=4.0), hosts.values()))
    for pid in _lab_processes():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    lab_ips = state.get("addresses_added") if state else list(ALL_LAB_HOSTS.values())
    netaddr.remove_addresses(lab_ips or [])
    left = hostfs.remove_mountpoints(state.get("mountpoints_created", []))
    shutil.rmtree(LAB_DIR, ignore_errors=True)
    if LAB_DIR.exists():
        msg = f"could not remove {LAB_DIR}"
        raise LabError(msg)
    if left:
        log(f"warning: could not remove mount points {', '.join(left)}")
    log(f"lab down in {log.elapsed():.1f}s")


def service(action: str, host: str, svc: str) -> dict[str, Any]:
    state = load_state()
    if not lab_is_up(state):
        msg = "the lab is not up (tests/lab/lab up)"
        raise LabError(msg)
    if host not in state["hosts"]:
        msg = f"no host {host!r} in this lab; hosts: {', '.join(state['hosts'])}"
        raise LabError(msg)
    reply = control(host, action, svc, timeout=120)
    if action == "start" and svc == "sshd":
        wait_for_port(state["hosts"][host]["ip"], 22, timeout=30, what=f"sshd on {host}")
    return reply


def _memory_kb(init_pid: int) -> tuple[int, int]:
    """(current, peak) resident memory summed over the processes in the host's PID namespace."""
    try:
        ns = os.readlink(f"/proc/{init_pid}/ns/pid")
    except OSError:
        return 0, 0
    rss = hwm = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.readlink(f"/proc/{entry}/ns/pid") != ns:
                continue
            status = Path(f"/proc/{entry}/status").read_text()
            fields = dict(ln.split(":", 1) for ln in status.splitlines() if ":" in ln)
        except OSError:
            continue
        rss += int(fields.get("VmRSS", "0 kB").split()[0])
        hwm += int(fields.get("VmHWM", "0 kB").split()[0])
    return rss, hwm


def status() -> dict[str, Any]:
    state = load_state()
    if not state:
        return {"up": False}
    out = {"up": lab_is_up(state), "topology": state["topology"], "scenario": state["scenario"],
           "kafka_version": state.get("kafka_version"), "status": state.get("status"),
           "inventory": str(INVENTORY_FILE), "hosts": {}}
    for name, h in state.get("hosts", {}).items():
        entry = {"ip": h["ip"], "roles": h["roles"], "init_pid": h["init_pid"], "alive": pid_alive(h["init_pid"])}
        if entry["alive"]:
            rss, hwm = _memory_kb(h["init_pid"])
            entry["rss_mb"], entry["peak_rss_mb"] = rss // 1024, hwm // 1024
            try:
                entry["services"] = control(name, "status", timeout=10)["services"]
            except LabError as exc:
                entry["error"] = str(exc)
        out["hosts"][name] = entry
    return out


def host_root_of(name: str) -> Path:
    return host_root(name)
