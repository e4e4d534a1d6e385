"""Command line of tests/lab/lab: up, down, status, ssh, and service control for failure tests."""
from __future__ import annotations

import argparse
import json
import os
import sys

from .errors import LabError
from .paths import SSH_CONFIG
from .scenarios import scenario_names
from .topology import TOPOLOGIES

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tests/lab/lab", description="A real multi-host Kafka lab on one machine.")
    sub = p.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up", help="start the lab (or keep the running one) and print its inventory path")
    up.add_argument("--topology", default="kraft", choices=TOPOLOGIES)
    up.add_argument("--scenario", default="healthy", help=f"one of: {', '.join(scenario_names())}")
    up.add_argument("--keep", action="store_true", help="on failure, leave the partial lab up for inspection")
    sub.add_parser("down", help="stop everything and remove every trace of the lab")
    st = sub.add_parser("status", help="show hosts, addresses, pids and services")
    st.add_argument("--json", action="store_true")
    for svc in ("sshd", "kafka", "zookeeper"):
        s = sub.add_parser(svc, help=f"stop or start {svc} on one host (failure tests)")
        s.add_argument("action", choices=("stop", "start"))
        s.add_argument("host")
    ssh = sub.add_parser("ssh", help="ssh to a lab host with the lab's ssh_config (brokers via the bastion)")
    ssh.add_argument("host")
    ssh.add_argument("command", nargs=argparse.REMAINDER)
    return p


def _print_status(info: dict) -> None:
    if not info.get("hosts"):
        print("lab is down")
        return
    print(f"topology {info['topology']}  scenario {info['scenario']}  Kafka {info['kafka_version']}  "
          f"{'UP' if info['up'] else 'NOT UP (' + str(info['status']) + ')'}")
    print(f"inventory {info['inventory']}")
    print(f"{'HOST':<14}{'ADDRESS':<14}{'INIT PID':<10}{'ROLES':<22}{'RSS MB':<8}{'PEAK MB':<9}"
          "SERVICES (pid inside the host)")
    for name, h in info["hosts"].items():
        services = ", ".join(f"{s}={pid}" for s, pid in h.get("services", {}).items()) or h.get("error", "-")
        alive = h["init_pid"] if h["alive"] else "dead"
        print(f"{name:<14}{h['ip']:<14}{alive!s:<10}{','.join(h['roles']):<22}{h.get('rss_mb', '-')!s:<8}"
              f"{h.get('peak_rss_mb', '-')!s:<9}{services}")
    if info["up"]:
        total = sum(h.get("rss_mb", 0) for h in info["hosts"].values())
        peak = sum(h.get("peak_rss_mb", 0) for h in info["hosts"].values())
        print(f"lab memory: {total} MB resident now, {peak} MB sum of per-process peaks")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from . import lab  # noqa: PLC0415 - after parsing, so --help works anywhere

    try:
        if args.cmd == "up":
            print(lab.up(args.topology, args.scenario, keep_on_failure=args.keep), flush=True)
        elif args.cmd == "down":
            lab.down()
        elif args.cmd == "status":
            info = lab.status()
            print(json.dumps(info, indent=1)) if args.json else _print_status(info)
        elif args.cmd in ("sshd", "kafka", "zookeeper"):
            reply = lab.service(args.action, args.host, args.cmd)
            print(f"{args.cmd} {args.action} on {args.host}: {json.dumps(reply)}")
        elif args.cmd == "ssh":
            if not SSH_CONFIG.exists():
                raise LabError("the lab is not up (no ssh_config); run tests/lab/lab up")
            os.execvp("ssh", ["ssh", "-F", str(SSH_CONFIG), args.host, *args.command])  # noqa: S606 - becomes ssh
    except LabError as exc:
        print(f"lab: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lab: interrupted", file=sys.stderr)
        return 130
    return 0
