"""The built wheel is a complete KafkaPilot: the check catalog, the example snapshot and the
Ansible project (collect.yml, ansible.cfg and the collection kafkapilot.kafkapilot beside it,
laid out as in a checkout) travel inside it, so that
`pipx install kafkapilot` gives a working `kafkapilot collect` and `kafkapilot-analyse` with
no checkout. The wheel is built offline from a copy of the sources (no build isolation: the
test extras install setuptools and wheel) and unpacked, which is how pip lays a pure-Python
wheel out in site-packages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kafkapilot.snapshot.load import load_snapshot
from tests.collection.fake_kafka import FakeNode, local_inventory

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "kafkapilot", "analysis_tasks", "collect.yml", "ansible.cfg",
           "galaxy.yml", "meta", "plugins", "playbooks", "roles")
#: the collection's content (galaxy.yml's build_ignore leaves out the rest of the repository)
COLLECTION_CONTENT = ("galaxy.yml", "meta", "plugins", "playbooks", "roles")


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src, dist, site = (tmp_path_factory.mktemp(name) for name in ("src", "dist", "site"))
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                            "-q", "-w", str(dist), str(src)], capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = dist.glob("kafkapilot-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def _run(site: Path, cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120) \
        -> subprocess.CompletedProcess[str]:
    """`python -m kafkapilot ARGS` importing kafkapilot from the unpacked wheel only (not the checkout)."""
    return subprocess.run([sys.executable, "-m", "kafkapilot", *args], cwd=cwd, capture_output=True, text=True,
                          env={**(env or os.environ), "PYTHONPATH": str(site), "NO_COLOR": "1"},
                          timeout=timeout, check=False)


def test_wheel_carries_catalog_example_and_ansible_project(unpacked_wheel: Path) -> None:
    package = unpacked_wheel / "kafkapilot"
    builtin, catalog = package / "builtin_tasks", ROOT / "analysis_tasks"
    shipped_tasks = sorted(p.relative_to(builtin) for p in builtin.rglob("*.yaml"))
    assert shipped_tasks == sorted(p.relative_to(catalog) for p in catalog.rglob("*.yaml"))
    project = package / "ansible_project"
    collection = project / "collections" / "ansible_collections" / "kafkapilot" / "kafkapilot"
    for name in ("collect.yml", "ansible.cfg", *COLLECTION_CONTENT):
        where = collection if name in COLLECTION_CONTENT else project
        shipped = sorted(str(p.relative_to(where)) for p in [where / name, *(where / name).rglob("*")]
                         if p.is_file() and "__pycache__" not in p.parts)
        source = sorted(str(p.relative_to(ROOT)) for p in [ROOT / name, *(ROOT / name).rglob("*")]
                        if p.is_file() and "__pycache__" not in p.parts)
        assert shipped == source, name
    assert list((package / "examples").rglob("snapshot.json"))


def test_installed_wheel_analyses_and_lists_its_own_catalog(unpacked_wheel: Path, tmp_path: Path) -> None:
    origin = subprocess.run([sys.executable, "-c", "import kafkapilot.collect.runner as r; print(r.project_root())"],
                            cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(unpacked_wheel)},
                            timeout=60, check=True)
    assert Path(origin.stdout.strip()) == unpacked_wheel / "kafkapilot" / "ansible_project"
    where = _run(unpacked_wheel, tmp_path, "tasks", "list", "--format", "json")
    assert where.returncode == 0, where.stderr
    listed = json.loads(where.stdout)
    assert len(listed) == len(list((ROOT / "analysis_tasks").rglob("*.yaml")))
    demo = _run(unpacked_wheel, tmp_path, "analyse", "--example", "-r", "json")
    assert demo.returncode == 0, demo.stderr
    assert json.loads(demo.stdout)["findings"]


def test_installed_wheel_collects_with_its_own_playbook(unpacked_wheel: Path, tmp_path: Path,
                                                        fake_node: tuple[FakeNode, dict[str, Path]]) -> None:
    _, paths = fake_node
    inventory = local_inventory(tmp_path / "hosts.yml", paths, sys.executable)
    out = tmp_path / "out"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "KAFKAPILOT_PROJECT_DIR"}
    # run from a directory with no collect.yml: the playbook can only come from the wheel
    result = _run(unpacked_wheel, tmp_path, "collect", "-i", str(inventory), "-o", str(out), "--no-progress",
                  env=env, timeout=600)
    assert result.returncode == 4, result.stderr  # written, but dead1 is unreachable (some hosts not collected)
    snapshot = load_snapshot(Path(result.stdout.strip().splitlines()[-1]))
    hosts = snapshot.manifest.hosts
    assert hosts["local1"].status.value in ("ok", "partial") and hosts["dead1"].status.value == "unreachable"
    assert [p.main_class for p in hosts["local1"].processes] == ["kafka.Kafka"]


def test_project_dir_override_that_is_not_a_checkout_is_a_clear_error(unpacked_wheel: Path, tmp_path: Path) -> None:
    (tmp_path / "hosts.yml").write_text("all: {}\n")
    result = _run(unpacked_wheel, tmp_path, "collect", "-i", str(tmp_path / "hosts.yml"), "--no-progress",
                  env={**os.environ, "KAFKAPILOT_PROJECT_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert f"KAFKAPILOT_PROJECT_DIR={tmp_path}: no collect.yml and collections/" in result.stderr
    assert "Traceback" not in result.stderr
