"""The repository as an Ansible collection (kafkapilot.kafkapilot), without the lab: what Ansible
runs needs nothing but ansible-core (Python 3.9 and ansible-core 2.15 on the controller, Python
3.6 on the hosts), is documented and validated, and works from the checkout, after
`ansible-galaxy collection build` and install, and from other playbooks.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import jsonschema
import pytest
import yaml

import kafkapilot
from kafkapilot.snapshot.load import load_snapshot
from tests.collection.collection_path import COLLECTION, ROOT, plugin_utils
from tests.collection.fake_kafka import FakeNode, local_inventory
from tests.collection.galaxy import build, install

BIN = Path(sys.executable).parent
SCHEMA = json.loads((ROOT / "kafkapilot" / "schemas" / "snapshot.schema.json").read_text())
ANSIBLE_RUNS = [ROOT / "plugins", ROOT / "roles", ROOT / "playbooks", ROOT / "collect.yml"]
MODULES = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if p.stem != "__init__")


def _files(paths: list[Path], suffixes: tuple[str, ...]) -> list[Path]:
    found = []
    for path in paths:
        found += [path] if path.is_file() else [p for p in path.rglob("*") if p.suffix in suffixes and p.is_file()]
    return found


def validate_snapshot(snapshot: Path) -> dict:
    """snapshot.json against the published schema (the collection's side of the contract)."""
    manifest = json.loads((snapshot / "snapshot.json").read_text())
    jsonschema.validate(manifest, SCHEMA)
    return manifest


def playbook(binary: Path, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
             timeout: float = 600) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "ANSIBLE_NOCOLOR": "1", "PATH": f"{binary.parent}{os.pathsep}{os.environ['PATH']}",
               **(env or {})}
    return subprocess.run([str(binary), *args], cwd=cwd, capture_output=True, text=True, env=environ,
                          timeout=timeout, check=False)


def _snapshot_in(out: Path) -> Path:
    (snapshot,) = [p for p in out.iterdir() if p.is_dir() and p.name.startswith("kafka-snapshot-")]
    return snapshot


# ------------------------------------------------------------------------------------- what Ansible runs
def test_nothing_ansible_runs_imports_kafkapilot_or_touches_sys_path() -> None:
    offending = []
    for path in _files(ANSIBLE_RUNS, (".py", ".yml", ".yaml")):
        text = path.read_text()
        if re.search(r"^\s*(from kafkapilot[\s.]|import kafkapilot\b)|sys\.path|PYTHONPATH", text, re.MULTILINE):
            offending.append(str(path.relative_to(ROOT)))
    assert not offending
    assert not (ROOT / "roles" / "collect" / "library").exists()
    assert not (ROOT / "roles" / "collect" / "action_plugins").exists()


def test_the_analysis_never_imports_collection_code() -> None:
    offending = [str(p.relative_to(ROOT)) for p in (ROOT / "kafkapilot").rglob("*.py")
                 if re.search(r"^\s*(from|import) ansible_collections\b", p.read_text(), re.MULTILINE)]
    assert not offending


@pytest.mark.integration
def test_modules_and_module_utils_compile_on_python_36() -> None:
    python = Path.home() / ".pyenv" / "versions" / "3.6.15" / "bin" / "python"
    if not python.exists():
        pytest.skip("pyenv's Python 3.6.15 is not installed")
    sources = _files([ROOT / "plugins" / "modules", ROOT / "plugins" / "module_utils"], (".py",))
    assert len(sources) >= 6
    code = "import sys, ast\nfor p in sys.argv[1:]:\n    compile(open(p).read(), p, 'exec', dont_inherit=True)\n"
    out = subprocess.run([str(python), "-c", code, *map(str, sources)], capture_output=True, text=True, timeout=60,
                         check=False)
    assert out.returncode == 0, out.stderr


@pytest.mark.integration
def test_controller_code_imports_on_python_39_with_ansible_core_215(awx_ee_playbook: Path) -> None:
    """Every action plugin and plugin_utils module, imported by the collection's name on AWX's stack."""
    names = [f"plugins.action.{p.stem}" for p in (ROOT / "plugins" / "action").glob("*.py")]
    names += [f"plugins.plugin_utils.{p.stem}" for p in (ROOT / "plugins" / "plugin_utils").glob("*.py")
              if p.stem != "__init__"]
    code = ("import sys, importlib, ansible\nsys.path.append(sys.argv[1])\n"
            "assert sys.version_info[:2] == (3, 9) and ansible.__version__.startswith('2.15.'), (sys.version, "
            "ansible.__version__)\n"
            "for n in sys.argv[2:]: importlib.import_module('ansible_collections.kafkapilot.kafkapilot.' + n)\n"
            "print('imported', len(sys.argv) - 2)\n")
    out = subprocess.run([str(awx_ee_playbook.with_name("python")), "-c", code, str(ROOT / "collections"), *names],
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == f"imported {len(names)}" and len(names) >= 12


def test_versions_agree() -> None:
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    assert galaxy["version"] == plugin_utils("manifest").COLLECTOR_VERSION == kafkapilot.__version__
    assert (galaxy["namespace"], galaxy["name"]) == ("kafkapilot", "kafkapilot") and "monitoring" in galaxy["tags"]
    assert yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())["requires_ansible"] == ">=2.15.0"
    assert COLLECTION.resolve() == ROOT and os.readlink(COLLECTION) == "../../.."


# ------------------------------------------------------------------------------------- documented, validated
@pytest.mark.integration
@pytest.mark.parametrize("name", MODULES)
def test_ansible_doc_shows_every_module_and_action_from_the_checkout(name: str) -> None:
    out = subprocess.run([str(BIN / "ansible-doc"), "-t", "module", f"kafkapilot.kafkapilot.{name}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=False,
                         env={**os.environ, "ANSIBLE_NOCOLOR": "1"})
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr
    assert f"kafkapilot.kafkapilot.{name}" in out.stdout and "EXAMPLES" in out.stdout and "RETURN VALUES" in out.stdout


def test_every_action_plugin_is_documented() -> None:
    actions = {p.stem for p in (ROOT / "plugins" / "action").glob("*.py")}
    assert actions and actions <= set(MODULES)


def test_argument_specs_document_every_setting_and_defaults_define_each_once() -> None:
    specs = yaml.safe_load((ROOT / "roles" / "collect" / "meta" / "argument_specs.yml").read_text())
    options = specs["argument_specs"]["main"]["options"]
    defaults = yaml.safe_load((ROOT / "roles" / "collect" / "defaults" / "main.yml").read_text())
    assert set(options) - {"kafkapilot_targets"} == set(defaults)
    assert not [name for name, spec in options.items() if "default" in spec]  # values live in defaults/main.yml only
    assert all(spec.get("description") and spec.get("type") for spec in options.values())
    used = set(re.findall(r"\bkafkapilot_[a-z_]+", "".join(p.read_text() for p in (ROOT / "roles").rglob("*.yml"))))
    registered = {"kafkapilot_start", "kafkapilot_probe", "kafkapilot_host_result", "kafkapilot_cluster_result",
                  "kafkapilot_finish", "kafkapilot_cluster_source", "kafkapilot_reachable", "kafkapilot_snapshot",
                  "kafkapilot_python",
                  "kafkapilot_delivery", "kafkapilot_upload", "kafkapilot_public_url",
                  "kafkapilot_delivered_to", "kafkapilot_delivery_error"}
    assert used - registered - set(options) == set(), "a variable the role reads is not in argument_specs.yml"


@pytest.mark.integration
def test_a_bad_setting_is_refused_before_anything_runs(tmp_path: Path) -> None:
    inventory = tmp_path / "hosts.yml"
    inventory.write_text("all:\n  children:\n    kafka_brokers:\n      hosts:\n        local1: {ansible_connection: "
                         "local}\n")
    out = playbook(BIN / "ansible-playbook", "collect.yml", "-i", str(inventory), "-e", "kafkapilot_transport=ssh",
                   "-e", f"kafkapilot_output_dir={tmp_path / 'out'}")
    assert out.returncode != 0
    assert "kafkapilot_transport" in out.stdout and "auto, raw, module" in out.stdout, out.stdout[-2000:]
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------- the run's outcome
@pytest.mark.integration
def test_no_host_collected_fails_with_the_reason_and_a_new_output_dir_is_created(tmp_path: Path) -> None:
    inventory = tmp_path / "hosts.yml"
    inventory.write_text("all:\n  children:\n    kafka_brokers:\n      hosts:\n"
                         "        dead1: {ansible_host: 127.0.0.254, ansible_port: 1}\n")
    out_dir = tmp_path / "new" / "snapshots"
    out = playbook(BIN / "ansible-playbook", "collect.yml", "-i", str(inventory), "-e",
                   f"kafkapilot_output_dir={out_dir}")
    assert out.returncode == 2, out.stdout[-3000:]
    assert re.search(r"no host could be collected \(1 tried\): dead1: unreachable: ssh: 127\.0\.0\.254 port 1: "
                     r"connection refused", " ".join(out.stdout.split())), out.stdout[-3000:]
    for directory in (out_dir.parent, out_dir):
        assert oct(directory.stat().st_mode & 0o777) == "0o700", directory
    manifest = validate_snapshot(_snapshot_in(out_dir))
    assert manifest["hosts"]["dead1"]["status"] == "unreachable"


@pytest.mark.integration
def test_ansible_core_215_on_python_39_collects_a_host_and_says_the_run_was_partial(
        tmp_path: Path, awx_ee_playbook: Path, fake_node: tuple[FakeNode, dict[str, Path]]) -> None:
    """The root collect.yml on AWX's controller stack, over a local connection to a Kafka-shaped JVM."""
    inventory = local_inventory(tmp_path / "hosts.yml", fake_node[1], sys.executable)
    out = playbook(awx_ee_playbook, "collect.yml", "-i", str(inventory), "-e", f"kafkapilot_output_dir={tmp_path}",
                   "-e", "kafkapilot_jstat=false")
    assert out.returncode == 0, out.stdout[-3000:]  # a partial run keeps going and ends 0
    assert "partial: 1 of 2 hosts collected; not collected: dead1: unreachable" in " ".join(out.stdout.split())
    snapshot = _snapshot_in(tmp_path)
    manifest = validate_snapshot(snapshot)
    assert manifest["collector"]["ansible_version"].startswith("2.15.")
    assert manifest["collector"]["python"].startswith("3.9.")
    # 2.15 templates a nested dict's values as strings ("False", "24.0"): the actions convert them by their spec
    assert manifest["options"]["jstat"] is False and manifest["options"]["log_window_hours"] == 24.0
    jstat = next(a for a in manifest["hosts"]["local1"]["artifacts"] if a["name"] == "jstat_gc")
    assert jstat["status"] == "skipped" and "disabled" in jstat["error"]
    assert not list(tmp_path.glob("*.tar.gz"))  # kafkapilot_archive false, not the string "False"
    hosts = load_snapshot(snapshot).manifest.hosts
    assert hosts["local1"].status.value in ("ok", "partial")
    assert [p.main_class for p in hosts["local1"].processes] == ["kafka.Kafka"]


# ------------------------------------------------------------------------------------- ansible-galaxy
@pytest.mark.integration
def test_the_built_collection_holds_the_collection_and_nothing_else(tmp_path: Path) -> None:
    with tarfile.open(build(tmp_path)) as archive:
        names = set(archive.getnames())
    tops = {n.split("/")[0] for n in names}
    assert tops == {"MANIFEST.json", "FILES.json", "README.md", "CHANGELOG.md", "meta", "plugins", "roles", "playbooks",
                    "tests"}, tops
    # of tests/, only ansible-test's ignore files: one entry per module, the license header (Apache-2.0, not GPLv3)
    ignores = sorted(n for n in names if n.startswith("tests/") and n.count("/") == 2)
    assert ignores == sorted(f"tests/sanity/ignore-2.{v}.txt" for v in range(15, 22)), ignores
    for name in ignores:
        assert (ROOT / name).read_text().split("\n")[:-1] == [
            f"plugins/modules/{m}.py validate-modules:missing-gplv3-license" for m in MODULES]
    assert {"plugins/modules/host_requests.py", "plugins/plugin_utils/java/ToolRunner.java",
            "roles/collect/meta/argument_specs.yml", "playbooks/collect.yml", "meta/runtime.yml",
            "meta/artifacts.yml"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


@pytest.mark.integration
def test_install_from_the_repository_directory_gives_the_same_collection(tmp_path: Path,
                                                                         installed_collection: Path) -> None:
    from_dir = install(ROOT, tmp_path)

    def files(root: Path) -> dict[str, str]:
        base = root / "ansible_collections" / "kafkapilot" / "kafkapilot"
        return {str(p.relative_to(base)): p.read_text(errors="replace") for p in base.rglob("*")
                if p.is_file() and p.name not in ("MANIFEST.json", "FILES.json") and "__pycache__" not in p.parts}

    assert files(from_dir) == files(installed_collection)


@pytest.mark.integration
@pytest.mark.parametrize("how", ["import_playbook", "include_role"])
def test_the_installed_collection_collects_from_another_playbook(
        how: str, tmp_path: Path, installed_collection: Path, fake_node: tuple[FakeNode, dict[str, Path]]) -> None:
    """Another playbook imports kafkapilot.kafkapilot.collect or includes the role (by FQCN: the lab test
    runs `ansible-playbook kafkapilot.kafkapilot.collect` itself)."""
    inventory = local_inventory(tmp_path / "hosts.yml", fake_node[1], sys.executable)
    site = tmp_path / "site.yml"
    if how == "import_playbook":
        site.write_text("- name: Our audit\n  ansible.builtin.import_playbook: kafkapilot.kafkapilot.collect\n")
    elif how == "include_role":
        site.write_text("- name: Our audit\n  hosts: kafka_brokers\n  gather_facts: false\n  tasks:\n"
                        "    - name: KafkaPilot\n      ansible.builtin.include_role:\n"
                        "        name: kafkapilot.kafkapilot.collect\n")
    out_dir = tmp_path / "out"
    out = playbook(BIN / "ansible-playbook", str(site), "-i", str(inventory), "-e", f"kafkapilot_output_dir={out_dir}",
                   cwd=tmp_path, env={"ANSIBLE_COLLECTIONS_PATH": str(installed_collection)})
    assert out.returncode == 0, out.stdout[-3000:]
    manifest = validate_snapshot(_snapshot_in(out_dir))
    assert manifest["hosts"]["local1"]["status"] in ("ok", "partial")
    assert manifest["hosts"]["dead1"]["status"] == "unreachable"
