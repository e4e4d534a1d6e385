"""The suite's own rules (tests/conftest.py)."""

from __future__ import annotations

import subprocess

import pytest


def test_a_test_without_a_marker_for_it_cannot_run_a_program() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"runs \['true'\]: mark it @pytest.mark.integration"):
        subprocess.run(["true"], check=False)


@pytest.mark.integration
def test_an_integration_test_can() -> None:
    assert subprocess.run(["true"], check=False).returncode == 0
