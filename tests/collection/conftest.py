"""Fixtures of the collection tests that need no lab: a Kafka-shaped JVM with real files on this machine."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.collection import collection_path  # noqa: F401 - the module imports its module_utils by the collection's name
from tests.collection.fake_kafka import FakeNode, classes_dir, start_fake, write_tree

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "plugins" / "modules" / "host_requests.py"


@pytest.fixture(scope="session")
def host_module() -> ModuleType:
    """The target-side module, imported here to run its requests on this machine."""
    spec = importlib.util.spec_from_file_location("host_requests", MODULE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fake_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeNode, dict[str, Path]]]:
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.skip("needs a JDK (java, javac)")
    root = tmp_path_factory.mktemp("fakehost")
    paths = write_tree(root)
    node = start_fake(root, classes_dir(tmp_path_factory.mktemp("classes")), paths)
    try:
        yield node, paths
    finally:
        node.stop()


@pytest.fixture(scope="session")
def awx_ee_playbook() -> Path:
    """ansible-playbook of Python 3.9 + ansible-core 2.15 only (AWX's default EE), in a cached venv."""
    from tests.collection.venvs import awx_ee  # noqa: PLC0415

    return awx_ee() / "bin" / "ansible-playbook"


@pytest.fixture(scope="session")
def installed_collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ansible-galaxy collection build` of the checkout, installed from the tarball into a fresh
    collections path (its directory; put it in ANSIBLE_COLLECTIONS_PATH)."""
    from tests.collection.galaxy import build, install  # noqa: PLC0415

    tarball = build(tmp_path_factory.mktemp("built"))
    return install(tarball, tmp_path_factory.mktemp("collections"))
