"""The raw transport: the module's requests as one POSIX shell script, for hosts without a usable Python.

Same requests, same result shape as the host_requests module (plugins/modules/host_requests.py),
built from coreutils (cat, head, tail, stat, base64, du, ls, sha256sum, timeout) and read
back from `@@KP <n> <field> <value>` lines (values base64). Nothing is written on the host.
Differences: command output keeps its end when cut (tail -c) and has stderr merged into it;
ZooKeeper four-letter words are not sent; the time window of logs is cut on the controller.
"""

from __future__ import annotations

import base64
import re
import shlex
import time
from collections.abc import Callable
from typing import Any, Final

__all__ = ["build_script", "parse_output", "raw_execute"]

RawCommand = Callable[[str], tuple[int, str, str]]
_PRELUDE: Final = r"""
exec 4>&1
kp_b64() { base64 | tr -d '\n'; }
kp_stat() { stat -Lc '%a %U %G %s %Y' "$1" 2>/dev/null; }
kp_read() { # id path max tail
  if [ ! -e "$2" ]; then echo "@@KP $1 status missing"; return; fi
  if [ -d "$2" ]; then echo "@@KP $1 status failed"; return; fi
  if [ ! -r "$2" ]; then echo "@@KP $1 status denied"; return; fi
  echo "@@KP $1 stat $(kp_stat "$2")"
  printf '@@KP %s content ' "$1"
  if [ "$4" = tail ]; then tail -c "$3" "$2" | kp_b64; else head -c "$3" "$2" | kp_b64; fi
  echo; echo "@@KP $1 status ok"
}
kp_run() { # id max timeout argv...: stdout (its end when cut) and stderr apart, no temp file
  kp_id=$1; kp_max=$2; kp_t=$3; shift 3
  if ! command -v "$1" >/dev/null 2>&1; then echo "@@KP $kp_id status missing"; return; fi
  kp_to=""; command -v timeout >/dev/null 2>&1 && kp_to="timeout $kp_t"
  printf '@@KP %s out ' "$kp_id"
  kp_e=$( { { $kp_to "$@"; echo "@@RC=$?"; } 2>&3 | tail -c "$kp_max" | kp_b64 >&4; } 3>&1 | tail -c 4096 | kp_b64 )
  echo; echo "@@KP $kp_id err $kp_e"; echo "@@KP $kp_id status ok"
}
kp_now=$(date +%s)
"""
_MATCH_PROCS: Final = """for d in /proc/[0-9]*; do
  c=$(tr '\\0' '\\n' < "$d/cmdline" 2>/dev/null) || continue
  case "$c" in {cases}) ;; *) continue ;; esac
{required}  p=${{d#/proc/}}
  echo "@@KP {n} proc $p $(printf '%s' "$c" | kp_b64) $(stat -c '%u %U' "$d")"
  for f in status limits cgroup; do
    if [ -r "$d/$f" ]; then echo "@@KP {n} p$p.$f $(kp_b64 < "$d/$f")"; else echo "@@KP {n} p$p.$f !denied"; fi
  done
  if ls "$d/fd" >/dev/null 2>&1; then echo "@@KP {n} p$p.fd $(ls "$d/fd" | wc -l)"; else echo "@@KP {n} p$p.fd !denied"; fi
  if [ -r "$d/maps" ] && m=$(wc -l < "$d/maps" 2>/dev/null); then echo "@@KP {n} p$p.maps $m"; else echo "@@KP {n} p$p.maps !denied"; fi
  echo "@@KP {n} p$p.exe $(readlink "$d/exe" 2>/dev/null | kp_b64)"
  echo "@@KP {n} p$p.cwd $(readlink "$d/cwd" 2>/dev/null | kp_b64)"
done
"""
_STAMP: Final = re.compile(r"^\[?(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)")


def _q(value: object) -> str:
    return shlex.quote(str(value))


def _glob(pattern: str) -> str:
    """A shell word that globs like `pattern` (only * is special; the rest is quoted)."""
    return "*".join(shlex.quote(part) if part else "" for part in pattern.split("*"))


def _op_script(n: int | str, req: dict[str, Any]) -> str:  # noqa: C901, PLR0911 - one branch per op
    op = req.get("op")
    max_bytes = int(req.get("max_bytes") or 1024 * 1024)
    if op == "read":
        return f"kp_read {n} {_q(req['path'])} {max_bytes} {'tail' if req.get('tail') else 'head'}\n"
    if op == "stat":
        digest = f'echo "@@KP {n} sha256 $(sha256sum {_q(req["path"])} 2>/dev/null | cut -d" " -f1)"' if req.get("sha256") else "true"
        return (f"if [ -e {_q(req['path'])} ]; then echo \"@@KP {n} stat $(kp_stat {_q(req['path'])})\"; {digest}; "
                f"echo \"@@KP {n} status ok\"; else echo \"@@KP {n} status missing\"; fi\n")
    if op == "glob":
        return "".join(f"for f in {_glob(p)}; do [ -e \"$f\" ] && echo \"@@KP {n} path $(printf '%s' \"$f\" | kp_b64) "
                       f"$(kp_stat \"$f\")\"; done\n" for p in req.get("patterns", []))
    if op == "run":
        alternatives = req.get("alternatives") or [req["argv"]]
        parts = [f"if command -v {_q(argv[0])} >/dev/null 2>&1; then kp_run {n} {max_bytes} "
                 f"{int(float(req.get('timeout') or 60))} {' '.join(_q(a) for a in argv)}; "
                 f"echo \"@@KP {n} argv {base64.b64encode(' '.join(argv).encode()).decode()}\"" for argv in alternatives]
        env = " ".join(f"{k}={_q(v)}" for k, v in (req.get("env") or {}).items())
        script = "; el".join(parts) + f"; else echo \"@@KP {n} status missing\"; fi\n"
        return f"( export {env}; {script} )\n" if env else script
    if op == "procs":
        cases = "|".join(f"*{_q(m)}*" for m in req.get("match", []))
        required = "".join(f"  case \"$c\" in *{_q(m)}*) ;; *) continue ;; esac\n" for m in req.get("require", []))
        return _MATCH_PROCS.format(n=n, cases=cases, required=required)
    if op == "units":
        needles = " ".join(f"-e {_q(m)}" for m in req.get("match", []))
        names = "|".join(f"*{_q(m)}*" for m in req.get("match", []))
        dirs = " ".join(_glob(d + "/*.service") for d in req.get("dirs", []))
        return (f"for f in {dirs}; do [ -f \"$f\" ] || continue; grep -q {needles} \"$f\" 2>/dev/null || case \"$f\" in "
                f"{names}) ;; *) continue ;; esac; echo \"@@KP {n} unit $(printf '%s' \"$f\" | kp_b64) $(kp_b64 < \"$f\") "
                f"$(kp_stat \"$f\")\"; for g in \"$f.d\"/*.conf; do [ -f \"$g\" ] && echo \"@@KP {n} dropin "
                f"$(printf '%s' \"$f\" | kp_b64) $(printf '%s' \"$g\" | kp_b64)\"; done; done\n")
    if op == "dirusage":
        return "".join(f"if k=$(du -sk {_q(d)} 2>/dev/null | cut -f1) && [ -n \"$k\" ]; then echo \"@@KP {n} du "
                       f"$(printf '%s' {_q(d)} | kp_b64) $k $(ls {_q(d)} | grep -c -E '^.+-[0-9]+$')\"; else "
                       f"echo \"@@KP {n} du $(printf '%s' {_q(d)} | kp_b64) !denied\"; fi\n" for d in req.get("dirs", []))
    if op == "sysctl":
        keys = " ".join(_q(k) for k in req.get("keys", []))
        return (f"for k in {keys}; do p=/proc/sys/$(echo \"$k\" | tr . /); [ -r \"$p\" ] && "
                f"echo \"@@KP {n} line $(printf '%s = %s' \"$k\" \"$(tr -s '\\t ' '  ' < \"$p\")\" | kp_b64)\"; done\n")
    if op == "nproc":
        return f"echo \"@@KP {n} nproc $(nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo)\"\n"
    if op == "clock":  # every tool in turn; the first that answers wins (parse_output)
        limits = {"timeout": req.get("timeout") or 10, "max_bytes": req.get("max_bytes") or 65536}
        return "".join(_op_script(f"{n}.{k}", {"op": "run", "argv": argv, **limits})
                       for k, argv in enumerate(req.get("alternatives", [])))
    if op == "http":
        return _op_script(n, {"op": "run", "argv": ["curl", "-sf", "--max-time", "10", req["url"]],
                              "alternatives": [["curl", "-sf", "--max-time", "10", req["url"]],
                                               ["wget", "-qO-", "-T", "10", req["url"]]],
                              "max_bytes": max_bytes})
    if op == "logs":
        return _logs_script(n, req)
    if op == "toolrun":  # one script per tool (no in-memory Java without Python)
        return "".join(_op_script(f"{n}.{k}", {"op": "run", "argv": t["argv"], "env": req.get("env"),
                                               "timeout": req.get("timeout"), "max_bytes": req.get("max_bytes")})
                       for k, t in enumerate(req.get("tools", [])))
    return f"echo \"@@KP {n} status skipped\"\n"


def _logs_script(n: int, req: dict[str, Any]) -> str:
    hours = float(req.get("window_hours") or 24)
    per_file = int(req.get("max_bytes") or 1024 * 1024)
    lines = [f"kp_cut=$((kp_now - {int(hours * 3600)}))"]
    for index, spec in enumerate(req.get("files", [])):
        main = spec["path"]
        lines.append(f"kp_read {n}.{index}.0 {_q(main)} {per_file} tail")
        rotated = " ".join(_glob(p) for p in spec.get("rotated", []))
        if rotated:
            lines.append(
                f"k=0; for f in {rotated}; do [ -f \"$f\" ] && [ \"$f\" != {_q(main)} ] || continue; "
                f"m=$(stat -c %Y \"$f\"); [ \"$m\" -ge \"$kp_cut\" ] || continue; k=$((k+1)); "
                f"echo \"@@KP {n}.{index}.$k rotated $(printf '%s' \"$f\" | kp_b64)\"; "
                f"kp_read {n}.{index}.$k \"$f\" {per_file} tail; done"
            )
    return "\n".join(lines) + "\n"


def build_script(ops: list[dict[str, Any]]) -> str:
    """One shell script answering every request (reads, commands, process scan …)."""
    body = "".join(_op_script(n, req) for n, req in enumerate(ops))
    return _PRELUDE + body + "echo @@KP-END\n"


def _decode(value: str) -> str:
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4)).decode("utf-8", errors="replace")
    except (ValueError, TypeError):
        return ""


def _meta(text: str) -> dict[str, Any]:
    parts = text.split()
    if len(parts) < 5:
        return {}
    mode, owner, group, size, mtime = parts[:5]
    return {"mode": mode.zfill(4), "owner": owner, "group": group, "size": int(size), "mtime_epoch": float(mtime),
            "mtime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(float(mtime)))}


def _cut_window(text: str, hours: float) -> tuple[str, bool]:
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(time.time() - hours * 3600))
    offset, stamped = 0, False
    for line in text.splitlines(keepends=True):
        match = _STAMP.match(line)
        if match:
            stamped = True
            if f"{match.group(1)} {match.group(2)}" >= since:
                return text[offset:], offset > 0
        offset += len(line)
    return ("", bool(text)) if stamped else (text, False)


def _fields(stdout: str) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for line in stdout.splitlines():
        if not line.startswith("@@KP "):
            continue
        parts = line.split(" ", 3)
        if len(parts) >= 3:
            found.setdefault(parts[1], []).append((parts[2], parts[3] if len(parts) > 3 else ""))
    return found


def _read_result(items: list[tuple[str, str]], max_bytes: int, tail: bool) -> dict[str, Any]:
    data = dict(items)
    status = data.get("status", "failed")
    result: dict[str, Any] = {"status": status}
    if status == "missing":
        result["error"] = "no such file or directory"
    elif status == "denied":
        result["error"] = "permission denied"
    elif status == "failed":
        result["error"] = "is a directory or unreadable"
    if "stat" in data:
        result.update(_meta(data["stat"]))
    if status == "ok":
        content = _decode(data.get("content", ""))
        if tail and result.get("size", 0) > max_bytes:
            content = content.split("\n", 1)[1] if "\n" in content else content
        result.update(content=content, truncated=result.get("size", 0) > max_bytes, bytes=len(content))
    return result


def _run_result(items: list[tuple[str, str]]) -> dict[str, Any]:
    data = dict(items)
    if data.get("status") != "ok":
        return {"status": data.get("status", "missing"), "error": "command not found"}
    out = _decode(data.get("out", ""))
    rc_match = re.search(r"@@RC=(\d+)\s*$", out)
    rc = int(rc_match.group(1)) if rc_match else None
    out = out[: rc_match.start()] if rc_match else out
    result = {"status": "ok" if rc == 0 else "failed", "rc": rc, "stdout": out, "stderr": _decode(data.get("err", "")),
              "argv": _decode(data.get("argv", "")).split()}
    if rc == 124:
        result["error"] = "timed out"
    elif rc:
        text = result["stderr"] + "\n" + out
        result["error"] = next((ln.strip() for ln in text.splitlines() if ln.strip()), f"exit code {rc}")[:300]
    return result


def _procs_result(items: list[tuple[str, str]]) -> dict[str, Any]:
    procs: dict[str, dict[str, Any]] = {}
    for field, value in items:
        if field == "proc":
            pid, args, *rest = value.split(" ")
            procs[pid] = {"pid": int(pid), "args": _decode(args).rstrip("\n").split("\n"),
                          "uid": int(rest[0]) if rest and rest[0].isdigit() else None,
                          "user": rest[1] if len(rest) > 1 else None}
            continue
        pid, _sep, name = field[1:].partition(".")
        proc = procs.get(pid)
        if proc is None:
            continue
        denied = {"status": "denied", "error": "permission denied"}
        if name in ("status", "limits", "cgroup"):
            proc[name] = denied if value == "!denied" else {"status": "ok", "content": _decode(value)}
        elif name in ("fd", "maps"):
            key = "fd_count" if name == "fd" else "map_count"
            proc[key] = denied if value == "!denied" else {"status": "ok", "content": int(value.strip() or 0)}
        elif name in ("exe", "cwd"):
            text = _decode(value).strip()
            proc[name] = {"status": "ok", "content": text} if text else denied
    return {"status": "ok", "processes": list(procs.values())}


def _result(req: dict[str, Any], items: list[tuple[str, str]], nested: dict[str, list[tuple[str, str]]], n: int) -> dict[str, Any]:  # noqa: C901, PLR0911
    op = req.get("op")
    if op == "read":
        return _read_result(items, int(req.get("max_bytes") or 1024 * 1024), bool(req.get("tail")))
    if op == "stat":
        data = dict(items)
        if data.get("status") != "ok":
            return {"status": "missing", "error": "no such file or directory"}
        return {"status": "ok", **_meta(data.get("stat", "")), **({"sha256": data["sha256"]} if data.get("sha256") else {})}
    if op == "glob":
        return {"status": "ok", "paths": [{"path": _decode(v.split(" ", 1)[0]), **_meta(v.split(" ", 1)[1] if " " in v else "")}
                                          for f, v in items if f == "path"]}
    if op == "clock":
        for k, argv in enumerate(req.get("alternatives", [])):
            result = _run_result(nested.get(f"{n}.{k}", []))
            if result["status"] == "ok" and result["stdout"].strip():
                return {**result, "source": " ".join(argv)}
        return {"status": "missing", "error": "none of " + ", ".join(a[0] for a in req.get("alternatives", [])) + " answered"}
    if op in ("run", "http"):
        return _run_result(items)
    if op == "procs":
        return _procs_result(items)
    if op == "units":
        units: dict[str, dict[str, Any]] = {}
        for field, value in items:
            parts = value.split(" ")
            path = _decode(parts[0])
            if field == "unit":
                units[path] = {"name": path.rsplit("/", 1)[-1], "path": path, "content": _decode(parts[1]),
                               "dropins": [], **_meta(" ".join(parts[2:]))}
            elif field == "dropin" and path in units:
                units[path]["dropins"].append({"path": _decode(parts[1])})
        seen: dict[str, dict[str, Any]] = {}
        for unit in units.values():
            seen.setdefault(unit["name"], unit)
        return {"status": "ok", "units": list(seen.values())}
    if op == "dirusage":
        rows = []
        for _field, value in items:
            parts = value.split(" ")
            directory = _decode(parts[0])
            if parts[1] == "!denied":
                rows.append({"dir": directory, "status": "denied", "error": "permission denied"})
            else:
                rows.append({"dir": directory, "status": "ok", "kbytes": int(parts[1]), "partitions": int(parts[2])})
        return {"status": "ok", "rows": rows}
    if op == "sysctl":
        lines = [_decode(v) for f, v in items if f == "line"]
        return {"status": "ok", "content": "\n".join(lines) + "\n"} if lines else {"status": "failed", "error": "no key readable"}
    if op == "nproc":
        return {"status": "ok", "content": dict(items).get("nproc", "0").strip() + "\n"}
    if op == "logs":
        return _logs_result(req, nested, n)
    if op == "fourlw":
        return {"status": "skipped", "error": "not sent without Python on the host (raw transport)"}
    if op == "toolrun":
        tools = {t["id"]: {**_run_result(nested.get(f"{n}.{k}", [])), "via": "script"} for k, t in enumerate(req.get("tools", []))}
        return {"status": "ok", "tools": tools, "one_jvm_error": "raw transport"}
    return {"status": "skipped", "error": f"{op} is not available with the raw transport"}


def _logs_result(req: dict[str, Any], nested: dict[str, list[tuple[str, str]]], n: int) -> dict[str, Any]:
    hours = float(req.get("window_hours") or 24)
    per_file = int(req.get("max_bytes") or 1024 * 1024)
    budget = int(req.get("max_total") or per_file * 8)
    files = []
    for index, spec in enumerate(req.get("files", [])):
        keys = sorted((k for k in nested if k.startswith(f"{n}.{index}.")), key=lambda k: int(k.rsplit(".", 1)[1]))
        for key in keys:
            items = nested[key]
            rotated = next((_decode(v) for f, v in items if f == "rotated"), None)
            result = _read_result([i for i in items if i[0] != "rotated"], per_file, tail=True)
            if result["status"] == "ok":
                content, cut = _cut_window(result["content"], hours)
                content = content[-budget:] if budget > 0 else ""
                budget -= len(content)
                result.update(content=content, bytes=len(content), truncated=result.get("truncated") or cut)
            result.update(path=rotated or spec["path"], rotated_of=spec["path"] if rotated else None)
            files.append(result)
    return {"status": "ok", "files": files}


def parse_output(ops: list[dict[str, Any]], stdout: str) -> dict[str, dict[str, Any]]:
    """The results of `build_script(ops)` from its output, keyed like the module's."""
    fields = _fields(stdout)
    results = {}
    for n, req in enumerate(ops):
        results[req.get("id")] = _result(req, fields.get(str(n), []), fields, n)
    return results


def raw_execute(run: RawCommand, ops: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Run the requests with one raw command; `run(script)` returns (rc, stdout, stderr)."""
    _rc, stdout, stderr = run(build_script(ops))
    if "@@KP-END" not in stdout:
        from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.host import TransportError  # noqa: PLC0415 - avoid a cycle

        detail = " ".join((stderr or stdout or "no output").split())[-200:]
        raise TransportError(f"the raw collection script did not finish: {detail}")
    return parse_output(ops, stdout)
