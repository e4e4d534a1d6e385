#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: KafkaPilot developers. Apache-2.0.
"""Read-only executor of KafkaPilot collection requests on a target host.

Target side: Python >= 3.6, standard library only, no temporary files, nothing written.
The controller (the host_facts and cluster action plugins) decides what to read; this module
only reads files, lists directories and runs a fixed set of commands without a shell,
each bounded in bytes and time, and returns everything as one JSON result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: host_requests
short_description: Answer KafkaPilot's read-only collection requests on a Kafka or ZooKeeper host
description:
  - Executes a list of read-only requests (read a file, stat it, list a glob, run a command
    without a shell, find Kafka and ZooKeeper JVMs in /proc, sizes of log dirs, a local HTTP
    or ZooKeeper four-letter-word query) and returns their results in one JSON document.
  - Writes nothing on the host. Keystores are never copied; they are stat'ed and hashed, and
    their public certificates listed (keytool -list -rfc, the password read on the host).
  - Driven by the M(kafkapilot.kafkapilot.host_facts) and M(kafkapilot.kafkapilot.cluster) action
    plugins, which plan the requests and redact and store the results on the controller; a
    playbook uses those, not this module. Runs on Python 3.6 or later, standard library only.
version_added: "0.1.0"
options:
  ops:
    description: The requests, each a dict with C(id) and C(op) plus the op's parameters.
    type: list
    elements: dict
    required: true
  concurrency:
    description: How many requests run at once (commands dominate).
    type: int
    default: 4
attributes:
  check_mode:
    support: full
    description: Read-only, so it collects the same under C(--check).
author: KafkaPilot developers
"""

EXAMPLES = r"""
- name: Read the broker config and the kernel's memory figures
  kafkapilot.kafkapilot.host_requests:
    ops:
      - {id: props, op: read, path: /etc/kafka/server.properties, max_bytes: 1048576}
      - {id: mem, op: read, path: /proc/meminfo}
"""

RETURN = r"""
answers:
  description: Request id to its result (status ok, missing, denied, failed or skipped).
  returned: always
  type: dict
  sample: {"mem": {"status": "ok", "content": "MemTotal: 16318412 kB\n", "duration_s": 0.001}}
elapsed_s:
  description: Seconds the requests took on the host.
  returned: always
  type: float
python:
  description: The host's Python version that ran the module (major.minor).
  returned: always
  type: str
  sample: "3.9"
now_epoch:
  description: The host's clock when the module ended (seconds since the epoch).
  returned: always
  type: float
"""

import ctypes
import errno
import glob
import grp
import gzip
import hashlib
import os
import pwd
import re
import signal
import socket
import stat
import sys
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kafkapilot.kafkapilot.plugins.module_utils.constants import KEYSTORE_SUFFIXES, OP_NAMES

DEFAULT_MAX = 1024 * 1024
CHUNK = 1024 * 1024
PATH_DIRS = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# "[2026-11-26 13:01:02,345]" (Kafka, ZooKeeper) or "2026-11-26 13:01:02" / ISO at the line start
STAMP = re.compile(rb"^\[?(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)")
PARTITION_DIR = re.compile(r"^.+-\d+$")


def _text(data):
    return data.decode("utf-8", "replace")


def _owner(st):
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    return owner, group


def _meta(st):
    owner, group = _owner(st)
    return {
        "mode": "%04o" % stat.S_IMODE(st.st_mode),
        "owner": owner,
        "group": group,
        "size": st.st_size,
        "mtime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(st.st_mtime)),
        "mtime_epoch": st.st_mtime,
    }


def _error(exc):
    """(status, one-line error) of an OSError."""
    if isinstance(exc, PermissionError) or getattr(exc, "errno", None) in (errno.EACCES, errno.EPERM):
        return "denied", "permission denied"
    if isinstance(exc, FileNotFoundError) or getattr(exc, "errno", None) == errno.ENOENT:
        return "missing", "no such file or directory"
    return "failed", (exc.strerror or str(exc)) if hasattr(exc, "strerror") else str(exc)


def is_keystore(path):
    return path.lower().endswith(KEYSTORE_SUFFIXES)


def window_stamp(hours, now=None):
    """The local time `hours` ago, as log4j writes it: b"2026-11-26 13:01:02"."""
    now = time.time() if now is None else now
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now - float(hours) * 3600)).encode()


def cut_window(data, since_stamp):
    """(data from the first line stamped at or after since_stamp, whether lines were dropped).

    Unstamped lines (stack traces) stay with the line before them. Text without any stamp
    is kept whole; text whose stamps are all older than the window becomes empty.
    """
    if since_stamp is None:
        return data, False
    offset = 0
    stamped = False
    for line in data.splitlines(True):
        match = STAMP.match(line)
        if match is not None:
            stamped = True
            if match.group(1) + b" " + match.group(2) >= since_stamp:
                return data[offset:], offset > 0
        offset += len(line)
    if stamped:
        return b"", bool(data)
    return data, False


def op_read(req):
    path = req["path"]
    if is_keystore(path) and not req.get("allow_keystore_name"):
        return {"status": "skipped", "error": "keystore or key file: never copied"}
    max_bytes = int(req.get("max_bytes") or DEFAULT_MAX)
    tail = req.get("tail", False)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return {"status": "failed", "error": "is a directory"}
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                data = handle.read(int(req.get("max_inflate", 256 * 1024 * 1024)))
            truncated = len(data) > max_bytes
            data = data[-max_bytes:] if tail else data[:max_bytes]
        else:
            with open(path, "rb") as handle:
                size = st.st_size
                if tail and size > max_bytes:
                    handle.seek(size - max_bytes)
                    data = handle.read(max_bytes)
                    # start at a line boundary
                    cut = data.find(b"\n")
                    data = data[cut + 1:] if cut >= 0 else data
                    truncated = True
                else:
                    data = handle.read(max_bytes + 1)
                    truncated = len(data) > max_bytes
                    data = data[:max_bytes]
    except (OSError, EOFError) as exc:
        status, message = _error(exc) if isinstance(exc, OSError) else ("failed", str(exc))
        return {"status": status, "error": message}
    since = window_stamp(req["window_hours"]) if req.get("window_hours") else None
    data, cut = cut_window(data, since)
    result = {"status": "ok", "content": _text(data), "truncated": truncated or cut, "bytes": len(data)}
    result.update(_meta(st))
    return result


def op_logs(req):
    """Tails of log files and of their rotated siblings written within the window.

    Each file is cut to `max_bytes` (its end) and to the lines of the last `window_hours`;
    the newest files get the `max_total` budget first.
    """
    hours = float(req.get("window_hours") or 24)
    cutoff = time.time() - hours * 3600
    per_file = int(req.get("max_bytes") or DEFAULT_MAX)
    budget = int(req.get("max_total") or per_file * 8)
    out = []
    for spec in req.get("files", []):
        main = spec["path"]
        rotated = set()
        for pattern in spec.get("rotated", []):
            rotated.update(p for p in glob.glob(pattern) if p != main and not is_keystore(p))
        candidates = []
        for path in sorted(rotated):
            try:
                st = os.stat(path)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and st.st_mtime >= cutoff:
                candidates.append((st.st_mtime, path))
        candidates.sort(reverse=True)
        for path, rotated_of in [(main, None)] + [(p, main) for _m, p in candidates]:
            if budget <= 0:
                out.append({"path": path, "rotated_of": rotated_of, "status": "skipped",
                            "error": "log budget of this process used up (max_total)"})
                continue
            result = op_read({"path": path, "tail": True, "max_bytes": min(per_file, budget),
                              "window_hours": hours})
            budget -= result.get("bytes", 0)
            result.update(path=path, rotated_of=rotated_of)
            out.append(result)
    return {"status": "ok", "files": out, "cutoff_epoch": cutoff}


def op_stat(req):
    path = req["path"]
    try:
        st = os.stat(path)
    except OSError as exc:
        status, message = _error(exc)
        return {"status": status, "error": message}
    result = {"status": "ok"}
    result.update(_meta(st))
    if req.get("sha256") and stat.S_ISREG(st.st_mode):
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    digest.update(chunk)
            result["sha256"] = digest.hexdigest()
        except OSError as exc:
            result["sha256_error"] = _error(exc)[1]
    return result


def op_glob(req):
    found = []
    for pattern in req.get("patterns", []):
        for path in sorted(glob.glob(pattern)):
            try:
                st = os.stat(path)
            except OSError:
                continue
            entry = {"path": path, "is_dir": stat.S_ISDIR(st.st_mode)}
            entry.update(_meta(st))
            found.append(entry)
    return {"status": "ok", "paths": found}


def _env(extra):
    env = {"PATH": os.environ.get("PATH", "") + ":" + PATH_DIRS, "LANG": "C", "LC_ALL": "C"}
    if os.environ.get("HOME"):
        env["HOME"] = os.environ["HOME"]
    env.update(extra or {})
    return env


def _which(name, env):
    if "/" in name:
        return name if os.access(name, os.X_OK) else None
    for directory in env["PATH"].split(":"):
        candidate = os.path.join(directory, name)
        if directory and os.access(candidate, os.X_OK) and not os.path.isdir(candidate):
            return candidate
    return None


def _drain(stream, keep_tail, limit, sink):
    total = 0
    data = bytearray()
    for chunk in iter(lambda: stream.read(65536), b""):
        total += len(chunk)
        data.extend(chunk)
        if len(data) > limit:
            if keep_tail:
                del data[: len(data) - limit]
            else:
                del data[limit:]
    sink.append((bytes(data), total > limit))


def op_run(req):
    env = _env(req.get("env"))
    candidates = req.get("alternatives") or [req["argv"]]
    for argv in candidates:
        exe = _which(argv[0], env)
        if exe is not None:
            break
    else:
        names = ", ".join(a[0] for a in candidates)
        return {"status": "missing", "error": "%s not found" % names}
    limit = int(req.get("max_bytes") or DEFAULT_MAX)
    timeout = float(req.get("timeout") or 60)
    started = time.time()
    try:
        proc = subprocess.Popen(
            [exe] + list(argv[1:]), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, cwd="/", start_new_session=True, close_fds=True,
        )
    except OSError as exc:
        status, message = _error(exc)
        return {"status": status, "error": message, "argv": argv}
    out, err = [], []
    readers = [
        threading.Thread(target=_drain, args=(proc.stdout, req.get("tail", False), limit, out)),
        threading.Thread(target=_drain, args=(proc.stderr, True, 65536, err)),
    ]
    for reader in readers:
        reader.daemon = True
        reader.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()
    for reader in readers:
        reader.join(5)
    stdout, truncated = out[0] if out else (b"", False)
    stderr = err[0][0] if err else b""
    result = {
        "status": "ok", "rc": proc.returncode, "stdout": _text(stdout), "stderr": _text(stderr),
        "truncated": truncated, "duration_s": round(time.time() - started, 3), "argv": argv,
    }
    if timed_out:
        result.update(status="failed", error="timed out after %ss" % timeout)
    elif proc.returncode != 0 and not req.get("any_rc"):
        result.update(status="failed", error=_first_line(stderr or stdout) or "exit code %d" % proc.returncode)
    return result


def _first_line(data):
    for line in _text(data).splitlines():
        if line.strip() and not line.startswith(("SLF4J", "WARNING:", "log4j:")):
            return line.strip()[:300]
    return ""


def _head(data, lines=3):
    """The first meaningful lines of a tool's output, joined with ' | ' (a failed tool's reason)."""
    kept = []
    for line in (data if isinstance(data, str) else _text(data or b"")).splitlines():
        line = line.strip()
        if line and not line.startswith(("SLF4J", "WARNING:", "log4j:", "at ", "...")):
            kept.append(line)
            if len(kept) == lines:
                break
    return " | ".join(kept)[:300]


def _read_small(path):
    with open(path, "rb") as handle:
        return _text(handle.read(DEFAULT_MAX))


def _try(function, *args):
    try:
        return {"status": "ok", "content": function(*args)}
    except OSError as exc:
        status, message = _error(exc)
        return {"status": status, "error": message}


def _count_dir(path):
    return len(os.listdir(path))


def _count_lines(path):
    with open(path, "rb") as handle:
        return sum(1 for _line in handle)


def _user_of(pid):
    try:
        st = os.stat("/proc/%d" % pid)
    except OSError:
        return None, None
    return st.st_uid, _owner(st)[0]


def op_procs(req):
    needles = [n.encode() for n in req.get("match", [])]
    required = [n.encode() for n in req.get("require", [])]
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as handle:
                raw = handle.read()
        except OSError:
            continue
        args = raw.rstrip(b"\0").split(b"\0")
        if not args or not any(needle in args for needle in needles):
            continue
        if not all(any(want in arg for arg in args) for want in required):
            continue
        uid, user = _user_of(pid)
        proc = {"pid": pid, "args": [_text(a) for a in args], "uid": uid, "user": user}
        proc["status"] = _try(_read_small, "/proc/%d/status" % pid)
        proc["limits"] = _try(_read_small, "/proc/%d/limits" % pid)
        proc["cgroup"] = _try(_read_small, "/proc/%d/cgroup" % pid)
        proc["fd_count"] = _try(_count_dir, "/proc/%d/fd" % pid)
        proc["map_count"] = _try(_count_lines, "/proc/%d/maps" % pid)
        proc["exe"] = _try(os.readlink, "/proc/%d/exe" % pid)
        proc["cwd"] = _try(os.readlink, "/proc/%d/cwd" % pid)
        found.append(proc)
    return {"status": "ok", "processes": found}


def _usage(directory):
    kbytes, partitions, errors = 0, 0, 0
    with os.scandir(directory) as top:
        entries = list(top)
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if PARTITION_DIR.match(entry.name):
                    partitions += 1
                for root, _dirs, files in os.walk(entry.path, onerror=lambda _e: None):
                    for name in files:
                        try:
                            kbytes += os.lstat(os.path.join(root, name)).st_blocks // 2
                        except OSError:
                            errors += 1
            else:
                kbytes += entry.stat(follow_symlinks=False).st_blocks // 2
        except OSError:
            errors += 1
    return {"kbytes": kbytes, "partitions": partitions, "unreadable": errors}


def op_dirusage(req):
    rows = []
    for directory in req.get("dirs", []):
        try:
            row = _usage(directory)
            row.update(status="ok", dir=directory)
        except OSError as exc:
            status, message = _error(exc)
            row = {"dir": directory, "status": status, "error": message}
        rows.append(row)
    return {"status": "ok", "rows": rows}


def op_sysctl(req):
    lines, missing = [], []
    for key in req.get("keys", []):
        path = "/proc/sys/" + key.replace(".", "/")
        try:
            with open(path) as handle:
                value = " ".join(handle.read().split())
            lines.append("%s = %s" % (key, value))
        except OSError:
            missing.append(key)
    if not lines:
        return {"status": "failed", "error": "no key readable under /proc/sys"}
    return {"status": "ok", "content": "\n".join(lines) + "\n", "unreadable": missing}


def op_nproc(_req):
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 0
    return {"status": "ok", "content": "%d\n" % count}


def _adjtimex():
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(512)  # struct timex, modes = 0: read only
    state = libc.adjtimex(buf)
    if state < 0:
        raise OSError(ctypes.get_errno(), "adjtimex")
    return state


def op_clock(req):
    tried = []
    for argv in req.get("alternatives", []):
        result = op_run({"argv": argv, "timeout": req.get("timeout") or 10, "max_bytes": req.get("max_bytes") or 65536})
        tried.append(argv[0])
        if result["status"] == "ok" and result["stdout"].strip():
            result["source"] = " ".join(argv)
            return result
    try:
        state = _adjtimex()
    except (OSError, AttributeError) as exc:
        return {"status": "missing", "error": "none of %s answered; adjtimex: %s" % (", ".join(tried), exc)}
    synced = "no" if state == 5 else "yes"  # TIME_ERROR: the kernel clock is not synchronised
    text = "# kernel clock state from adjtimex(2) (%s did not answer)\nNTPSynchronized=%s\n" % (
        ", ".join(tried), synced)
    return {"status": "ok", "stdout": text, "source": "adjtimex(2)", "rc": 0}


def op_http(req):
    # imported here, not at the top: module_utils.urls (http.client, ssl, email …) costs every module run
    # on the host ~0.15 CPU-s to import, and only this request, once per JVM with a metrics agent, needs it
    from ansible.module_utils.urls import open_url

    limit = int(req.get("max_bytes") or DEFAULT_MAX)
    # a second scrape waits until `not_before` (the host's clock), never longer than `max_wait` seconds
    wait = min(float(req.get("not_before") or 0) - time.time(), float(req.get("max_wait") or 0))
    if wait > 0:
        time.sleep(wait)
    started = time.time()
    try:
        resp = open_url(req["url"], headers={"Accept": "text/plain"}, timeout=float(req.get("timeout", 10)))
        try:
            data = resp.read(limit + 1)
        finally:
            resp.close()
    except Exception as exc:  # noqa: BLE001 - any network error is a result
        return {"status": "failed", "error": str(exc)[:300]}
    return {"status": "ok", "stdout": _text(data[:limit]), "truncated": len(data) > limit,
            "started": round(started, 3), "duration_s": round(time.time() - started, 3)}


def op_fourlw(req):
    started = time.time()
    try:
        conn = socket.create_connection((req["host"], int(req["port"])), timeout=float(req.get("timeout", 5)))
        try:
            conn.sendall(req.get("word", "srvr").encode())
            chunks = []
            for chunk in iter(lambda: conn.recv(65536), b""):
                chunks.append(chunk)
        finally:
            conn.close()
    except OSError as exc:
        return {"status": "failed", "error": str(exc)[:300]}
    data = b"".join(chunks)
    if not data:
        return {"status": "failed", "error": "empty answer (is %s whitelisted?)" % req.get("word", "srvr")}
    return {"status": "ok", "stdout": _text(data), "duration_s": round(time.time() - started, 3)}


def op_units(req):
    """Unit files on disk whose name or content mentions one of `match`, with their drop-ins."""
    needles = [n.encode() for n in req.get("match", [])]
    units = []
    seen = set()
    for directory in req.get("dirs", []):
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        for name in names:
            if not name.endswith(".service") or name in seen:
                continue
            path = os.path.join(directory, name)
            try:
                with open(path, "rb") as handle:
                    data = handle.read(DEFAULT_MAX)
            except OSError:
                continue
            if not any(n in data or n in name.encode() for n in needles):
                continue
            seen.add(name)
            unit = {"name": name, "path": path, "content": _text(data), "dropins": []}
            unit.update(_meta(os.stat(path)))
            for dropin_dir in req.get("dirs", []):
                for dropin in sorted(glob.glob(os.path.join(dropin_dir, name + ".d", "*.conf"))):
                    unit["dropins"].append({"path": dropin})
            units.append(unit)
    return {"status": "ok", "units": units}


def _perf_counters(data):
    """name → value of a HotSpot perf data file (/tmp/hsperfdata_<user>/<pid>), what jstat reads."""
    import struct  # noqa: PLC0415 - only here

    if len(data) < 32 or data[:4] != b"\xca\xfe\xc0\xc0":
        raise ValueError("not a HotSpot perf data file")
    order = "<" if data[4] == 1 else ">"
    entry_offset, count = struct.unpack_from(order + "ii", data, 24)
    counters, offset = {}, entry_offset
    for _index in range(count):
        length, name_offset, vector_length, kind, _flags, _units, _var, data_offset = struct.unpack_from(
            order + "iiibbbbi", data, offset)
        if length <= 0:
            break
        name_start = offset + name_offset
        name = data[name_start:data.index(b"\0", name_start)].decode("ascii", "replace")
        if kind == ord("J") and vector_length == 0:
            counters[name] = struct.unpack_from(order + "q", data, offset + data_offset)[0]
        elif kind == ord("B") and vector_length > 0:
            raw = data[offset + data_offset:offset + data_offset + vector_length]
            counters[name] = raw.split(b"\0", 1)[0].decode("utf-8", "replace")
        offset += length
    return counters


JSTAT_GC = (("S0C", "sun.gc.generation.0.space.1.capacity"), ("S1C", "sun.gc.generation.0.space.2.capacity"),
            ("S0U", "sun.gc.generation.0.space.1.used"), ("S1U", "sun.gc.generation.0.space.2.used"),
            ("EC", "sun.gc.generation.0.space.0.capacity"), ("EU", "sun.gc.generation.0.space.0.used"),
            ("OC", "sun.gc.generation.1.space.0.capacity"), ("OU", "sun.gc.generation.1.space.0.used"),
            ("MC", "sun.gc.metaspace.capacity"), ("MU", "sun.gc.metaspace.used"),
            ("CCSC", "sun.gc.compressedclassspace.capacity"), ("CCSU", "sun.gc.compressedclassspace.used"))


def _process_start(pid):
    """Epoch seconds when `pid` started (/proc/PID/stat field 22 and the boot time), or None."""
    if not pid:
        return None
    try:
        with open("/proc/%d/stat" % int(pid)) as handle:
            ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat") as handle:
            boot = next(int(line.split()[1]) for line in handle if line.startswith("btime "))
        return boot + ticks / float(os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def op_perfdata(req):
    """`jstat -gc` figures from the JVM's perf data file, read without starting a JVM.

    The file is checked to belong to the expected JVM (its sun.rt.javaCommand): hosts in
    containers or PID namespaces that share /tmp can hold another JVM's file under the same pid.
    """
    path = req["path"]
    try:
        with open(path, "rb") as handle:
            data = handle.read(4 * 1024 * 1024)
    except OSError as exc:
        status, message = _error(exc)
        return {"status": status, "error": message}
    try:
        counters = _perf_counters(data)
    except (ValueError, IndexError) as exc:
        return {"status": "failed", "error": "unreadable perf data: %s" % exc}
    command = counters.get("sun.rt.javaCommand", "")
    if req.get("expect_command") and not command.startswith(req["expect_command"]):
        return {"status": "failed", "error": "%s belongs to another JVM (%s)" % (path, command[:80])}
    started = _process_start(req.get("pid"))
    created = counters.get("sun.rt.createVmBeginTime")
    if started is not None and created and abs(created / 1000.0 - started) > 10:
        return {"status": "failed", "error": "%s belongs to another JVM (started %ds apart: a shared /tmp across "
                "PID namespaces)" % (path, abs(created / 1000.0 - started))}
    frequency = float(counters.get("sun.os.hrt.frequency") or 1e9)
    names, values = [], []
    for name, key in JSTAT_GC:
        names.append(name)
        values.append("%.1f" % (counters[key] / 1024.0) if key in counters else "-")
    gct = 0.0
    for index, label in ((0, "YGC"), (1, "FGC"), (2, "CGC")):
        prefix = "sun.gc.collector.%d." % index
        if prefix + "invocations" in counters:
            seconds = counters[prefix + "time"] / frequency
            gct += seconds
            names += [label, label + "T"]
            values += [str(counters[prefix + "invocations"]), "%.3f" % seconds]
        else:
            names += [label, label + "T"]
            values += ["-", "-"]
    names.append("GCT")
    values.append("%.3f" % gct)
    widths = [max(len(n), len(v)) + 2 for n, v in zip(names, values)]
    content = "".join(n.rjust(w) for n, w in zip(names, widths)) + "\n" + \
        "".join(v.rjust(w) for v, w in zip(values, widths)) + "\n"
    return {"status": "ok", "content": content}


RUN_CLASS = re.compile(r"kafka-run-class\.sh[\"']?\s+(?:\$\{?\w+\}?\s+)*([A-Za-z_][\w.$]*)(?:\s|$)")
TOOL_LINE = re.compile(r"^@@KPT (\S+) (-?\d+) ([\d.]+) (\S*) (\S*)$")  # empty output: an empty field


def _main_class(script):
    """The main class a Kafka CLI script hands to kafka-run-class.sh, or None."""
    try:
        with open(script, "rb") as handle:
            text = _text(handle.read(65536))
    except OSError:
        return None
    found = RUN_CLASS.findall(text)
    return found[-1] if found else None


def _decode64(value):
    import base64  # noqa: PLC0415 - only here

    return _text(base64.b64decode(value)) if value and value != "-" else ""


def _tool_result(rc, seconds, out, err, argv, via):
    result = {"status": "ok" if rc == 0 else "failed", "rc": rc, "stdout": out, "stderr": err,
              "duration_s": seconds, "argv": argv, "via": via, "truncated": False}
    if rc == 124:
        result["error"] = "timed out"
    elif rc != 0:
        result["error"] = _failure(rc, err, out)
    return result


def _failure(rc, err, out):
    """exit code, then the head of stderr and of stdout (Kafka's tools print some errors on stdout)."""
    parts = ["exit code %d" % rc] + [h for h in (_head(err), _head(out, 2)) if h]
    return ": ".join(parts[:2]) + "".join(" | " + p for p in parts[2:])


def _one_jvm(req, tools):
    """Run `tools` (id, main class, argv) in one JVM with the ToolRunner source; {id: result}, error."""
    if not hasattr(os, "memfd_create"):
        return {}, "no memfd_create (Python < 3.8 or not Linux)"
    home = req["home"]
    jars = sorted(glob.glob(os.path.join(home, "libs", "*.jar")))
    if not jars:
        return {}, "no jar under %s/libs" % home
    opts = list(req.get("jvm_opts") or [])
    if os.path.exists(os.path.join(home, "config", "tools-log4j2.yaml")):
        opts.append("-Dlog4j2.configurationFile=" + os.path.join(home, "config", "tools-log4j2.yaml"))
    elif os.path.exists(os.path.join(home, "config", "tools-log4j.properties")):
        opts.append("-Dlog4j.configuration=file:" + os.path.join(home, "config", "tools-log4j.properties"))
    timeout, threads = int(float(req.get("timeout") or 60)), int(req.get("threads") or 3)
    fd = os.memfd_create("ToolRunner.java", 0)  # in memory only: nothing is written on the host
    try:
        os.write(fd, req["source"].encode())
        argv = [req["java"]] + opts + ["-cp", ":".join(jars), "--source", "11", "/proc/self/fd/%d" % fd,
                                       str(timeout), str(threads)]
        for ident, main_class, tool_argv in tools:
            argv += [ident, main_class, str(len(tool_argv) - 1)] + list(tool_argv[1:])
        retries = ["-Dkafkapilot.retry.%s=%d:%s" % (ident, attempts, pattern)
                   for ident, (pattern, attempts) in sorted((req.get("retries") or {}).items())]
        argv[1:1] = retries
        budget = timeout * (len(tools) // max(1, threads) + 1) + 60
        try:
            proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  pass_fds=(fd,), env=_env(req.get("env")), cwd="/", timeout=budget, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return {}, str(exc)[:300]
    finally:
        os.close(fd)
    found = {}
    argv_of = {ident: tool_argv for ident, _m, tool_argv in tools}
    for line in _text(proc.stdout).splitlines():
        match = TOOL_LINE.match(line)
        if match and match.group(1) in argv_of and match.group(1) not in found:
            found[match.group(1)] = _tool_result(int(match.group(2)), float(match.group(3)), _decode64(match.group(4)),
                                                 _decode64(match.group(5)), argv_of[match.group(1)], "one JVM")
    error = None if found else (_first_line(proc.stderr) or "the tool runner printed nothing (rc %d)" % proc.returncode)
    return found, error


def _run_tool(req, ident, argv):
    """One tool as a script, run again while it fails with its retry pattern (`retries`: id -> [regex, attempts])."""
    pattern, attempts = (req.get("retries") or {}).get(ident) or (None, 1)
    attempt = 0
    while attempt < int(attempts):
        attempt += 1
        result = op_run({"argv": argv, "env": req.get("env"), "timeout": req.get("timeout"),
                         "max_bytes": req.get("max_bytes")})
        text = (result.get("stdout") or "") + "\n" + (result.get("stderr") or "")
        if result.get("status") != "failed" or not pattern or not re.search(pattern, text):
            break
    if attempt > 1:
        result["stderr"] = (result.get("stderr") or "") + "kafkapilot: attempt %d of %s (the earlier ones failed " \
            "with %s)\n" % (attempt, attempts, pattern)
    if result.get("status") == "failed" and result.get("rc") not in (None, 0) and "timed out" not in result.get("error", ""):
        result["error"] = _failure(result["rc"], result.get("stderr"), result.get("stdout"))
    return result


def op_toolrun(req):
    """Kafka CLI tools: all in one JVM where the JDK compiles source in memory, else script by script."""
    pending = []
    for tool in req.get("tools", []):
        main_class = _main_class(tool["argv"][0]) if os.access(tool["argv"][0], os.X_OK) else None
        pending.append((tool["id"], main_class, tool["argv"]))
    runnable = [t for t in pending if t[1]]
    results, error = _one_jvm(req, runnable) if runnable and req.get("one_jvm", True) else ({}, None)
    rest = [t for t in pending if t[0] not in results]
    if rest:
        with ThreadPoolExecutor(max_workers=max(1, int(req.get("threads") or 3))) as pool:
            runs = {ident: pool.submit(_run_tool, req, ident, argv) for ident, _m, argv in rest}
            for ident, future in runs.items():
                results[ident] = dict(future.result(), via="script")
    limit = int(req.get("max_bytes") or DEFAULT_MAX * 64)
    for result in results.values():
        if len(result.get("stdout") or "") > limit:
            result.update(stdout=result["stdout"][:limit], truncated=True)
    return {"status": "ok", "tools": results, "one_jvm_error": error}


# Lines of `keytool -list -rfc` kept next to the certificates.
KEYTOOL_KEEP = re.compile(r"^(Alias name|Entry type|Certificate\[\d+\]):")


def _public_lines(text):
    """The CERTIFICATE blocks and keytool's alias lines of `text`; everything else (keys) is dropped."""
    kept, block = [], False
    for line in text.splitlines():
        block = block or line.startswith("-----BEGIN CERTIFICATE-----")
        if block or KEYTOOL_KEEP.match(line):
            kept.append(line)
        block = block and not line.startswith("-----END CERTIFICATE-----")
    if not any(line.startswith("-----BEGIN CERTIFICATE-----") for line in kept):
        return None
    return "\n".join(kept) + "\n"


def _property(path, key):
    """(value, None) of `key` in a .properties file; (None, None) when absent; (None, result) on error."""
    try:
        text = _read_small(path)
    except OSError as exc:
        status, message = _error(exc)
        return None, {"status": status, "error": "%s: %s" % (path, message)}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        match = re.match(r"([^=:\s]+)\s*[=:\s]\s*(.*)$", line)
        if match and match.group(1) == key:
            return match.group(2).strip(), None
    return None, None


PROVIDER_REF = re.compile(r"^\$\{(?P<name>[^:}]+):(?P<path>[^:}]*):(?P<key>[^}]+)\}$")


def _store_password(req):
    """(password, None) for op_certs, or (None, result) saying why there is none. Inline values,
    FileConfigProvider and DirectoryConfigProvider references and ZooKeeper's passwordPath are
    resolved here, on the host; other providers are not."""
    config, key = req["config"], req["password_key"]
    value, problem = _property(config, key)
    if problem:
        return None, problem
    if not value and req.get("password_path_key"):
        path, problem = _property(config, req["password_path_key"])
        if problem or path:
            return (None, problem) if problem else _file_password(path)
    if not value:
        return None, {"status": "skipped", "error": "no %s in %s: keytool needs the store password" % (key, config)}
    ref = PROVIDER_REF.match(value)
    if not ref and "${" in value:
        return None, {"status": "skipped", "error": "%s is not a config provider reference keytool can use" % key}
    if not ref:
        return value, None
    provider = (req.get("providers") or {}).get(ref.group("name"), "")
    if provider.endswith(".FileConfigProvider"):
        value, problem = _property(ref.group("path"), ref.group("key"))
        if problem or not value:
            return None, problem or {"status": "skipped", "error": "no %s in %s" % (ref.group("key"), ref.group("path"))}
        return value, None
    if provider.endswith(".DirectoryConfigProvider"):
        return _file_password(os.path.join(ref.group("path"), ref.group("key")))
    return None, {"status": "skipped", "error": "%s comes from config provider %r (%s): not resolved" % (
        key, ref.group("name"), provider or "unknown class")}


def _file_password(path):
    """(the content of a password file, None), or (None, why not)."""
    try:
        value = _read_small(path).strip()
    except OSError as exc:
        status, message = _error(exc)
        return None, {"status": status, "error": "%s: %s" % (path, message)}
    return (value, None) if value else (None, {"status": "skipped", "error": "%s is empty" % path})


def op_certs(req):
    """The public certificates of a keystore (`keytool -list -rfc`, or the CERTIFICATE blocks of a PEM
    keystore), with their alias lines. The password is read from the config file here, on the host,
    and handed to keytool through its environment: it is never returned, nor is any key."""
    path, kind = req["path"], str(req.get("type") or "JKS").upper()
    if kind == "PEM":
        try:
            text = _read_small(path)
        except OSError as exc:
            status, message = _error(exc)
            return {"status": status, "error": message}
        content = _public_lines(text)
        if content is None:
            return {"status": "failed", "error": "no certificate in the PEM file"}
        return {"status": "ok", "content": content}
    password, problem = _store_password(req)
    if problem:
        return problem
    if not os.access(path, os.R_OK):
        exists = os.path.exists(path)
        return {"status": "denied" if exists else "missing",
                "error": "%s: %s" % (path, "permission denied" if exists else "no such file or directory")}
    result = op_run({"argv": [req.get("keytool") or "keytool", "-J-XX:-UsePerfData", "-J-Xmx64m", "-list", "-rfc",
                              "-keystore", path, "-storetype", kind, "-storepass:env", "KP_STOREPASS"],
                     "env": {"KP_STOREPASS": password}, "timeout": req.get("timeout") or 60})
    if result.get("status") != "ok":
        return {"status": result["status"], "error": result.get("error"), "argv": result.get("argv")}
    content = _public_lines(result["stdout"])
    if content is None:
        return {"status": "failed", "error": "keytool listed no certificate", "argv": result.get("argv")}
    return {"status": "ok", "content": content, "argv": result.get("argv")}


OPS = dict((name, globals()["op_" + name]) for name in OP_NAMES)


def execute(req):
    started = time.time()
    function = OPS.get(req.get("op"))
    if function is None:
        return {"status": "failed", "error": "unknown op %r" % req.get("op")}
    try:
        result = function(req)
    except Exception as exc:  # noqa: BLE001 - one broken request never stops the others
        result = {"status": "failed", "error": "%s: %s" % (type(exc).__name__, exc)}
    result.setdefault("duration_s", round(time.time() - started, 3))
    return result


def run_all(ops, concurrency=4):
    results = {}
    with ThreadPoolExecutor(max_workers=max(1, int(concurrency))) as pool:
        futures = [(req.get("id"), pool.submit(execute, req)) for req in ops]
        for ident, future in futures:
            results[ident] = future.result()
    return results


def main():
    module = AnsibleModule(
        argument_spec={"ops": {"type": "list", "elements": "dict", "required": True},
                       "concurrency": {"type": "int", "default": 4}},
        supports_check_mode=True,
    )
    started = time.time()
    results = run_all(module.params["ops"], module.params["concurrency"])
    module.exit_json(changed=False, answers=results, elapsed_s=round(time.time() - started, 3),
                     python="%d.%d" % tuple(sys.version_info[:2]), now_epoch=time.time())


if __name__ == "__main__":
    main()
