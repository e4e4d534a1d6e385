"""node.certificates: the public certificates of the keystores a Kafka node's config names.

Days left are counted from the end of the collection (the snapshot's `finished_at`), not from
the day of the analysis, so that a report of the same snapshot is the same report.
"""

from __future__ import annotations

from datetime import datetime

from kafkapilot.facts.model import Certificate
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers.certificates import parse_certificates
from kafkapilot.snapshot.load import Snapshot

__all__ = ["build_certificates"]


def _collected(snapshot: Snapshot) -> datetime | None:
    stamp = snapshot.manifest.finished_at or snapshot.manifest.started_at
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None
    except ValueError:
        return None


def build_certificates(snapshot: Snapshot, reader: FactReader, instance: str) -> list[Certificate] | None:
    """One row per certificate of every listed keystore; None (with the reason) when no keystore's
    certificates could be read."""
    artifacts = reader.artifacts("keystore_certificates", instance)
    if not artifacts:
        # no keystore named in the config, or a snapshot older than format 1.2
        if reader.artifacts("keystore", instance):
            reader.note("certificates", "not collected: keystore_certificates is not in the snapshot")
            return None
        return []
    collected = _collected(snapshot)
    if collected is None:
        reader.note("certificates", "unknown: the snapshot does not say when it was collected")
        return None
    rows: list[Certificate] = []
    read_any = False
    for artifact in artifacts:
        certificates = reader.read("certificates", "keystore_certificates", parse_certificates, artifact=artifact)
        if certificates is None:
            continue
        read_any = True
        for cert in certificates:
            left = (cert.not_after - collected).total_seconds() / 86400
            rows.append(Certificate(
                keystore=artifact.key or artifact.source,
                alias=cert.alias,
                position=cert.position,
                subject=cert.subject,
                issuer=cert.issuer,
                serial=cert.serial,
                not_before=cert.not_before.strftime("%Y-%m-%dT%H:%M:%SZ"),
                not_after=cert.not_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
                days_left=round(left, 1),
                expired=left < 0,
                self_signed=cert.self_signed,
            ))
    return rows if read_any else None
