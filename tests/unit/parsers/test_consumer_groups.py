"""kafka-consumer-groups.sh --describe --all-groups, with and without --state/--verbose."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.consumer_groups import (
    GroupState,
    OffsetRow,
    parse_consumer_groups,
    parse_consumer_groups_state,
)
from kafkapilot.parsers.errors import ParseError
from tests.unit.parsers._samples import sample


def test_offsets() -> None:
    groups = {g.group: g for g in parse_consumer_groups(sample("consumer_groups.txt"))}
    assert list(groups) == ["analytics", "billing", "search", "ghost"]
    analytics = groups["analytics"]
    assert analytics.has_active_members is False
    assert analytics.rows[0] == OffsetRow(
        topic="orders",
        partition=0,
        current_offset=1200,
        log_end_offset=1250,
        lag=50,
        consumer_id=None,
        host=None,
        client_id=None,
    )
    assert (analytics.rows[1].current_offset, analytics.rows[1].lag) == (None, None)
    billing = groups["billing"]
    assert billing.has_active_members is True
    assert billing.rows[1].lag == 18
    assert billing.rows[1].host == "/10.0.0.21"
    assert billing.rows[1].client_id == "billing svc 1"  # the last column keeps its spaces
    assert (billing.rows[2].topic, billing.rows[2].partition) == (None, None)
    assert groups["search"].rebalancing is True
    assert groups["ghost"].exists is False and groups["ghost"].rows == ()


def test_offsets_verbose_leader_epoch() -> None:
    (billing,) = parse_consumer_groups(sample("consumer_groups_verbose.txt"))
    assert billing.rows[0].leader_epoch == 7
    assert billing.rows[0].current_offset == 99731
    assert billing.rows[0].client_id == "consumer-billing-1"


def test_no_members_derived_when_the_message_went_to_stderr() -> None:
    text = (
        "GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID\n"
        "g     t     0         5              7              2   -           -    -\n"
    )
    (group,) = parse_consumer_groups(text)
    assert group.has_active_members is False
    assert group.rows[0].lag == 2


def test_state() -> None:
    states = parse_consumer_groups_state(sample("consumer_groups_state.txt"))
    assert [
        (s.group, s.coordinator, s.coordinator_id, s.assignment_strategy, s.state, s.members)
        for s in states
    ] == [
        ("billing", "kafka-2:9092", 2, "range", "Stable", 2),
        ("analytics", "kafka-1.example.com:9092", 1, None, "Empty", 0),
        ("search", "kafka-3:9092", 3, "uniform", "PreparingRebalance", 1),
    ]
    assert states[0] == GroupState(
        group="billing",
        coordinator_id=2,
        assignment_strategy="range",
        state="Stable",
        members=2,
        coordinator="kafka-2:9092",
    )


def test_state_blank_strategy_of_the_scala_tool() -> None:
    text = (
        "\nGROUP                     COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS\n"
        "billing                   kafka-2:9092 (2)                               Empty           0\n"
    )
    (billing,) = parse_consumer_groups_state(text)
    assert (billing.assignment_strategy, billing.state, billing.members) == (None, "Empty", 0)
    assert (billing.coordinator, billing.coordinator_id) == ("kafka-2:9092", 2)


def test_state_verbose() -> None:
    (billing,) = parse_consumer_groups_state(sample("consumer_groups_state_verbose.txt"))
    assert (billing.members, billing.group_epoch, billing.target_assignment_epoch) == (3, 12, 12)


def test_state_row_without_member_count() -> None:
    header = "GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS\n"
    with pytest.raises(ParseError):
        parse_consumer_groups_state(header + "g k:9092  (1) range Stable many\n")
