"""One-line reasons for unreachable hosts, from ssh's error output; and the probe's answer.

ssh through a ProxyJump mixes the jump host's and the target's errors in one stream; the
reason names which side failed (DNS, auth, host key, refused, timeout, the bastion), so
that "kafka-3: sshd down" is not mistaken for "the bastion is down".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["PROBE_SCRIPT", "ProbeAnswer", "parse_probe", "probe_script", "unreachable_reason"]

#: Run with `raw` (no Python needed): who we are, which Pythons exist (newest first, stopping at
#: the first one recent enough), whether systemd runs. {minimum} is the oldest usable (3, 8).
PROBE_SCRIPT: Final = (
    "echo kp-probe-1; id -un 2>/dev/null; "
    "for p in python3.14 python3.13 python3.12 python3.11 python3.10 python3.9 python3.8 /usr/bin/python3 python3 "
    "/usr/libexec/platform-python python; do x=$(command -v \"$p\" 2>/dev/null) && "
    "\"$x\" -c 'import sys; v = sys.version_info; print(\"kp-python %s %d.%d\" % (sys.executable, v[0], v[1])); "
    "sys.exit(0 if v[:2] >= {minimum} else 3)' 2>/dev/null && break; done; "
    "[ -d /run/systemd/system ] && echo kp-systemd; true"
)


def probe_script(minimum: tuple[int, int]) -> str:
    return PROBE_SCRIPT.replace("{minimum}", f"({minimum[0]}, {minimum[1]})")


_HOST_IN: Final = re.compile(r"connect to host (\S+) port (\d+)")
_USER_AT: Final = re.compile(r"([\w.-]+)@([\w.:-]+): Permission denied")


@dataclass(frozen=True)
class ProbeAnswer:
    ok: bool
    user: str | None
    pythons: tuple[tuple[str, tuple[int, int]], ...]
    systemd: bool

    def best_python(self, minimum: tuple[int, int]) -> str | None:
        usable = [(v, p) for p, v in self.pythons if v >= minimum]
        return max(usable)[1] if usable else None


def parse_probe(stdout: str) -> ProbeAnswer:
    lines = [line.strip() for line in stdout.splitlines() if line.strip()]
    if "kp-probe-1" not in lines:
        return ProbeAnswer(False, None, (), False)
    after = lines[lines.index("kp-probe-1") + 1 :]
    user = after[0] if after and not after[0].startswith("kp-") else None
    pythons = []
    for line in after:
        match = re.match(r"^kp-python (\S+) (\d+)\.(\d+)$", line)
        if match:
            pythons.append((match.group(1), (int(match.group(2)), int(match.group(3)))))
    return ProbeAnswer(True, user, tuple(dict.fromkeys(pythons)), "kp-systemd" in after)


def _is(host: str | None, *names: str | None) -> bool:
    return bool(host) and any(host == n for n in names if n)


def unreachable_reason(message: str, *, target: str, address: str | None, proxy: str | None,
                       proxy_address: str | None = None) -> str:
    """One line: which hop failed and why (DNS, auth, host key, refused, timeout …)."""
    text = " ".join(message.split())
    via = f" through the bastion {proxy}" if proxy else ""
    bastion = f"the bastion {proxy}" + (f" ({proxy_address})" if proxy_address and proxy_address != proxy else "")
    dns = re.search(r"Could not resolve hostname (\S+?):", text)
    if dns:
        who = dns.group(1)
        if proxy and _is(who, proxy, proxy_address):
            return f"bastion unreachable: DNS cannot resolve {bastion}"
        return f"DNS: cannot resolve {who}"
    if re.search(r"open failed: .*(Name or service not known|No address associated|Temporary failure in name resolution)", text):
        return f"DNS: {bastion} cannot resolve {address or target}"
    if "Permission denied" in text:
        who = _USER_AT.search(text)
        if who and proxy and _is(who.group(2), proxy, proxy_address):
            return f"bastion auth failed: {bastion} refused the key of user {who.group(1)}"
        user = f" for user {who.group(1)}" if who else ""
        return f"auth failed{user} on {target}{via} (key not accepted)"
    if "Host key verification failed" in text or "REMOTE HOST IDENTIFICATION HAS CHANGED" in text:
        known = re.search(r"host key (?:is known )?for (\S+)", text, re.IGNORECASE)
        who = known.group(1).strip('"') if known else None
        if proxy and who and _is(who, proxy, proxy_address):
            return f"bastion host key verification failed for {bastion} (pin it in known_hosts)"
        return f"host key verification failed for {who or target}{via} (pin it in known_hosts)"
    refused = _HOST_IN.search(text)
    if refused and proxy and _is(refused.group(1), proxy, proxy_address):
        cause = _cause(text)
        return f"bastion unreachable: {bastion} port {refused.group(2)}: {cause}"
    if re.search(r"open failed: connect failed: (.+?)(?: stdio forwarding failed|$)", text):
        cause = re.search(r"open failed: connect failed: (.+?)(?: stdio forwarding failed|$)", text)
        detail = cause.group(1).strip() if cause else "failed"
        return f"ssh: {bastion} could not connect to {address or target}:22: {detail} (sshd down or firewalled?)"
    if refused:
        return f"ssh: {refused.group(1)} port {refused.group(2)}: {_cause(text)}{via}"
    if "timed out" in text.lower() or "timeout" in text.lower():
        return f"timeout: no SSH answer from {target}{via}"
    if proxy and ("kex_exchange_identification" in text or "Connection closed by UNKNOWN" in text):
        # the jump hop itself did not complain (no connect/auth error): it was reached, the forward failed
        return (f"ssh: {bastion} was reached but could not connect to {address or target}:22 "
                f"(sshd down, refused or firewalled on {target})")
    first = text[:240] or "no output from ssh"
    return f"ssh failed{via}: {first}"


def _cause(text: str) -> str:
    for needle, label in (("Connection refused", "connection refused (sshd down?)"),
                          ("Connection timed out", "connection timed out"),
                          ("Operation timed out", "connection timed out"),
                          ("No route to host", "no route to host"),
                          ("Network is unreachable", "network unreachable")):
        if needle in text:
            return label
    return "connection failed"
