"""The records of the cluster's transactions and client quotas (issue 14): `cluster.transactions[]`,
`cluster.hanging_transactions[]`, `cluster.quotas[]`."""

from __future__ import annotations

from dataclasses import dataclass

from kafkapilot.facts.model.base import Record, fact

__all__ = ["HangingTransaction", "QuotaEntity", "Reassignment", "Transaction"]


@dataclass(slots=True, kw_only=True)
class Transaction(Record):
    """A transactional id the transaction coordinators know (`kafka-transactions list`), with what
    `describe` said of it when it was open."""

    transactional_id: str = fact("the producer's `transactional.id`", source="transactions_list")
    coordinator: int | None = fact("broker id of its transaction coordinator", source="transactions_list")
    producer_id: int | None = fact("its producer id", source="transactions_list")
    state: str = fact(
        "`Ongoing`, `PrepareCommit`, `PrepareAbort`, `PrepareEpochFence` (a transaction is open), `Empty`, "
        "`CompleteCommit`, `CompleteAbort` or `Dead` (none is)", source="transactions_list"
    )
    open: bool = fact("its state is one of the open ones", source="transactions_list", derived=True, default=False)
    described: bool = fact(
        "`describe` was collected for it (open transactions only, at most 20 per snapshot)",
        source="transactions_describe", default=False,
    )
    timeout_ms: int | None = fact("the producer's `transaction.timeout.ms`", source="transactions_describe", unit="ms")
    start_time_ms: int | None = fact(
        "when the open transaction started (epoch ms on the coordinator's clock); `None` when none is open or it "
        "was not described", source="transactions_describe", unit="ms"
    )
    open_ms: int | None = fact(
        "how long it had been open when `describe` ran (the tool's `TransactionDurationMs`: the collection "
        "host's clock minus `start_time_ms`)", source="transactions_describe", unit="ms"
    )
    partitions: list[str] = fact("the partitions it has written to (`orders-3`)", source="transactions_describe",
                                 factory=list)


@dataclass(slots=True, kw_only=True)
class HangingTransaction(Record):
    """A partition holding a transaction that `kafka-transactions find-hanging` reports as hanging: open on
    the partition for longer than the maximum transaction timeout, and not open on its coordinator."""

    topic: str = fact("its topic", source="transactions_hanging")
    partition: str = fact("`payments-3`", source="transactions_hanging")
    broker_id: int | None = fact("the broker whose partitions `find-hanging` examined", source="transactions_hanging")
    producer_id: int | None = fact("the producer id of the open transaction", source="transactions_hanging")
    producer_epoch: int | None = fact("its epoch", source="transactions_hanging")
    start_offset: int | None = fact("the transaction's first offset in the partition", source="transactions_hanging")
    open_minutes: int | None = fact("how long it has been open", source="transactions_hanging", unit="min")


@dataclass(slots=True, kw_only=True)
class QuotaEntity(Record):
    """The client quotas set for one entity (`kafka-configs --describe --entity-type users|clients|ips`)."""

    entity: str = fact(
        "what it applies to, as an operator names it: `user app`, `client-id c1`, `user app, client-id c1`, "
        "`ip 10.1.2.3`, `default user`, `default client-id`, `default ip`", source="quotas_users"
    )
    user: str | None = fact("the user principal's name; `None` when not a user quota or the default user",
                            source="quotas_users")
    client_id: str | None = fact("the client id; `None` when not a client quota or the default one",
                                 source="quotas_clients")
    ip: str | None = fact("the client address; `None` when not an ip quota or the default one", source="quotas_ips")
    is_default: bool = fact("it applies to every user (client id, ip) without a quota of its own", default=False,
                            source=("quotas_users", "quotas_clients", "quotas_ips"))
    configs: dict[str, float] = fact(
        "quota → value: `producer_byte_rate`, `consumer_byte_rate` (bytes/s per broker), `request_percentage` "
        "(% of one network/I-O thread per quota window), `controller_mutation_rate`, `connection_creation_rate` (ips)",
        source=("quotas_users", "quotas_user_clients", "quotas_clients", "quotas_ips"), factory=dict,
    )


@dataclass(slots=True, kw_only=True)
class Reassignment(Record):
    """A partition being reassigned (`kafka-topics --describe` prints its Adding/Removing Replicas), with its
    throttle and when it started."""

    partition: str = fact("`orders-3`", source="topics_describe")
    topic: str = fact("its topic", source="topics_describe")
    replicas: list[int] = fact("the replica list during the move (old and new)", source="topics_describe",
                               factory=list)
    adding: list[int] = fact("`Adding Replicas`: brokers copying the partition", source="topics_describe",
                             factory=list)
    removing: list[int] = fact("`Removing Replicas`: brokers it leaves once the copies are in sync",
                               source="topics_describe", factory=list)
    throttled: bool = fact(
        "the topic lists throttled replicas (`leader.replication.throttled.replicas` or "
        "`follower.replication.throttled.replicas` set, as `kafka-reassign-partitions --throttle` leaves them)",
        source="topics_describe", default=False,
    )
    throttle_rates: dict[int, int] = fact(
        "broker id → `follower.replication.throttled.rate` (else `leader.`) in bytes/s, of the adding brokers that "
        "set one dynamically", source="broker_configs", unit="B/s", factory=dict,
    )
    started: str | None = fact(
        "when it started: the timestamp of the newest `Created log for partition P` line in the collected logs of "
        "an adding broker (the moment the new replica was created), as the broker's log writes it; `None` when no "
        "such line is in the collected logs (rotated away, or logs not collected)", source="log_file", derived=True,
    )
    age_minutes: float | None = fact(
        "minutes from `started` to `cluster.collected_at` (both read as UTC: a broker logging in another time "
        "zone shifts it by the offset); `None` when `started` is", unit="min", derived=True,
    )
