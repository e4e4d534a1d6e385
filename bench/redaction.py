"""Controller cost of redaction: the passes over a large log, and their growth on hostile inputs.

    PYTHONPATH=. .venv/bin/python bench/redaction.py [--mb 10] [--repeat 3]

Measures, on this machine, in process CPU time (best of --repeat):
* the text pass (by key + by shape) over a realistic Kafka server.log of --mb MiB with secrets in it;
* the same host's by-value pass (Redactor.literals) with the values found;
* the snapshot-wide by-value pass (redact_values.ValueScrubber) with 20 handed-over digests;
* each hostile input (no match, many near starts) at 1 MiB and at --mb MiB: linear growth means
  the second is about --mb times the first.
Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.collection.collection_path import plugin_utils  # the collection's code, imported as Ansible does

Redactor = plugin_utils("redact").Redactor
values = plugin_utils("redact_values")

MIB = 1 << 20
LOG_LINES = (
    "[2026-12-01 10:00:{s:02d},{ms:03d}] INFO [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Truncating "
    "partition orders-{p} with TruncationState(offset={o}, completed=true) due to leader epoch and offset "
    "EpochEndOffset(errorCode=0, partition={p}, leaderEpoch=4, endOffset={o}) (kafka.server.ReplicaFetcherThread)\n",
    "[2026-12-01 10:00:{s:02d},{ms:03d}] INFO [SocketServer listenerType=BROKER, nodeId=1] Failed authentication "
    "with /10.0.{p}.7 (channelId=10.0.0.1:9092-10.0.{p}.7:5{o}-3) (Authentication failed: Invalid username or "
    "password) (org.apache.kafka.common.network.Selector)\n",
    "[2026-12-01 10:00:{s:02d},{ms:03d}] INFO [LocalLog partition=orders-{p}, dir=/var/lib/kafka/data] Rolled new "
    "log segment at offset {o} in 1 ms. (kafka.log.LocalLog)\n",
)
SECRET_LINES = (
    "[2026-12-01 10:00:00,000] INFO Connecting to https://svc:Url-Passw0rd-{n}@sr.example.com:8081 (Client)\n",
    "[2026-12-01 10:00:00,000] DEBUG sasl.jaas.config = x required username=\"u\" password=\"Jaas-pw-{n}\";\n",
    "[2026-12-01 10:00:00,000] WARN headers {{Authorization=Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ7bn0ifQ.s{n}}}\n",
)


def realistic_log(size: int) -> str:
    parts, total, n = [], 0, 0
    while total < size:
        line = LOG_LINES[n % 3].format(s=n % 60, ms=n % 1000, p=n % 50, o=n * 7)
        if n % 5000 == 0:
            line += SECRET_LINES[(n // 5000) % 3].format(n=n // 5000)
        parts.append(line)
        total += len(line)
        n += 1
    return "".join(parts)


HOSTILE: dict[str, Callable[[int], str]] = {
    "one long word": lambda size: "a" * size,
    "key=value pairs, no secret": lambda size: ("abcdefgh.ijk=" * (size // 13 + 1))[:size],
    "PEM BEGIN without END": lambda size: ("-----BEGIN PRIVATE KEY-----\n" + "A" * 60 + "\n") * (size // 89 + 1),
    "'://' without user info": lambda size: ("http://" + "h" * 40 + ":" * 3) * (size // 50 + 1),
    "'eyJ' runs without dots": lambda size: ("eyJ" + "x" * 60 + " ") * (size // 64 + 1),
    "'Bearer ' and 'Basic ' runs": lambda size: ("Bearer abcdefghij Basic QUJDREVGR0g= ") * (size // 37 + 1),
    "SCRAM-SHA-256=[ without ]": lambda size: ("SCRAM-SHA-256=[password=" + "p" * 40 + ",") * (size // 66 + 1),
    "user:base64 not 27 chars": lambda size: ("bob:" + "A" * 26 + " ") * (size // 31 + 1),
}


def best(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = args.mb * MIB
    log = realistic_log(size)
    redactor = Redactor()
    redacted, counts = redactor.redact("text", log)
    rows = [(f"text pass, realistic server.log {args.mb} MiB",
             best(lambda: Redactor().redact("text", log), args.repeat),
             f"{sum(counts.values())} replaced, {len(redactor.secrets)} values found")]
    rows.append((f"same-host by value (literals), {args.mb} MiB",
                 best(lambda: redactor.literals(redacted), args.repeat), f"{len(redactor.secrets)} values"))
    found = {f"Handed-0ver-secret-{n:02d}": "password" for n in range(20)}
    with tempfile.TemporaryDirectory() as snapshot:
        values.create_key(Path(snapshot))
        scrubber = values.ValueScrubber(values.read_key(Path(snapshot)), values.handover(found, Path(snapshot)))
    rows.append((f"snapshot-wide by value, {args.mb} MiB", best(lambda: scrubber.scrub(log), args.repeat),
                 "20 handed-over digests"))
    for name, make in HOSTILE.items():
        small, large = make(MIB)[:MIB], make(size)[:size]
        one = best(lambda small=small: Redactor().redact("text", small), args.repeat)
        many = best(lambda large=large: Redactor().redact("text", large), 1)
        rows.append((f"hostile: {name}", many, f"1 MiB {one:.2f} s; x{many / one if one else 0:.1f} for x{args.mb}"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)} | CPU s | note")
    for label, seconds, note in rows:
        print(f"{label.ljust(width)} | {seconds:5.2f} | {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
