"""Start and stop the hosts (one init per namespace set), talk to their init, run commands inside."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .errors import LabError
from .paths import LOG_DIR, control_socket, host_dir
from .state import pid_alive
from .waits import wait_until

__all__ = ["start_host", "stop_host", "control", "run_in_host", "host_pids"]

HOSTINIT = Path(__file__).resolve().parent / "hostinit.py"


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def start_host(name: str, mounts: list[tuple[str, str, bool]]) -> dict[str, int]:
    """Start the host's init in new PID, mount and UTS namespaces; return its pids as seen outside."""
    hdir = host_dir(name)
    ready = hdir / "init.ready"
    ready.unlink(missing_ok=True)
    spec = {"name": name, "mounts": mounts, "control": str(control_socket(name)), "journal_dir": str(LOG_DIR),
            "sshd": ["/usr/sbin/sshd", "-D", "-f", "/etc/ssh/sshd_config", "-E", str(LOG_DIR / f"{name}-sshd.log")],
            "ready_file": str(ready), "shutdown_grace": 5}
    (hdir / "init.json").write_text(json.dumps(spec, indent=1))
    cmd = ["unshare", "--pid", "--mount", "--uts", "--fork", "--mount-proc", "--propagation", "private",
           sys.executable, str(HOSTINIT), str(hdir / "init.json")]
    with (LOG_DIR / f"{name}-init.log").open("ab") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, close_fds=True)

    def is_ready() -> bool:
        if proc.poll() is not None:
            tail = (LOG_DIR / f"{name}-init.log").read_text()[-600:]
            msg = f"host {name}: init exited with {proc.returncode}: {tail}"
            raise LabError(msg)
        return ready.exists()

    try:
        wait_until(is_ready, timeout=20, what=f"host {name} to boot (its init and sshd)", interval=0.1)
    except LabError as exc:
        if proc.poll() is not None:  # it died: say why, without the retry wrapper
            raise LabError(str(exc).split("(last error: ")[-1].rstrip(")")) from None
        raise
    kids = _children(proc.pid)
    if not kids:
        msg = f"host {name}: cannot find the init process under unshare pid {proc.pid}"
        raise LabError(msg)
    return {"unshare_pid": proc.pid, "init_pid": kids[0]}


def stop_host(pids: dict[str, int], timeout: float = 15.0) -> None:
    """SIGTERM the init (it stops its services); SIGKILL it after `timeout`; the kernel then kills
    everything left in its PID namespace and its mounts go with the namespace."""
    init, unshare = pids.get("init_pid"), pids.get("unshare_pid")
    if pid_alive(init):
        os.kill(init, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(init) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in (init, unshare):
        if pid_alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 10
    while (pid_alive(init) or pid_alive(unshare)) and time.monotonic() < deadline:
        time.sleep(0.1)


def control(name: str, op: str, service: str = "", timeout: float = 90.0) -> dict[str, Any]:
    path = control_socket(name)
    req = json.dumps({"op": op, "service": service, "timeout": max(timeout - 10, 5)}).encode() + b"\n"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(path))
            s.sendall(req)
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError as exc:
        msg = f"host {name} does not answer on {path}: {exc}"
        raise LabError(msg) from exc
    reply = json.loads(data or b'{"ok": false, "error": "empty reply"}')
    if not reply.get("ok"):
        msg = f"host {name}: {op} {service} failed: {reply.get('error')}"
        raise LabError(msg)
    return reply


def run_in_host(init_pid: int, argv: list[str], *, user: str | None = "kafka", timeout: float = 120,
                env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run argv inside the host's namespaces (as `user`), like a shell on that host would."""
    prefix = ["nsenter", "--target", str(init_pid), "--pid", "--mount", "--uts", "--"]
    if user:
        prefix += ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--"]
    full_env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
                "HOME": "/var/lib/kafka" if user == "kafka" else "/root", **(env or {})}
    try:
        out = subprocess.run(prefix + argv, capture_output=True, text=True, timeout=timeout, env=full_env,
                             cwd="/", check=False)
    except subprocess.TimeoutExpired as exc:
        msg = f"`{' '.join(argv)[:200]}` did not finish within {timeout:.0f}s"
        raise LabError(msg) from exc
    if check and out.returncode != 0:
        err = (out.stderr.strip() or out.stdout.strip())[-600:]
        msg = f"`{' '.join(argv)[:200]}` failed with {out.returncode}: {err}"
        raise LabError(msg)
    return out


def host_pids(name: str, state: dict[str, Any]) -> dict[str, int]:
    return state["hosts"][name]
