"""collect.yml against the real lab (tests/lab): KRaft and ZooKeeper, read-only, secrets, dead
host, bastion down, --check, become, kafkapilot collect; the bastion both ways operators configure
it (an ssh_config from the examples, and AWX's: a ProxyCommand in the inventory), with the key only
in an ssh-agent, collecting the same; AWX's controller stack (Python 3.9 and ansible-core 2.15 only)
collecting the same as the newest ansible-core; the collection built and installed with
ansible-galaxy, run by its FQCN from an empty directory.

Each test declares its lab (`@pytest.mark.lab(topology, scenario)`): the session runs the lab tests of
all files grouped by lab, so that each lab comes up once (tests/lab/pytest_lab.py).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kafkapilot.report.registry import RENDERERS
from kafkapilot.snapshot.load import load_snapshot
from tests.collection import awx
from tests.collection.labrun import (
    REQUIRED_CLUSTER,
    REQUIRED_HOST,
    REQUIRED_KAFKA,
    ROOT,
    VENV_BIN,
    Run,
    artifacts,
    owned_by,
    parse_recap,
    run_collect,
    tree_digest,
)
from tests.collection.test_awx import survey_answers
from tests.collection.test_collection import playbook, validate_snapshot
from tests.lab.pytest_lab import LAB_DIR, LabController, RunningLab

pytestmark = pytest.mark.lab
SCENARIOS = ROOT / "tests" / "lab" / "scenarios"
#: what the planted scenario takes away: kafka-3 writes no GC log and no log file (it logs to the console: its
#: journal is its log), and has no authorizer, so kafka-acls fails when every retry reaches kafka-3
PLANTED_ABSENT = {"kafka-3": ("gc_log", "log_file"), "cluster": ("acls",)}


def _analyse(snapshot: Path) -> dict:
    out = subprocess.run([str(Path(sys.executable).with_name("kafkapilot-analyse")), str(snapshot), "-r", "json"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _assert_complete(snapshot: Path, running: list[str], *, mode: str,
                     absent: dict[str, tuple[str, ...]] | None = None) -> None:
    """Every input the analyser needs is collected (ok) for every running broker and the cluster,
    except what a scenario removed (`absent`: host, or "cluster", -> artifact names that may be missing)."""
    validate_snapshot(snapshot)
    manifest = load_snapshot(snapshot).manifest
    for host in running:
        found = artifacts(manifest, host)
        entry = manifest.hosts[host]
        assert entry.status.value in ("ok", "partial"), (host, entry.reason)
        missing = [n for n in REQUIRED_HOST if not any(a.status.value == "ok" for a in found.get((n, None), []))]
        kafka = [p.instance for p in entry.processes if p.kind == "kafka"]
        assert kafka, f"{host}: no Kafka process found"
        missing += [f"{n}/{i}" for i in kafka for n in REQUIRED_KAFKA if n not in (absent or {}).get(host, ())
                    and not any(a.status.value == "ok" for a in found.get((n, i), []))]
        assert not missing, f"{host}: not collected: {missing}"
    cluster = {a.name: a for a in manifest.cluster_artifacts}
    required = REQUIRED_CLUSTER + (("metadata_quorum_status", "metadata_quorum_replication") if mode == "kraft" else ())
    required = tuple(n for n in required if n not in (absent or {}).get("cluster", ()))
    assert not [n for n in required if n not in cluster or cluster[n].status.value != "ok"], \
        {n: (cluster[n].status.value, cluster[n].error) for n in required if n in cluster}
    report = _analyse(snapshot)
    removed = {name for names in (absent or {}).values() for name in names}
    for finding in report["findings"]:
        summary = str(finding.get("summary", ""))
        if finding["status"] == "skipped" and "not collected" in summary:
            # only what a non-root login cannot read may be missing, and it says so; or what the scenario removed
            assert ("denied" in summary and "become" in summary) or any(f"not collected: {name} " in summary
                                                                        for name in removed), \
                (finding["task_id"], summary)


def _no_secret_in(snapshot: Path, secrets: dict[str, str]) -> None:
    blob = {p: p.read_text(errors="replace") for p in snapshot.rglob("*") if p.is_file()}
    leaks = [(where, str(path)) for where, secret in secrets.items() for path, text in blob.items() if secret in text]
    assert not leaks


# ---------------------------------------------------------------------------------------------- kraft, planted
@pytest.fixture(scope="module")
def planted(lab_factory: LabController) -> RunningLab:
    return lab_factory.up("kraft", "planted")


@pytest.fixture(scope="module")
def planted_run(planted: RunningLab, lab_factory: LabController,
                tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, object]:
    """One default collection, with the targets' files digested before and after (read-only test)."""
    state = json.loads((LAB_DIR / "state.json").read_text())
    ops_uid = state["users"]["ops_uid"]
    brokers = planted.names("broker")

    def look() -> dict:
        found = {}
        for host in brokers:
            root = LAB_DIR / "hosts" / host / "root"
            for sub in ("etc/kafka", "etc/default", "etc/systemd/system", "home"):
                found[f"{host}:{sub}"] = tree_digest(root / sub)
            for meta in ("var/lib/kafka/data/meta.properties", "var/lib/kafka/meta/meta.properties"):
                found[f"{host}:{meta}"] = tree_digest((root / meta).parent, skip=("-",))  # partitions change, meta not
        for shared in ("/tmp", "/var/tmp", "/dev/shm"):  # what the targets could have written
            found[f"ops-owned:{shared}"] = owned_by(Path(shared), ops_uid)
        for host in planted.hosts:  # and each host's own /tmp
            found[f"ops-owned:{host}:/tmp"] = owned_by(LAB_DIR / "hosts" / host / "root" / "tmp", ops_uid)
        return found

    before = look()
    run = run_collect(planted.inventory, tmp_path_factory.mktemp("planted"))
    lab_factory.snapshots.setdefault(("kraft", "planted"), run.snapshot)  # the catalog's lab proof reads it too
    return {"before": before, "after": look()}, run


@pytest.mark.lab("kraft", "planted")
def test_kraft_snapshot_is_complete_and_analysable(planted: RunningLab, planted_run: tuple) -> None:
    _, run = planted_run
    assert run.seconds < 120, run.seconds
    running = [h for h in planted.names("broker") if h != "kafka-2"]  # planted: Kafka stopped on kafka-2
    _assert_complete(run.snapshot, running, mode="kraft", absent=PLANTED_ABSENT)
    manifest = load_snapshot(run.snapshot).manifest
    assert manifest.hosts["kafka-2"].processes == () and manifest.hosts["kafka-2"].status.value in ("ok", "partial")
    assert manifest.cluster_source_host in running and oct(run.snapshot.stat().st_mode & 0o777) == "0o700"
    assert [p.name for p in manifest.phases] == ["inventory_and_discovery", "connectivity", "per_host",
                                                 "cluster_wide", "manifest"]
    ids = {f["task_id"] for f in _analyse(run.snapshot)["findings"] if f["status"] == "fail"}
    planted_ids = {p["check"] for p in tomllib.loads((SCENARIOS / "planted.toml").read_text())["planted"]}
    assert len(ids & planted_ids) >= 5, sorted(ids & planted_ids)


@pytest.mark.lab("kraft", "planted")
def test_collection_is_read_only(planted_run: tuple) -> None:
    digests, run = planted_run
    assert digests["before"] == digests["after"]
    assert run.recap and all(r["changed"] == 0 and r["failed"] == 0 for r in run.recap.values()), run.recap


@pytest.mark.lab("kraft", "planted")
def test_without_become_denials_are_recorded_and_become_reads_them(planted: RunningLab, planted_run: tuple,
                                                                  tmp_path: Path) -> None:
    _, run = planted_run
    plain = load_snapshot(run.snapshot).manifest
    fd = artifacts(plain, "kafka-1")[("process_fd_count", "kafka")][0]
    assert fd.status.value == "denied" and "become" in (fd.error or "")
    become = run_collect(planted.inventory, tmp_path, "-e", "kafkapilot_become=true")
    loaded = load_snapshot(become.snapshot)
    manifest = loaded.manifest
    assert manifest.options["become"] is True
    for name in ("process_fd_count", "process_map_count"):
        assert artifacts(manifest, "kafka-1")[(name, "kafka")][0].status.value == "ok", name
    # each lab host has its own /tmp, so each broker's perf data is its own JVM's: kafka-1 runs G1 (concurrent
    # cycles), kafka-3 a 768 MiB Parallel GC heap (no concurrent collector)
    jstat = {h: artifacts(manifest, h)[("jstat_gc", "kafka")][0] for h in ("kafka-1", "kafka-3")}
    assert all(j.status.value == "ok" for j in jstat.values()), jstat
    figures = {h: dict(zip(*(line.split() for line in loaded.text(j).splitlines()[:2]), strict=True))
               for h, j in jstat.items()}
    assert figures["kafka-1"]["CGC"] != "-" and figures["kafka-3"]["CGC"] == "-", figures
    assert sum(float(figures["kafka-3"][c]) for c in ("S0C", "S1C", "EC", "OC")) <= 768 * 1024, figures["kafka-3"]
    assert all(r["changed"] == 0 and r["failed"] == 0 for r in become.recap.values())


@pytest.mark.lab("kraft", "planted")
def test_check_mode_collects_the_same(planted: RunningLab, planted_run: tuple, tmp_path: Path) -> None:
    _, run = planted_run
    checked = run_collect(planted.inventory, tmp_path, "--check")

    def status(host: str, name: str, value: str) -> str:
        # kafka-acls reaches whichever broker the admin client picks: ok or failed from run to run
        return "ok or failed" if name in PLANTED_ABSENT.get(host, ()) and value in ("ok", "failed") else value

    def shape(snapshot: Path) -> set[tuple]:
        manifest = load_snapshot(snapshot).manifest
        found = {(h, a.name, a.instance, a.key, status(h, a.name, a.status.value))
                 for h, e in manifest.hosts.items() for a in e.artifacts}
        return found | {("cluster", a.name, None, None, status("cluster", a.name, a.status.value))
                        for a in manifest.cluster_artifacts}

    checked_shape, run_shape = _rolled_over_between(shape(checked.snapshot), shape(run.snapshot), name_at=1)
    assert checked_shape == run_shape
    assert load_snapshot(checked.snapshot).manifest.options["check_mode"] is True


@pytest.mark.lab("kraft", "planted")
def test_dead_host_is_reported_and_the_rest_collected(planted: RunningLab, tmp_path: Path) -> None:
    planted.lab("sshd", "stop", "kafka-3")
    try:
        run = run_collect(planted.inventory, tmp_path)
    finally:
        planted.lab("sshd", "start", "kafka-3")
    manifest = load_snapshot(run.snapshot).manifest
    dead = manifest.hosts["kafka-3"]
    assert dead.status.value == "unreachable" and dead.artifacts == ()
    assert "127.42.0.13:22" in (dead.reason or "") and "bastion" in (dead.reason or ""), dead.reason
    assert manifest.hosts["kafka-1"].status.value in ("ok", "partial") and manifest.cluster_artifacts
    assert "| kafka-3 | unreachable |" in (run.snapshot / "COLLECTION_SUMMARY.md").read_text()
    assert "partial: 2 of 3 hosts collected; not collected: kafka-3: unreachable" in " ".join(run.stdout.split())
    assert run.recap["kafka-1"]["failed"] == 0
    # the catalog's lab proof of hosts_not_collected (tests/lab/proof.py, OTHER_LAB_PROOFS)
    finding = next(f for f in _analyse(run.snapshot)["findings"] if f["task_id"] == "hosts_not_collected")
    assert finding["status"] == "fail", finding
    assert [e["host"] or e["item"] for e in finding["evidence"]] == ["kafka-3"], finding["evidence"]


@pytest.mark.lab("kraft", "planted")
def test_bastion_down_makes_every_broker_unreachable_naming_it(planted: RunningLab, tmp_path: Path) -> None:
    planted.lab("sshd", "stop", "bastion")
    try:
        run = run_collect(planted.inventory, tmp_path)
    finally:
        planted.lab("sshd", "start", "bastion")
    manifest = load_snapshot(run.snapshot).manifest
    for host in planted.names("broker"):
        entry = manifest.hosts[host]
        assert entry.status.value == "unreachable" and "bastion" in (entry.reason or ""), (host, entry.reason)
    assert manifest.cluster_artifacts == () and (run.snapshot / "COLLECTION_SUMMARY.md").is_file()
    assert run.rc == 2
    assert "no host could be collected (3 tried): kafka-1: unreachable: " in " ".join(run.stdout.split())


@pytest.mark.lab("kraft", "planted")
def test_raw_transport_collects_without_python(planted: RunningLab, tmp_path: Path) -> None:
    run = run_collect(planted.inventory, tmp_path, "-e", "kafkapilot_transport=raw", "--limit", "kafka-1")
    manifest = load_snapshot(run.snapshot).manifest
    entry = manifest.hosts["kafka-1"]
    assert entry.transport == "raw" and list(manifest.hosts) == ["kafka-1"]
    found = artifacts(manifest, "kafka-1")
    for name in ("server_properties", "process_cmdline", "process_limits", "log_file", "systemd_unit",
                 "meta_properties"):
        assert found[(name, "kafka")][0].status.value == "ok", name
    cluster = {a.name: a.status.value for a in manifest.cluster_artifacts}
    assert cluster["topics_describe"] == "ok" and cluster["broker_api_versions"] == "ok", cluster
    # a limited run (or an AWX job slice) names the cluster's nodes it left out (docs/awx.md, job slicing)
    unknown = json.loads((run.snapshot / "snapshot.json").read_text())["discovery"]["not_in_inventory"]
    assert {str(u["id"]) for u in unknown if u["role"] == "broker"} == {"3"}, unknown  # kafka-2 is stopped


def _render(text: str, replacements: dict[str, str]) -> str:
    """An example file made the lab's: each string replaced must be in it (the example is what is tested)."""
    for old, new in replacements.items():
        assert old in text, f"the example no longer has {old!r}"
        text = text.replace(old, new)
    return text


@contextmanager
def ssh_agent(*keys: Path) -> Iterator[str]:
    """A real ssh-agent holding `keys` for the block; its socket (SSH_AUTH_SOCK). Killed after, by its pid."""
    started = subprocess.run(["ssh-agent", "-s"], capture_output=True, text=True, timeout=30, check=True).stdout
    found = dict(re.findall(r"(SSH_AUTH_SOCK|SSH_AGENT_PID)=([^;]+);", started))
    try:
        for key in keys:
            subprocess.run(["ssh-add", str(key)], env={**os.environ, "SSH_AUTH_SOCK": found["SSH_AUTH_SOCK"]},
                           capture_output=True, timeout=30, check=True)
        yield found["SSH_AUTH_SOCK"]
    finally:
        os.kill(int(found["SSH_AGENT_PID"]), signal.SIGTERM)


def _direct_tcpip(targets: list[str]) -> dict[str, int]:
    """How many connections the bastion forwarded to each address (its sshd logs each at DEBUG1)."""
    log = (LAB_DIR / "logs" / "bastion-sshd.log").read_text(errors="replace")
    return {ip: log.count(f"target {ip} port 22") for ip in targets}


def _same_content(snapshot: Path, reference: Path) -> None:
    """The same hosts, statuses, processes, artifacts and stable contents as `reference` (options aside)."""
    mine, theirs = (_content(json.loads((s / "snapshot.json").read_text()), PLANTED_ABSENT)
                    for s in (snapshot, reference))
    mine.pop("options"), theirs.pop("options")
    _comparable(mine, theirs)
    assert mine == theirs


@pytest.mark.lab("kraft", "planted")
def test_kafkapilot_collect_end_to_end_the_ssh_config_way_with_the_key_only_in_an_agent(
        planted: RunningLab, planted_run: tuple, tmp_path: Path) -> None:
    """inventory.example and ssh_config.example made the lab's (ProxyJump in an ssh_config given with -F,
    known_hosts beside it, no key file: the key only in a real ssh-agent), through `kafkapilot collect`
    run in the folder that holds them, as an operator would; no LLM key reaches Ansible's environment."""
    _, newest = planted_run
    ips = {name: planted.hosts[name] for name in planted.names("broker")}
    project = tmp_path / "ops"  # the operator's folder: their inventory, ssh_config and known_hosts
    project.mkdir()
    for name, text in {
        "known_hosts": planted.known_hosts.read_text(),
        "ssh_config": _render((ROOT / "ssh_config.example").read_text(), {
            "bastion.example.com": planted.hosts["bastion"], "User kafkaops": "User ops",
            "Host 10.0.1.* ": "Host 127.42.0.* "}),
        "inventory": _render((ROOT / "inventory.example").read_text(), {
            **{f"{n} ansible_host=10.0.1.1{n[-1]}": f"{n} ansible_host={ip}" for n, ip in ips.items()},
            "ansible_user=kafkaops": "ansible_user=ops",
            "# kafkapilot_client_config=/etc/kafka/admin-client.properties":
                "kafkapilot_client_config=/etc/kafka/client.properties",
            "# kafkapilot_bootstrap_server=kafka-1:9092": "kafkapilot_bootstrap_server=kafka-1:9092"}),
    }.items():
        (project / name).write_text(text)
    assert not re.search(r"^\s*IdentityFile", (project / "ssh_config").read_text(), re.MULTILINE)  # no key file
    forwarded = _direct_tcpip(list(ips.values()))
    with ssh_agent(planted.private_key) as agent:
        env = {**os.environ, "OPENAI_API_KEY": "sk-lab-must-not-leak", "ANTHROPIC_API_KEY": "sk-ant-lab",
               # its own ControlPersist masters: an earlier run's (authenticated with the key file) must not serve it
               "SSH_AUTH_SOCK": agent, "ANSIBLE_SSH_CONTROL_PATH_DIR": str(tmp_path / "cp")}
        out = subprocess.run([str(Path(sys.executable).with_name("kafkapilot")), "collect", "-i", "inventory",
                              "-o", str(tmp_path / "out"), "--keep-artifacts"],
                             capture_output=True, text=True, env=env, timeout=600, check=False, cwd=project)
    assert out.returncode == 0, out.stderr
    snapshot = Path(out.stdout.strip().splitlines()[-1])
    assert f"kafkapilot-analyse {snapshot}" in out.stderr
    _same_content(snapshot, newest.snapshot)
    assert load_snapshot(snapshot).manifest.cluster_name == "prod-eu-1"
    assert all(n > forwarded[ip] for ip, n in _direct_tcpip(list(ips.values())).items())  # through the bastion
    leftovers = list(Path(os.environ.get("TMPDIR", "/tmp")).glob("kafkapilot-collect-*/artifacts/*/command"))
    try:
        for command in leftovers:
            text = command.read_text()
            assert "sk-lab-must-not-leak" not in text and "sk-ant-lab" not in text
            assert '"ANSIBLE_HOST_KEY_CHECKING": "True"' in text
    finally:
        for command in leftovers:
            subprocess.run(["rm", "-rf", str(command.parents[2])], check=False)
    # without the agent the same ssh_config gets nowhere: the key is nowhere else
    alone = subprocess.run(["ssh", "-F", "ssh_config", "-o", "BatchMode=yes", ips["kafka-1"], "true"], cwd=project,
                           capture_output=True, text=True, timeout=60, check=False,
                           env={k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"})
    assert alone.returncode == 255 and "Permission denied (publickey)" in alone.stderr, alone.stderr


@pytest.mark.lab("kraft", "planted")
def test_an_awx_job_collects_through_the_bastion_with_the_key_only_in_its_agent(
        planted: RunningLab, planted_run: tuple, tmp_path: Path) -> None:
    """The lab's inventory/awx.yml as an AWX job (tests/collection/awx.py): AWX's inventory script, the
    ProxyCommand in ansible_ssh_common_args, the key only in the ssh-agent the job starts, known_hosts
    from the project, AWX's environment (host key checking off), the survey's answers; the snapshot in
    the job's artifacts and its archive copied to kafkapilot_destination. Then a changed host key in the
    project's known_hosts makes that host unreachable: the inventory keeps checking on."""
    _, newest = planted_run
    ips = {name: planted.hosts[name] for name in planted.names("broker")}
    inventory = planted.inventory.with_name("awx.yml")
    dest, out = tmp_path / "mounted", tmp_path / "out"
    dest.mkdir()
    forwarded = _direct_tcpip(list(ips.values()))
    answers = {**survey_answers(kafkapilot_cluster_name="lab-kraft", kafkapilot_destination=str(dest)),
               "kafkapilot_output_dir": str(out)}
    job = awx.run_job(tmp_path / "job", inventory, answers, ssh_key=planted.private_key.read_text(),
                      files={"known_hosts": planted.known_hosts.read_text()})
    assert job.status == "successful", job.stdout[-3000:]
    published = job.artifacts["kafkapilot_snapshot"]
    # every host collected as the reference run did (partial where, without become, the JVM's /proc is denied)
    reference = json.loads((newest.snapshot / "snapshot.json").read_text())["hosts"]
    assert published["hosts"] == {h: reference[h]["status"] for h in ips}, published
    assert set(published["hosts"].values()) <= {"ok", "partial"} and published["cluster_source_host"] == "kafka-1"
    copied = dest / Path(published["archive"]).name
    assert published["destination"] == str(copied) and copied.read_bytes() == Path(published["archive"]).read_bytes()
    _same_content(Path(published["path"]), newest.snapshot)
    assert all(n > forwarded[ip] for ip, n in _direct_tcpip(list(ips.values())).items())
    assert "ansible_ssh_private_key_file" not in inventory.read_text() and "IdentityFile" not in inventory.read_text()

    wrong = planted.known_hosts.read_text().splitlines()
    bastion_key = next(line.split(" ", 1)[1] for line in wrong if line.startswith(planted.hosts["bastion"] + ","))
    changed = [f"{line.split(' ', 1)[0]} {bastion_key}" if line.startswith(ips["kafka-1"] + ",") else line
               for line in wrong]
    rejected = awx.run_job(tmp_path / "job2", inventory, {**answers, "kafkapilot_destination": ""}, limit="kafka-1",
                           ssh_key=planted.private_key.read_text(), files={"known_hosts": "\n".join(changed) + "\n"})
    entry = rejected.artifacts["kafkapilot_snapshot"]
    assert entry["hosts"] == {"kafka-1": "unreachable"}
    assert "host key verification failed" in entry["reasons"]["kafka-1"]


@pytest.mark.lab("kraft", "planted")
def test_awx_ee_stack_collects_the_same_as_the_newest_ansible_kraft(planted: RunningLab, planted_run: tuple,
                                                                     awx_ee_playbook: Path, tmp_path: Path) -> None:
    """Python 3.9 + ansible-core 2.15 only (AWX's default EE) runs the root collect.yml like the newest ansible-core."""
    _, newest = planted_run
    run = run_collect(planted.inventory, tmp_path, binary=awx_ee_playbook)
    _assert_same_collection(run, newest.snapshot, ["kafka-1", "kafka-3"], mode="kraft", absent=PLANTED_ABSENT)


@pytest.mark.lab("kraft", "planted")
def test_the_galaxy_installed_collection_collects_by_fqcn_from_an_empty_directory(
        planted: RunningLab, installed_collection: Path, tmp_path: Path) -> None:
    empty, out = tmp_path / "empty", tmp_path / "out"
    empty.mkdir()
    result = playbook(VENV_BIN / "ansible-playbook", "kafkapilot.kafkapilot.collect", "-i", str(planted.inventory),
                      "-e", f"kafkapilot_output_dir={out}", cwd=empty,
                      env={"ANSIBLE_COLLECTIONS_PATH": str(installed_collection), "ANSIBLE_PIPELINING": "true"})
    assert result.returncode == 0, result.stdout[-3000:]
    assert "all 3 hosts collected" in " ".join(result.stdout.split())  # kafka-2 runs no Kafka, and is collected
    (snapshot,) = out.glob("kafka-snapshot-*")
    _assert_complete(snapshot, ["kafka-1", "kafka-3"], mode="kraft", absent=PLANTED_ABSENT)
    assert list(os.listdir(empty)) == []


def _assert_same_collection(run: object, newest: Path, running: list[str], *, mode: str,
                            absent: dict[str, tuple[str, ...]] | None = None) -> None:
    """`run` (AWX's stack) collected every host, and the same as the newest ansible-core did in `newest`:
    the same hosts, statuses, processes, artifacts (name, instance, key, status, redactions) and, for
    what does not change between two runs, the same content; timestamps, durations and the collector's
    versions aside."""
    snapshot = run.snapshot  # type: ignore[attr-defined]
    _assert_complete(snapshot, running, mode=mode, absent=absent)
    assert all(r["changed"] == 0 and r["failed"] == 0 for r in run.recap.values())  # type: ignore[attr-defined]
    old, new = (json.loads((s / "snapshot.json").read_text()) for s in (snapshot, newest))
    assert old["collector"]["ansible_version"].startswith("2.15.") and old["collector"]["python"].startswith("3.9.")
    mine, theirs = _content(old, absent or {}), _content(new, absent or {})
    _comparable(mine, theirs)
    differences = {key: (mine[key], theirs[key]) for key in mine if mine[key] != theirs[key]}
    for key in ("hosts", "cluster"):  # name only what differs
        if key in differences and key == "cluster":
            differences[key] = (mine[key] - theirs[key], theirs[key] - mine[key])
        elif key in differences:
            differences[key] = {h: (mine[key].get(h), theirs[key].get(h)) for h in set(mine[key]) | set(theirs[key])
                                if mine[key].get(h) != theirs[key].get(h)}
    assert not differences


#: artifacts whose content is the same from one run to the next on an idle lab (configs, units, versions …;
#: not kafka-features, which prints the metadata epoch)
STABLE = ("server_properties", "zookeeper_properties", "log4j_config", "jaas_config", "jvm_options", "systemd_unit",
          "systemd_dropin", "environment_file", "meta_properties", "os_release", "kafka_version", "java_version",
          "process_cmdline", "process_limits", "thp_enabled", "thp_defrag", "sysctl", "nproc", "keystore",
          "keystore_certificates", "client_config", "hostname", "uname", "acls")


#: a log file rolled over by log4j (Kafka's hourly `.yyyy-MM-dd-HH`, a daily or a numbered one, maybe gzipped)
ROLLED = re.compile(r"\.(\d{4}-\d{2}-\d{2}(-\d{2})?|\d+)(\.gz)?$")


def _rolled_over_between(mine: set[tuple], theirs: set[tuple], *, name_at: int = 0) -> tuple[set[tuple], set[tuple]]:
    """Both sides without the rolled log files that only one side has: a log that rolled over between the
    two runs (the lab's logs roll every hour) is a new file for the later run, not a difference."""
    def rolled(row: tuple) -> bool:
        return row[name_at] == "log_file" and bool(ROLLED.search(str(row[name_at + 2])))  # name, instance, key
    only = {row for row in mine ^ theirs if rolled(row)}
    return mine - only, theirs - only


def _comparable(mine: dict, theirs: dict) -> None:
    """`_content` of two runs made comparable in place: per host, rolled-over logs aside."""
    for host in set(mine["hosts"]) & set(theirs["hosts"]):
        a, b = mine["hosts"][host], theirs["hosts"][host]
        rows_a, rows_b = _rolled_over_between(a[-1], b[-1])
        mine["hosts"][host], theirs["hosts"][host] = (*a[:-1], rows_a), (*b[:-1], rows_b)


def _content(manifest: dict, absent: dict[str, tuple[str, ...]]) -> dict:
    def status(where: str, artifact: dict) -> str:
        # kafka-acls reaches whichever broker the admin client picks (planted: ok or failed from run to run)
        return "ok or failed" if artifact["name"] in absent.get(where, ()) else artifact["status"]

    def digest(where: str, artifact: dict) -> str | None:
        if artifact["name"] not in STABLE or artifact["name"] in absent.get(where, ()) or artifact["status"] != "ok":
            return None
        return artifact.get("sha256")  # of the written (redacted) content, or the keystore's

    def redactions(where: str, artifact: dict) -> int | None:
        # counted where the content is the same from run to run; a log grows between two runs, and so may its count
        return artifact.get("redactions", 0) if digest(where, artifact) is not None else None

    def rows(where: str, items: list[dict]) -> set[tuple]:
        return {(a["name"], a.get("instance"), a.get("key"), status(where, a), redactions(where, a), digest(where, a))
                for a in items}

    def reason(where: str, entry: dict) -> str | None:
        # a host's reason names its artifacts that were not ok: those that vary between runs left out
        if not absent.get(where) or not re.match(r"\d+ artifact\(s\) ", entry.get("reason") or ""):
            return entry.get("reason")
        return "artifact(s) not ok: " + ", ".join(sorted(
            f"{a['name']}/{a.get('instance')}" for a in entry["artifacts"]
            if a["status"] in ("denied", "failed") and a["name"] not in absent[where]))

    hosts = {name: (entry["status"], reason(name, entry), entry.get("transport"),
                    tuple((p["instance"], p["kind"], p["main_class"]) for p in entry["processes"]),
                    rows(name, entry["artifacts"])) for name, entry in manifest["hosts"].items()}
    cluster = rows("cluster", manifest["cluster_artifacts"]) | {("source", manifest["cluster_source_host"])}
    return {"hosts": hosts, "cluster": cluster, "options": {k: v for k, v in manifest["options"].items()},
            # the cluster phase is partial when kafka-acls failed, which the planted lab allows (see status)
            "phases": [(p["name"], p["status"] if p["name"] != "cluster_wide" or not absent.get("cluster") else "")
                       for p in manifest["phases"]],
            "discovery": manifest.get("discovery")}


# ---------------------------------------------------------------------------------------------- kraft, secrets
#: every report format kafkapilot-analyse writes (the renderers' registry, so a new format is grepped too)
REPORT_FORMATS = tuple(RENDERERS)
#: the kinds the secrets scenario plants on kafka-1 (docs/redaction.md), each counted in the manifest
PLANTED_KINDS = ("password", "secret", "license", "user-info", "credential", "url-password", "aws-key-id", "aws-secret",
                 "jwt", "zk-digest", "basic-auth", "bearer", "private-key", "scram", "jmx-password", "azure-key")


def _analyse_with_a_model(snapshot: Path, out: Path) -> tuple[str, list[dict]]:
    """Every report format of SNAPSHOT, with prompt tasks sent to a loopback OpenAI server; (every byte the
    analysis wrote or printed, the requests the server received)."""
    from tests.llm.fake_openai import FakeOpenAI  # noqa: PLC0415 - the LLM tests' real loopback server

    fake = FakeOpenAI().start()
    try:
        formats = [arg for name in REPORT_FORMATS for arg in ("-r", name)]
        result = subprocess.run(
            [str(Path(sys.executable).with_name("kafkapilot-analyse")), str(snapshot), *formats, "-o", str(out),
             "--model", "openai/test", "--api-base", fake.url, "--no-cache"],
            capture_output=True, text=True, timeout=600, check=False,
            env={**os.environ, "OPENAI_API_KEY": "sk-loopback-only", "NO_COLOR": "1"})
        assert result.returncode == 0, result.stderr[-3000:]
        requests = list(fake.requests)
    finally:
        fake.stop()
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert len(written) >= len(REPORT_FORMATS), written
    return "".join(p.read_text(errors="replace") for p in written) + result.stdout + result.stderr, requests


@pytest.mark.lab("kraft", "secrets")
def test_planted_secrets_never_reach_the_snapshot_the_reports_or_the_llm(lab_factory: LabController,
                                                                          tmp_path: Path) -> None:
    lab = lab_factory.up("kraft", "secrets")
    secrets = tomllib.loads((SCENARIOS / "secrets.toml").read_text())["secrets"]
    assert len(secrets) >= 25
    run = run_collect(lab.inventory, tmp_path / "out", "-e", "kafkapilot_archive=true", "-e", "kafkapilot_become=true")
    lab_factory.snapshots[("kraft", "secrets")] = run.snapshot  # tests/lab/test_metrics_lab.py reads it too
    _no_secret_in(run.snapshot, secrets)
    assert not (run.snapshot / ".kafkapilot-redaction-key").exists()  # the snapshot-wide pass removed its key
    manifest = load_snapshot(run.snapshot).manifest
    found = artifacts(manifest, "kafka-1")
    assert not list(run.snapshot.rglob("*.jks")) and not list(run.snapshot.rglob("*.p12"))
    keystores = found[("keystore", "kafka")]
    assert keystores and all(k.status.value == "skipped" and k.sha256 and k.path is None for k in keystores)
    counted = {name: sum(a.redactions for a in items) for (name, _), items in found.items()}
    for name in ("server_properties", "jaas_config", "environment_file", "systemd_unit", "process_cmdline",
                 "log4j_config", "log_file", "processes"):
        assert counted.get(name, 0) >= 1, (name, counted)
    kinds = {kind for items in found.values() for a in items for kind in (a.redactions_by_kind or {})}
    assert set(PLANTED_KINDS) <= kinds, sorted(set(PLANTED_KINDS) - kinds)
    assert manifest.redactions_total >= 36 and manifest.redactions_by_kind["password"] >= 10
    # kafka-1's keystore password, a plain word in kafka-2's log: only the snapshot-wide pass by value finds it
    logs = [a for (name, _), items in artifacts(manifest, "kafka-2").items() if name == "log_file" for a in items]
    assert sum((a.redactions_by_kind or {}).get("password", 0) for a in logs) >= 1
    # the Connect worker config beside Kafka's is not read: no process of the snapshot names it
    assert not [a for items in found.values() for a in items if "connect-distributed" in (a.source or "")]
    summary = (run.snapshot / "COLLECTION_SUMMARY.md").read_text()
    assert f"Secret values redacted: {manifest.redactions_total} (" in summary and "url-password" in summary
    assert "secrets redacted:" in run.stdout
    archive = run.snapshot.with_name(run.snapshot.name + ".tar.gz")
    listing = subprocess.run(["tar", "-xzOf", str(archive)], capture_output=True, timeout=120, check=True).stdout
    assert not [w for w, s in secrets.items() if s.encode() in listing]
    assert b".kafkapilot-redaction-key" not in subprocess.run(["tar", "-tzf", str(archive)], capture_output=True,
                                                              timeout=120, check=True).stdout
    # every report format, and every request that reached the (loopback) LLM
    reports, requests = _analyse_with_a_model(run.snapshot, tmp_path / "reports")
    assert requests, "no prompt task reached the loopback server: the LLM path was not exercised"
    sent = json.dumps(requests)
    assert [w for w, s in secrets.items() if s in reports] == []
    assert [w for w, s in secrets.items() if s in sent] == []


# ---------------------------------------------------------------------------------------------- zookeeper
@pytest.fixture(scope="module")
def zookeeper(lab_factory: LabController) -> RunningLab:
    return lab_factory.up("zookeeper", "healthy")


@pytest.fixture(scope="module")
def zookeeper_run(zookeeper: RunningLab, lab_factory: LabController, tmp_path_factory: pytest.TempPathFactory) -> Run:
    run = run_collect(zookeeper.inventory, tmp_path_factory.mktemp("zookeeper"))
    lab_factory.snapshots.setdefault(("zookeeper", "healthy"), run.snapshot)
    return run


@pytest.mark.lab("zookeeper", "healthy")
def test_zookeeper_snapshot_is_complete_and_analysable(zookeeper: RunningLab, zookeeper_run: Run) -> None:
    lab, run = zookeeper, zookeeper_run
    _assert_complete(run.snapshot, lab.names("broker"), mode="zookeeper")
    manifest = load_snapshot(run.snapshot).manifest
    for zk in lab.names("zookeeper"):
        entry = manifest.hosts[zk]
        assert [p.kind for p in entry.processes] == ["zookeeper"], zk
        found = artifacts(manifest, zk)
        assert found[("zookeeper_properties", "zookeeper")][0].status.value == "ok"
        assert found[("zookeeper_srvr", "zookeeper")][0].status.value == "skipped"  # TLS-only client port
    quorum = {a.name: a for a in manifest.cluster_artifacts}["metadata_quorum_status"]
    assert quorum.status.value == "skipped" and "ZooKeeper" in (quorum.error or "")
    assert all(r["changed"] == 0 and r["failed"] == 0 for r in run.recap.values())
    assert parse_recap(run.stdout)


@pytest.mark.lab("zookeeper", "healthy")
def test_awx_ee_stack_collects_the_same_as_the_newest_ansible_zookeeper(zookeeper: RunningLab, zookeeper_run: Run,
                                                                        awx_ee_playbook: Path, tmp_path: Path) -> None:
    run = run_collect(zookeeper.inventory, tmp_path, binary=awx_ee_playbook)
    _assert_same_collection(run, zookeeper_run.snapshot, zookeeper.names("broker"), mode="zookeeper")
