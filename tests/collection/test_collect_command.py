"""`kafkapilot collect` passes the operator's Ansible settings through to the real playbook, without
the lab: vault ids and password files (decrypting a vaulted inventory variable), --ask-vault-pass
and --ask-become-pass (answered from stdin), -u, --private-key, --forks, --limit, -e (KEY=VALUE and
@FILE, relative to the operator's directory), ANSIBLE_VAULT_PASSWORD_FILE and the operator's
ANSIBLE_CONFIG; the playbook's own error line on failure; exit codes that are not Click's 2.

What ansible-playbook did with -u and --private-key is read from the ssh command line it ran (an
`ansible_ssh_executable` that logs its arguments, then runs ssh), and what it did with the become
password from sudo's (an `ansible_become_exe` that does the same for sudo): a real run either way.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kafkapilot.collect.runner import scrubbed_environ

pytestmark = pytest.mark.integration  # runs kafkapilot collect and ansible-playbook

BIN = Path(sys.executable).parent
VAULT = {"a": "first-vault-password", "b": "second-vault-password"}


def _encrypt(value: str, vault_id: str, tmp_path: Path) -> str:
    """`ansible-vault encrypt_string` of value with the vault identity vault_id: the YAML `!vault |` block."""
    password = tmp_path / f"vault-{vault_id}.txt"
    password.write_text(VAULT[vault_id] + "\n")
    out = subprocess.run([str(BIN / "ansible-vault"), "encrypt_string", "--vault-id", f"{vault_id}@{password}", value],
                         capture_output=True, text=True, timeout=120, check=True)
    return out.stdout.strip()


def _logging(tmp_path: Path, name: str, real: str) -> Path:
    """An executable that appends its arguments to <name>.log, then runs the real program with them."""
    wrapper = tmp_path / f"{name}-logging"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{tmp_path / name}.log"\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def _inventory(tmp_path: Path, **variables: str) -> Path:
    """local1 (local connection, sudo through a logging wrapper), dead1 (ssh through a logging wrapper to
    a closed port: unreachable), other (left out by --limit)."""
    sudo = shutil.which("sudo")
    become = f", ansible_become_exe: {_logging(tmp_path, 'sudo', sudo)}" if sudo else ""
    ssh = _logging(tmp_path, "ssh", shutil.which("ssh") or "ssh")
    # `!vault |` lines indented by 10
    blocks = "".join(f"        {name}: {block}\n" for name, block in variables.items())
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(f"""all:
  children:
    kafka_brokers:
      hosts:
        local1: {{ansible_connection: local, ansible_python_interpreter: {sys.executable}{become}}}
        dead1: {{ansible_host: 127.0.0.254, ansible_port: 1, ansible_ssh_executable: {ssh}}}
        other: {{ansible_connection: local, ansible_python_interpreter: {sys.executable}}}
      vars:
{blocks}""")
    return inventory


def _collect(
    cwd: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    return subprocess.run([str(BIN / "kafkapilot"), "collect", "--no-progress", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env={**environ, **(env or {})}, timeout=600, check=False)


def _manifest(result: subprocess.CompletedProcess[str]) -> dict:
    return json.loads((Path(result.stdout.strip().splitlines()[-1]) / "snapshot.json").read_text())


def test_vault_id_extra_vars_forks_limit_user_key_and_become_password_reach_the_playbook(tmp_path: Path) -> None:
    _inventory(tmp_path, kafkapilot_cluster_name=_encrypt("cluster-from-vault-a", "a", tmp_path))  # hosts.yml
    (tmp_path / "settings.yml").write_text("kafkapilot_log_window_hours: 6\n")
    key = tmp_path / "id_test"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=60)
    result = _collect(tmp_path, "-i", "hosts.yml", "-o", "out", "--vault-id", "a@vault-a.txt", "-e", "@settings.yml",
                      "-e", "kafkapilot_bootstrap_server=forks-{{ ansible_forks }}", "-f", "7", "-u", "opsuser",
                      "--private-key", "id_test", "--limit", "local1,dead1", "-K", stdin="become-secret\n",
                      env={"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"})  # root becoming root: sudo all the same
    assert result.returncode == 4, result.stderr  # written, dead1 unreachable: not Click's usage code 2
    manifest = _manifest(result)
    assert set(manifest["hosts"]) == {"local1", "dead1"}  # --limit
    assert manifest["hosts"]["local1"]["status"] in ("ok", "partial")
    assert manifest["cluster_name"] == "cluster-from-vault-a"  # --vault-id, its file relative to the operator's cwd
    assert manifest["options"]["log_window_hours"] == 6.0  # -e @FILE
    assert manifest["options"]["bootstrap_server"] == "forks-7"  # --forks, and -e KEY=VALUE templated by Ansible
    assert manifest["options"]["become"] is True  # -K implies --become
    ssh = (tmp_path / "ssh.log").read_text().splitlines()
    assert 'User="opsuser"' in ssh and f'IdentityFile="{key}"' in ssh, ssh  # -u, --private-key (made absolute)
    if shutil.which("sudo"):
        sudo = (tmp_path / "sudo.log").read_text().splitlines()
        # with a become password Ansible runs sudo -S (password on stdin), without one sudo -n
        assert "-S" in sudo and "-n" not in sudo, sudo
    assert "dead1: unreachable: ssh: 127.0.0.254 port 1" in result.stderr
    assert "become-secret" not in result.stderr + result.stdout


def test_vault_password_file_ask_vault_pass_and_the_operators_ansible_cfg(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path, kafkapilot_cluster_name=_encrypt("cluster-from-vault-a", "a", tmp_path),
                           kafkapilot_bootstrap_server=_encrypt("bootstrap-from-vault-b", "b", tmp_path))
    (tmp_path / "mine.cfg").write_text("[defaults]\nforks = 3\n")
    result = _collect(tmp_path, "-i", str(inventory), "-o", "out", "--ask-vault-pass", "--limit", "local1",
                      "-e", "kafkapilot_client_config=forks-{{ ansible_forks }}", stdin=VAULT["b"] + "\n",
                      env={"ANSIBLE_VAULT_PASSWORD_FILE": "vault-a.txt", "ANSIBLE_CONFIG": "mine.cfg"})
    assert result.returncode == 0, result.stderr
    manifest = _manifest(result)
    assert manifest["cluster_name"] == "cluster-from-vault-a"  # ANSIBLE_VAULT_PASSWORD_FILE
    assert manifest["options"]["bootstrap_server"] == "bootstrap-from-vault-b"  # --ask-vault-pass, from stdin
    assert manifest["options"]["client_config"] == "forks-3"  # the operator's ansible.cfg is the one used ...
    assert (f"kafkapilot: ansible.cfg: {tmp_path / 'mine.cfg'} (ANSIBLE_CONFIG); kafkapilot collect adds "
            "ANSIBLE_PIPELINING=True (was unset") in result.stderr  # ... and what is added to it is said


def test_failures_print_the_playbooks_own_error_and_exit_codes_are_not_clicks(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    secret = tmp_path / "secret.yml"
    secret.write_text("kafkapilot_cluster_name: x\n")
    (tmp_path / "vault-a.txt").write_text(VAULT["a"] + "\n")
    subprocess.run([str(BIN / "ansible-vault"), "encrypt", "--vault-id", f"a@{tmp_path / 'vault-a.txt'}", str(secret)],
                   capture_output=True, timeout=120, check=True)
    result = _collect(tmp_path, "-i", str(inventory), "-o", "out", "-e", "@secret.yml")
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "kafkapilot: error: ansible-playbook failed (rc 1) without writing a snapshot: Attempting to decrypt but no "
        f"vault secrets found. (Origin: {secret})")
    nothing = _collect(tmp_path, "-i", str(inventory), "-o", "out", "--limit", "dead1")
    assert nothing.returncode == 5, nothing.stderr  # a snapshot saying why, but no host collected
    assert "no host could be collected (1 tried): dead1: unreachable" in " ".join(nothing.stderr.split())
    assert _manifest(nothing)["hosts"]["dead1"]["status"] == "unreachable"
    usage = _collect(tmp_path, "-o", "out")
    assert usage.returncode == 2 and "Missing option '-i'" in usage.stderr  # Click's usage error, and only that


@pytest.mark.parametrize("name",
                         ["ANSIBLE_VAULT_PASSWORD_FILE", "ANSIBLE_PRIVATE_KEY_FILE", "ANSIBLE_VAULT_IDENTITY_LIST"])
def test_ansible_variables_naming_files_are_kept_and_secrets_are_not(monkeypatch: pytest.MonkeyPatch,
                                                                     name: str) -> None:
    monkeypatch.setenv(name, "/etc/x")
    monkeypatch.setenv("ANSIBLE_GALAXY_TOKEN", "t0ken")
    with scrubbed_environ() as env:
        assert env[name] == "/etc/x" and "ANSIBLE_GALAXY_TOKEN" not in env
