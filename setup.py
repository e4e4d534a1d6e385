"""Build hook: ship analysis_tasks/ inside the wheel as kafkapilot/builtin_tasks/.

Everything else is declared in pyproject.toml. In a source checkout the tasks are read from
analysis_tasks/ directly (kafkapilot.catalog.load.default_tasks_dir).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTasks(build_py):
    """Copy analysis_tasks/**/*.yaml and CATALOG.md into the built package."""

    def run(self) -> None:
        super().run()
        source = Path(__file__).resolve().parent / "analysis_tasks"
        target = Path(self.build_lib) / "kafkapilot" / "builtin_tasks"
        if source.is_dir() and not self.editable_mode:
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))


setup(cmdclass={"build_py": BuildWithTasks})
