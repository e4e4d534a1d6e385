"""PID 1 of one lab host: private mounts and hostname, sshd, services started as systemd would.

Run as `unshare --pid --mount --uts --fork --mount-proc python3 hostinit.py SPEC.json`.
It bind-mounts the host's private directories, sets the hostname, starts sshd, then serves
one-line JSON requests on a UNIX socket (start/stop/status of sshd, kafka, zookeeper). It reaps
every child (it is the namespace's init) and on SIGTERM stops its services and exits.
Standard library only: it is started with the machine's python3.
"""
from __future__ import annotations

import ctypes
import grp
import json
import os
import pwd
import resource
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unitfile import read_unit  # this file runs as a script

MS_RDONLY, MS_REMOUNT, MS_BIND = 1, 32, 4096
_libc = ctypes.CDLL(None, use_errno=True)
JOURNAL_STDOUT = "/run/systemd/journal/stdout"
SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} init[{HOSTNAME}] {msg}", file=sys.stderr, flush=True)


def _mount(src: str, dst: str, flags: int) -> None:
    if _libc.mount(src.encode(), dst.encode(), None, flags, None) != 0:
        err = ctypes.get_errno()
        msg = f"mount {src} -> {dst}: {os.strerror(err)}"
        raise OSError(err, msg)


def setup_host(spec: dict) -> None:
    for src, dst, readonly in spec["mounts"]:
        _mount(src, dst, MS_BIND)
        if readonly:
            _mount(src, dst, MS_BIND | MS_REMOUNT | MS_RDONLY)
    name = spec["name"].encode()
    if _libc.sethostname(name, len(name)) != 0:
        raise OSError(ctypes.get_errno(), "sethostname")


class Init:
    def __init__(self, spec: dict) -> None:
        self.spec = spec
        self.procs: dict[str, int] = {}      # service -> pid while running
        self.exits: dict[str, int] = {}      # service -> last exit status
        self.stopping = False
        self.journald = False

    # --- children -------------------------------------------------------
    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            for svc, spid in list(self.procs.items()):
                if spid == pid:
                    del self.procs[svc]
                    self.exits[svc] = os.waitstatus_to_exitcode(status)
                    log(f"{svc} (pid {pid}) exited with {self.exits[svc]}")

    def _journal(self, svc: str, identifier: str):  # noqa: ANN202
        """The service's stdout: the host's systemd-journald when it runs (its stdout stream, told the unit as
        systemd tells it, so `journalctl -u SERVICE.service` finds the lines), else the lab's journal file."""
        if self.journald and svc != "sshd":
            stream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            stream.connect(JOURNAL_STDOUT)
            stream.sendall(f"{identifier}\n{svc}.service\n6\n0\n0\n0\n0\n".encode())
            return stream
        path = Path(self.spec["journal_dir"]) / f"{self.spec['name']}-{svc}.journal"
        return path.open("ab")

    def start_journald(self) -> None:
        """systemd-journald from its unit, when the host has one (scenario journal_logging), before any service."""
        unit = Path("/etc/systemd/system/systemd-journald.service")
        if not unit.exists():
            return
        argv = read_unit(unit).argv
        # the journal stays in the host's private /run: never in the machine's /var/log/journal
        conf = Path("/run/systemd/journald.conf.d")
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "kafkapilot-lab.conf").write_text("[Journal]\nStorage=volatile\n")
        # as systemd-tmpfiles does at boot (tmpfiles.d/systemd.conf): the journal directory belongs to the
        # systemd-journal group (setgid, so the journal files do too), whose members read it without root
        journal_dir = Path("/run/log/journal")
        journal_dir.mkdir(parents=True, exist_ok=True)
        try:
            os.chown(journal_dir, 0, grp.getgrnam("systemd-journal").gr_gid)
            journal_dir.chmod(0o2755)
        except KeyError:
            log("no systemd-journal group: only root reads the journal")
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 15
        while not Path(JOURNAL_STDOUT).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.journald = Path(JOURNAL_STDOUT).exists()
        log(f"systemd-journald (pid {proc.pid}) {'listens on ' + JOURNAL_STDOUT if self.journald else 'did not start'}")

    def start(self, svc: str) -> dict:
        if svc in self.procs:
            return {"ok": True, "pid": self.procs[svc], "note": "already running"}
        if svc == "sshd":
            argv, env, preexec, cwd = self.spec["sshd"], {"PATH": SERVICE_PATH}, None, "/"
        else:
            unit = read_unit(Path("/etc/systemd/system") / f"{svc}.service")
            pw = pwd.getpwnam(unit.user)
            gid = grp.getgrnam(unit.group).gr_gid if unit.group else pw.pw_gid
            env = {"PATH": SERVICE_PATH, "LANG": "C.UTF-8", "HOME": pw.pw_dir, "USER": unit.user,
                   "LOGNAME": unit.user, "SHELL": pw.pw_shell, **unit.env}
            argv, cwd, limit = unit.argv, unit.working_directory, _allowed_nofile(unit.limit_nofile)
            if limit != unit.limit_nofile:
                log(f"{svc}: LimitNOFILE={unit.limit_nofile[0]} exceeds this machine's hard limit and the "
                    f"sandbox lacks CAP_SYS_RESOURCE; applying {limit[0]}")

            def preexec() -> None:  # as systemd: limits first (still root), then drop privileges
                if limit:
                    resource.setrlimit(resource.RLIMIT_NOFILE, limit)
                os.initgroups(unit.user, gid)
                os.setgid(gid)
                os.setuid(pw.pw_uid)
        with self._journal(svc, Path(argv[0]).name) as out:
            proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, preexec_fn=preexec,  # noqa: PLW1509 - no threads here
                                    start_new_session=True)
        self.procs[svc] = proc.pid
        self.exits.pop(svc, None)
        log(f"started {svc} as pid {proc.pid}: {' '.join(argv)[:300]}")
        return {"ok": True, "pid": proc.pid}

    def _descendants(self, root: int) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
        found, frontier = [], [root]
        while frontier:
            pid = frontier.pop()
            kids = [p for p, pp in parents.items() if pp == pid]
            found += kids
            frontier += kids
        return found

    def _wait_gone(self, pids: list[int], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.reap()
            if not [p for p in pids if Path(f"/proc/{p}").exists() and not _zombie(p)]:
                return True
            time.sleep(0.1)
        return False

    def stop(self, svc: str, timeout: float = 60.0) -> dict:
        pid = self.procs.get(svc)
        if pid is None:
            return {"ok": True, "note": "not running"}
        # sshd: also end the sessions it forked, as stopping the host's ssh service does
        pids = [pid, *self._descendants(pid)] if svc == "sshd" else [pid]
        for p in pids:
            _kill(p, signal.SIGTERM)
        if not self._wait_gone(pids, timeout):
            log(f"{svc} did not stop within {timeout:.0f}s of SIGTERM; sending SIGKILL")
            for p in pids:
                _kill(p, signal.SIGKILL)
            self._wait_gone(pids, 10)
        self.reap()
        return {"ok": True, "stopped": pid}

    def status(self) -> dict:
        self.reap()
        return {"ok": True, "name": self.spec["name"], "services": dict(self.procs), "exits": dict(self.exits)}

    def shutdown(self) -> None:
        grace = float(self.spec.get("shutdown_grace", 5))
        everything = self._descendants(1)
        for p in everything:
            _kill(p, signal.SIGTERM)
        if not self._wait_gone(everything, grace):
            for p in self._descendants(1):
                _kill(p, signal.SIGKILL)
            self._wait_gone(self._descendants(1), 5)

    # --- control socket ---------------------------------------------------
    def handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            try:
                req = json.loads(data or b"{}")
                op, svc = req.get("op"), req.get("service", "")
                if op == "start":
                    reply = self.start(svc)
                elif op == "stop":
                    reply = self.stop(svc, float(req.get("timeout", 60)))
                elif op == "status":
                    reply = self.status()
                else:
                    reply = {"ok": False, "error": f"unknown op {op!r}"}
            except Exception as exc:  # noqa: BLE001 - report any failure to the caller
                reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            conn.settimeout(30)
            conn.sendall(json.dumps(reply).encode() + b"\n")


def _allowed_nofile(limit: tuple[int, int] | None) -> tuple[int, int] | None:
    """systemd raises the hard limit as root; without CAP_SYS_RESOURCE (some containers) it cannot,
    so clamp to the current hard limit instead of failing to start the service."""
    if limit is None:
        return None
    cap_eff = int(next(ln.split()[1] for ln in Path("/proc/self/status").read_text().splitlines()
                       if ln.startswith("CapEff:")), 16)
    if cap_eff & (1 << 24):  # CAP_SYS_RESOURCE
        return limit
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return min(limit[0], hard), min(limit[1], hard)


def _kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def main() -> int:
    global HOSTNAME  # noqa: PLW0603
    spec = json.loads(Path(sys.argv[1]).read_text())
    HOSTNAME = spec["name"]
    setup_host(spec)
    init = Init(spec)
    init.start_journald()
    control = Path(spec["control"])
    control.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(control))
    control.chmod(0o600)
    server.listen(16)
    rfd, wfd = os.pipe()
    os.set_blocking(wfd, False)
    signal.set_wakeup_fd(wfd)

    def on_term(_sig: int, _frame: object) -> None:
        init.stopping = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    sel = selectors.DefaultSelector()
    sel.register(server, selectors.EVENT_READ)
    sel.register(rfd, selectors.EVENT_READ)
    init.start("sshd")
    log("ready")
    Path(spec["ready_file"]).write_text(str(os.getpid()))
    while not init.stopping:
        for key, _ in sel.select(timeout=1.0):
            if key.fileobj is server:
                conn, _ = server.accept()
                init.handle(conn)
            else:
                os.read(rfd, 512)
        init.reap()
    log("SIGTERM: stopping services")
    init.shutdown()
    control.unlink(missing_ok=True)
    log("bye")
    return 0


HOSTNAME = "?"

if __name__ == "__main__":
    sys.exit(main())
