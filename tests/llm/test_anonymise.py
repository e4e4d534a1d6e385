"""Consistent tokens for names, mapped back in answers; the map never leaves memory."""

from __future__ import annotations

from kafkapilot.facts import Facts
from kafkapilot.llm.anonymise import Anonymiser, anonymiser_for


def test_hosts_topics_groups_ips_and_cluster_ids_get_tokens(facts: Facts) -> None:
    anon = anonymiser_for(facts)
    assert [anon.token(h) for h in ("kafka-1", "kafka-2", "kafka-3", "bastion")] == ["broker-1", "broker-2", "broker-3",
                                                                                     "host-1"]
    assert anon.token("kafka-2.example.internal") == "broker-2"
    assert anon.token("example.internal").startswith("domain-")
    assert anon.token("10.20.0.12").startswith("ip-")
    assert anon.token("orders").startswith("topic-") and anon.token("billing").startswith("group-")
    assert anon.token("MkU3OEVBNTcwNTJENDM2Qk") == "cluster-id-1" and anon.token("demo") == "cluster-1"
    assert anon.token("__consumer_offsets") == "__consumer_offsets"


def test_text_is_anonymised_at_name_boundaries_and_restored(facts: Facts) -> None:
    anon = anonymiser_for(facts)
    text = ("kafka-2.example.internal:9092 fetch orders-3 from 10.20.0.11 for group billing, client /10.99.1.7; "
            "zk-1.example.internal; not kafka-10 nor reorders")
    masked = anon.anonymise(text)
    for real in ("kafka-2", "example.internal", "orders-3", "10.20.0.11", "billing", "10.99.1.7"):
        assert real not in masked
    assert "kafka-10" in masked and "reorders" in masked
    assert anon.anonymise(text) == masked  # consistent: the same tokens every time
    # an FQDN comes back as the inventory name of its host
    assert anon.restore(masked) == text.replace("kafka-2.example.internal", "kafka-2")


def test_unknown_tokens_stay_as_written() -> None:
    anon = Anonymiser()
    anon.add("kafka-a", "broker")
    assert anon.restore("broker-1 and broker-9 and topic-2") == "kafka-a and broker-9 and topic-2"
    assert anon.add("x", "topic") is None  # one letter would replace too much
