"""Transaction and quota facts (issue 14): `cluster.transactions`, `cluster.hanging_transactions`, `cluster.quotas`."""

from __future__ import annotations

from datetime import UTC, datetime

from kafkapilot.facts.logs import log_files
from kafkapilot.facts.model import Cluster, HangingTransaction, KafkaNode, QuotaEntity, Reassignment, Transaction
from kafkapilot.facts.reading import FactReader
from kafkapilot.parsers.kafka_logs import line_level, parse_time
from kafkapilot.parsers.quotas import Quota, parse_quotas
from kafkapilot.parsers.transactions import (
    parse_hanging_transactions,
    parse_transaction_describe,
    parse_transactions_list,
)

__all__ = ["OPEN_STATES", "hanging_transactions", "quotas", "reassignments", "transactions"]

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


_CREATED = "Created log for partition "
_THROTTLED_REPLICAS = ("leader.replication.throttled.replicas", "follower.replication.throttled.replicas")
_RATES = ("follower.replication.throttled.rate", "leader.replication.throttled.rate")


def _created_logs(snapshot: object, node: KafkaNode, wanted: set[str]) -> dict[str, str]:
    """partition -> timestamp of the newest `Created log for partition P in DIR` line in the node's logs."""
    found: dict[str, str] = {}
    for log in log_files(snapshot, node.host, node.instance):  # type: ignore[arg-type]
        for line in log.lines:
            at = line.find(_CREATED)
            if at < 0:
                continue
            partition = line[at + len(_CREATED):].split(" ", 1)[0]
            stamp = line_level(line)[0]
            if partition in wanted and stamp and stamp > found.get(partition, ""):
                found[partition] = stamp
    return found


def reassignments(snapshot: object, nodes: list[KafkaNode], cluster: Cluster) -> list[Reassignment] | None:
    """cluster.reassignments: the describe's reassigning rows, with throttles and the start from the adding
    brokers' logs."""
    if cluster.partitions is None:
        cluster.unavailable.setdefault("reassignments", cluster.unavailable.get("partitions", "not collected: "
                                                                                  "topics_describe"))
        return None
    columns = cluster.partitions.columns
    topics = {t.name: t for t in cluster.topics or ()}
    rows = [row for row in sorted(columns.extras)
            if columns.extras[row].get("adding_replicas") or columns.extras[row].get("removing_replicas")]
    moves = []
    for row in rows:
        topic = columns.topics[columns.topic_index[row]]
        extras = columns.extras[row]
        moves.append((f"{topic}-{columns.number[row]}", topic, columns.replicas[row],
                      list(extras.get("adding_replicas", ())), list(extras.get("removing_replicas", ()))))
    by_id = {n.node_id: n for n in nodes if n.node_id is not None and n.is_broker}
    starts: dict[str, str] = {}
    for broker in sorted({b for move in moves for b in move[3] if b in by_id}):
        for partition, stamp in _created_logs(snapshot, by_id[broker],
                                              {m[0] for m in moves if broker in m[3]}).items():
            starts[partition] = max(stamp, starts.get(partition, ""))
    collected = _utc(cluster.collected_at)
    found = []
    for partition, topic, replicas, adding, removing in moves:
        config = topics[topic].configs if topic in topics else {}
        rates = {}
        for broker in adding:
            dynamic = by_id[broker].dynamic_config or {} if broker in by_id else {}
            rate = next((dynamic[k] for k in _RATES if k in dynamic), None)
            if rate is not None and str(rate).isdigit():
                rates[broker] = int(rate)
        started = starts.get(partition)
        start_time = parse_time(started)
        age = None if start_time is None or collected is None else round(
            (collected - start_time).total_seconds() / 60, 1)
        found.append(Reassignment(
            partition=partition, topic=topic, replicas=[int(r) for r in str(replicas).split(",") if r.strip()],
            adding=adding, removing=removing, throttled=any(config.get(k, "").strip() for k in _THROTTLED_REPLICAS),
            throttle_rates=rates, started=started, age_minutes=age,
        ))
    return found


def _utc(stamp: str | None) -> datetime | None:
    """An ISO time (`2026-12-02T08:40:12Z`) as a naive UTC datetime."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
