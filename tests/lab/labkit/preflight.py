"""Checks that `up` can work at all, each failing with one clear line."""
from __future__ import annotations

import os
import shutil
import subprocess

from .errors import LabError

__all__ = ["check_root", "check_tools", "java_binary"]

# tool -> hint shown when it is missing
_TOOLS = {
    "java": "install a JDK 17+ (apt-get install -y openjdk-17-jdk-headless)",
    "keytool": "install a JDK 17+ (apt-get install -y openjdk-17-jdk-headless)",
    "mvn": "install Maven (apt-get install -y maven)",
    "ssh": "install the OpenSSH client (apt-get install -y openssh-client)",
    "ssh-keygen": "install the OpenSSH client (apt-get install -y openssh-client)",
    "unshare": "install util-linux",
    "nsenter": "install util-linux",
    "ip": "install iproute2 (apt-get install -y iproute2)",
}


def check_root() -> None:
    if os.geteuid() != 0:
        msg = ("the lab must run as root (it creates namespaces, mounts and loopback addresses); try: sudo "
               "tests/lab/lab up")
        raise LabError(msg)


def java_binary() -> str:
    java = shutil.which("java")
    if java is None:
        raise LabError(f"Java is missing: no `java` on PATH; {_TOOLS['java']}")
    return java


def check_tools() -> None:
    java_binary()
    for tool, hint in _TOOLS.items():
        if shutil.which(tool) is None:
            raise LabError(f"`{tool}` is missing; {hint}")
    if not os.path.exists("/usr/sbin/sshd"):
        raise LabError("sshd is missing: /usr/sbin/sshd not found; apt-get install -y openssh-server")
    out = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise LabError(f"`java -version` failed: {out.stderr.strip()[:200]}")
    first = out.stderr.splitlines()[0] if out.stderr else ""
    try:
        major = int(first.split('"')[1].split(".")[0])
    except (IndexError, ValueError):
        major = 0
    if major and major < 17:
        raise LabError(f"Kafka 4 brokers need Java 17+, found: {first}")
