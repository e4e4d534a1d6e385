"""Build hook: ship what a wheel needs beyond the Python package.

- analysis_tasks/ becomes kafkapilot/builtin_tasks/ (the built-in check catalog);
- collect.yml and ansible.cfg become kafkapilot/ansible_project/, and the Ansible collection
  (galaxy.yml, meta/, plugins/, roles/, playbooks/) kafkapilot/ansible_project/collections/
  ansible_collections/kafkapilot/kafkapilot/: the layout of a checkout, where collections/ links
  back to the root, with the collection copied instead of linked (a wheel holds no links). So
  `kafkapilot collect` runs the same collect.yml, which finds the collection beside it, after a
  pipx install as from a checkout.

Everything else is declared in pyproject.toml. In a source checkout both are read from the
repository directly (kafkapilot.catalog.load.default_tasks_dir, kafkapilot.collect.runner.project_root).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
COLLECTION = "ansible_project/collections/ansible_collections/kafkapilot/kafkapilot"
#: repository path -> path inside the built kafkapilot package
SHIPPED = {
    "analysis_tasks": "builtin_tasks",
    "collect.yml": "ansible_project/collect.yml",
    "ansible.cfg": "ansible_project/ansible.cfg",
    **{name: f"{COLLECTION}/{name}" for name in ("galaxy.yml", "meta", "plugins", "roles", "playbooks")},
}


class BuildWithProjectFiles(build_py):
    """Copy SHIPPED into the built package (not for editable installs, which read the checkout)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "kafkapilot"
        for source, dest in SHIPPED.items():
            src, target = ROOT / source, package / dest
            if src.is_dir():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(src, target, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
            elif src.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target)


setup(cmdclass={"build_py": BuildWithProjectFiles})
