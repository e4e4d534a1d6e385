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


IDENTITIES = {  # text -> what must not be in it after anonymising
    "connected to fe80::1%eth0 and 2001:db8:85a3::8a2e:370:7334": ("fe80::1", "2001:db8:85a3::8a2e:370:7334"),
    "full form 2001:0db8:0000:0000:0000:ff00:0042:8329 done": ("2001:0db8",),
    "[::ffff:10.1.2.3]:9092 accepted": ("::ffff:10.1.2.3", "10.1.2.3"),
    "resolving db01.prod.acme.internal failed": ("db01", "acme"),
    "metrics sent to grafana.acme-corp.com:443": ("grafana", "acme-corp"),
    "Principal = User:CN=alice.smith,OU=Payments,O=Acme Corp,L=Berlin": ("alice.smith", "Payments", "Acme Corp"),
    "ACL: User:svc-orders has Allow permission for operations: Write": ("svc-orders",),
    'PlainLoginModule required username="svc-billing" password="[REDACTED:password]";': ("svc-billing",),
    'PlainLoginModule required user_admin="[REDACTED]" user_etl-loader="[REDACTED]";': ("admin", "etl-loader"),
    "subject=CN=kafka-2.example.internal, OU=Streaming, O=Example Ltd": ("Streaming", "Example Ltd",
                                                                         "example.internal"),
}

KEPT = (  # near misses: nothing identifying, and the model needs them as they are
    "[2026-12-02 02:49:55,123] INFO Rolled new log segment at 02:49:55 (kafka.log.LocalLog$)",
    "class kafka.server.KafkaServer in org.apache.kafka.common.network.Selector; java.io.IOException",
    "see https://kafka.apache.org/documentation/#brokerconfigs and server.properties, kafka-server-start.sh",
    "User:* has Allow; User:ANONYMOUS denied; MAC 00:1a:2b:3c:4d:5e; ratio 3:1:2; IPv6 loopback ::1 is local",
    "__consumer_offsets-12 and log4j.properties, config.json, logback.xml",
)


def test_identities_found_by_shape_get_tokens_and_come_back_in_answers() -> None:
    anon = Anonymiser()
    anon.add("kafka-2", "broker")
    for text, identities in IDENTITIES.items():
        masked = anon.anonymise(text)
        for identity in identities:
            assert identity not in masked, (text, masked)
        assert anon.anonymise(text) == masked  # the same tokens every time
        assert anon.restore(masked) == text, masked


def test_what_only_looks_like_an_identity_stays_readable() -> None:
    anon = Anonymiser()
    for text in KEPT[:-1]:
        masked = anon.anonymise(text)
        assert masked == text.replace("::1 ", anon.token("::1") + " "), masked
    assert anon.anonymise(KEPT[-1]) == KEPT[-1]
