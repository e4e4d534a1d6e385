"""Transaction and quota facts (issue 14): `cluster.transactions`, `cluster.hanging_transactions`, `cluster.quotas`."""

from __future__ import annotations

from kafkapilot.facts.model import HangingTransaction, QuotaEntity, Transaction
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers.quotas import Quota, parse_quotas
from kafkapilot.parsers.transactions import (
    parse_hanging_transactions,
    parse_transaction_describe,
    parse_transactions_list,
)

__all__ = ["OPEN_STATES", "hanging_transactions", "quotas", "transactions"]

#: states of a transactional id with a transaction open (the coordinator's TransactionState)
OPEN_STATES = frozenset({"Ongoing", "PrepareCommit", "PrepareAbort", "PrepareEpochFence"})
#: the quota listings, in the order cluster.quotas holds them
QUOTA_ARTIFACTS = ("quotas_users", "quotas_user_clients", "quotas_clients", "quotas_ips")
NO_TOOL = "not applicable: kafka-transactions.sh is not in this Kafka distribution (Kafka before 3.0 has none)"


def _tool_missing(reader: FactReader, fact: str, name: str) -> bool:
    """The tool is not in the distribution (the collection found no script): the fact does not apply."""
    if any(a.status == "missing" for a in reader.artifacts(name)):
        reader.note(fact, NO_TOOL)
        return True
    return False


def transactions(reader: FactReader) -> list[Transaction] | None:
    """cluster.transactions: the list, joined with each open transaction's describe."""
    if _tool_missing(reader, "transactions", "transactions_list"):
        return None
    listed = reader.read("transactions", "transactions_list", parse_transactions_list)
    if listed is None:
        return None
    described = {}
    for artifact in reader.artifacts("transactions_describe"):
        rows = reader.read("transactions", "transactions_describe", parse_transaction_describe, artifact=artifact)
        for row in rows or ():
            described[row.transactional_id] = row
    found = []
    for item in listed:
        row = described.get(item.transactional_id)
        found.append(Transaction(
            transactional_id=item.transactional_id, coordinator=item.coordinator, producer_id=item.producer_id,
            state=item.state, open=item.state in OPEN_STATES, described=row is not None,
            timeout_ms=row.timeout_ms if row else None, start_time_ms=row.start_time_ms if row else None,
            open_ms=row.duration_ms if row else None, partitions=list(row.partitions) if row else [],
        ))
    return found


def hanging_transactions(reader: FactReader, broker_ids: list[int]) -> list[HangingTransaction] | None:
    """cluster.hanging_transactions: find-hanging over every broker; None unless each one's run was read."""
    runs = reader.artifacts("transactions_hanging")
    if _tool_missing(reader, "hanging_transactions", "transactions_hanging"):
        return None
    if not runs:
        reader.note("hanging_transactions", "not collected: transactions_hanging")
        return None
    found: list[HangingTransaction] = []
    read: set[str] = set()
    for artifact in runs:
        rows = reader.read("hanging_transactions", "transactions_hanging", parse_hanging_transactions,
                           artifact=artifact)
        if rows is None:
            return None
        read.add(artifact.key or "")
        broker = int(artifact.key) if artifact.key and artifact.key.isdigit() else None
        found += [HangingTransaction(topic=r.topic, partition=f"{r.topic}-{r.partition}", broker_id=broker,
                                     producer_id=r.producer_id, producer_epoch=r.producer_epoch,
                                     start_offset=r.start_offset, open_minutes=r.duration_minutes) for r in rows]
    missing = sorted(str(b) for b in broker_ids if str(b) not in read)
    if missing:
        reader.note("hanging_transactions", f"not collected: find-hanging of broker(s) {', '.join(missing)}")
        return None
    return found


def _entity(quota: Quota) -> str:
    parts = []
    for kind, label, name in (("user", "user", quota.user), ("client", "client-id", quota.client),
                              ("ip", "ip", quota.ip)):
        if kind in quota.default:
            parts.append(f"default {label}")
        elif name is not None:
            parts.append(f"{label} {name}")
    return ", ".join(parts)


def quotas(reader: FactReader) -> list[QuotaEntity] | None:
    """cluster.quotas: the four listings in turn; None unless all four were read."""
    found: list[QuotaEntity] = []
    for name in QUOTA_ARTIFACTS:
        listed = reader.read("quotas", name, parse_quotas)
        if listed is None:
            return None
        found += [QuotaEntity(entity=_entity(q), user=q.user, client_id=q.client, ip=q.ip, is_default=bool(q.default),
                              configs=dict(q.configs)) for q in listed]
    return found
