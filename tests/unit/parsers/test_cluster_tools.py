"""kafka-features, kafka-log-dirs, kafka-broker-api-versions, jar versions, ZooKeeper srvr."""

from __future__ import annotations

import pytest

from kafkapilot.parsers import cluster_tools
from kafkapilot.parsers.cluster_tools import (
    BrokerEndpoint,
    Feature,
    kafka_version_from_jars,
    parse_broker_api_versions,
    parse_features,
    parse_log_dirs,
    parse_zookeeper_srvr,
)
from kafkapilot.parsers.errors import ParseError
from kafkapilot.parsers.log_dirs import LogDirs
from tests.unit.parsers._samples import sample


def test_features_3x() -> None:
    assert parse_features(sample("features_3x.txt")) == (
        Feature(
            name="metadata.version",
            supported_min="3.0-IV1",
            supported_max="3.9-IV0",
            finalized_level="3.9-IV0",
            epoch=5,
        ),
    )


def test_features_4x() -> None:
    features = {f.name: f for f in parse_features(sample("features_4x.txt"))}
    assert len(features) == 5
    assert features["eligible.leader.replicas.version"].finalized_level == "0"
    assert features["metadata.version"].finalized_level == "UNKNOWN 27"
    assert features["metadata.version"].supported_max == "4.1-IV1"
    assert features["transaction.version"].epoch is None


def test_log_dirs() -> None:
    described = parse_log_dirs(sample("log_dirs.txt"))
    brokers = described.brokers
    assert [b.broker for b in brokers] == [1, 2]
    (dir1,) = brokers[0].dirs
    assert dir1.path == "/var/lib/kafka/data-1"
    assert dir1.total_bytes == 1073741512
    assert dir1.partition_count == 2
    assert dir1.future_partitions == ("payments-3",)
    assert dir1.max_offset_lag == 824
    offline = brokers[1].dirs[1]
    assert offline.error == "org.apache.kafka.common.errors.KafkaStorageException"
    assert (offline.partition_count, offline.total_bytes) == (0, 0)
    largest = described.largest  # per partition, its largest replica and where it lives
    rows = {n: (largest.sizes[i], largest.broker[i], largest.dirs[largest.dir_index[i]], largest.replicas[i])
            for i, n in enumerate(largest.names)}
    assert rows == {
        "orders-0": (1073741824, 2, "/var/lib/kafka/data-1", 2),
        "orders-1": (2048, 2, "/var/lib/kafka/data-1", 1),
        "payments-3": (512, 1, "/var/lib/kafka/data-1", 1),
    }
    assert largest.size_of("orders-0") == 1073741824
    assert largest.size_of("nope-0") is None


def test_log_dirs_key_order_and_whitespace_need_no_special_case() -> None:
    """Jackson prints a HashMap's order; pretty-printed JSON takes the whole-document path."""
    document = (
        '{"version":1,"brokers":[{"broker":3,"logDirs":[{"error":null,"logDir":"/d",'
        '"partitions":[{"size":7,"isFuture":false,"partition":"t-0","offsetLag":2}]}]}]}'
    )
    assert parse_log_dirs(document).largest.names == ["t-0"]
    pretty = (
        '{ "brokers" : [ { "broker" : 3, "logDirs" : '
        '[ { "logDir" : "/d", "error" : null, "partitions" : [ ] } ] } ] }'
    )
    assert [b.broker for b in parse_log_dirs(pretty).brokers] == [3]

_LOG_DIRS_VARIANTS = [
    # the tool's own form: the typed (msgspec) path reads it
    '{"version":1,"brokers":[{"broker":2,"logDirs":[{"logDir":"/b","error":null,"partitions":['
    '{"partition":"t-1","size":5,"offsetLag":-1,"isFuture":true},{"partition":"t-0","size":9,"offsetLag":3,"isFuture":false}]},'
    '{"logDir":"/a","error":"org.apache.kafka.common.errors.KafkaStorageException","partitions":[]}]},'
    '{"broker":1,"logDirs":null},{"broker":3,"logDirs":[{"logDir":"/a","partitions":null}]}]}',
    # shapes only the general path reads: a missing offsetLag, a float size, an entry that is no object
    '{"brokers":[{"broker":1,"logDirs":[{"logDir":"/d","error":null,"partitions":[{"partition":"t-0","size":7,"isFuture":false},'
    '{"partition":"t-1","size":-4,"offsetLag":-2,"isFuture":false}]}]}]}',
    '{"brokers":[{"broker":1,"logDirs":[{"logDir":"/d","error":null,"partitions":[{"partition":"t-0","size":7.0,"offsetLag":0}]}]}]}',
    '{"brokers":[{"broker":1,"logDirs":[{"logDir":"/d","error":3,"partitions":[null,{"partition":"t-0","size":1,"offsetLag":0}]}]}]}',
]


@pytest.mark.parametrize("document", [sample("log_dirs.txt"), *_LOG_DIRS_VARIANTS])
def test_log_dirs_typed_and_general_paths_agree(document: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The typed decoding is only a faster way to the general path's result, never another one."""
    from kafkapilot.parsers import log_dirs  # noqa: PLC0415

    typed = parse_log_dirs(document)
    monkeypatch.setattr(log_dirs, "_typed", lambda _document: None)
    general = parse_log_dirs(document)
    assert typed == general
    assert typed.largest.names == general.largest.names


def test_log_dirs_typed_path_reads_the_tools_form() -> None:
    from kafkapilot.parsers import log_dirs  # noqa: PLC0415

    typed = log_dirs._typed(_LOG_DIRS_VARIANTS[0])  # noqa: SLF001
    assert typed is not None
    assert [b.broker for b in typed.brokers] == [1, 2, 3]
    assert [(d.path, d.error, d.total_bytes, d.future_partitions, d.max_offset_lag) for d in typed.brokers[1].dirs] == [
        ("/a", "org.apache.kafka.common.errors.KafkaStorageException", 0, (), 0),
        ("/b", None, 14, ("t-1",), 3),
    ]
    assert all(log_dirs._typed(v) is None for v in _LOG_DIRS_VARIANTS[1:])  # noqa: SLF001


def test_log_dirs_progress_only_and_broken_json() -> None:
    assert parse_log_dirs("Querying brokers for log directories information\n") == LogDirs()
    with pytest.raises(ParseError) as raised:
        parse_log_dirs("Querying brokers for log directories information\n{\"version\":1,\n")
    assert raised.value.line == 2
    with pytest.raises(ParseError):
        parse_log_dirs('{"version":1}\n')


def test_broker_api_versions() -> None:
    assert parse_broker_api_versions(sample("broker_api_versions_4x.txt")) == (
        BrokerEndpoint(host="kafka-2.example.com", port=9092, broker_id=2, rack="rack-b", fenced=False),
        BrokerEndpoint(host="kafka-1.example.com", port=9092, broker_id=1, rack=None, fenced=True),
    )
    assert parse_broker_api_versions(sample("broker_api_versions_3x.txt")) == (
        BrokerEndpoint(host="10.0.0.11", port=9092, broker_id=1, rack=None, fenced=None),
        BrokerEndpoint(host="fd00::12", port=9092, broker_id=2, rack="eu-west-1b", fenced=None),
    )


@pytest.mark.parametrize(
    ("names", "version"),
    [
        (["/opt/kafka/libs/kafka_2.13-4.1.0.jar", "/opt/kafka/libs/kafka-clients-4.1.0.jar"], "4.1.0"),
        (["kafka-clients-3.9.1.jar"], "3.9.1"),
        (["kafka-server-4.1.0.jar", "kafka-clients-9.9.9.jar"], "4.1.0"),
        (["kafka-clients-3.7.0.jar", "kafka_2.12-3.6.2.jar"], "3.6.2"),
        (["kafka_2.13-7.6.0-ccs.jar"], "7.6.0-ccs"),
        (["kafka-clients-7.6.0-ce.jar"], "7.6.0-ce"),
        (["kafka_2.13-3.9.0.redhat-00001.jar"], "3.9.0.redhat-00001"),
        (["kafka_2.13-3.9.0-test.jar", "kafka_2.13-3.9.0-sources.jar", "kafka-clients-3.9.0.jar"], "3.9.0"),
        (["kafka-server-common-4.0.0.jar", "kafka-metadata-4.0.0.jar"], "4.0.0"),
        (["/opt/kafka/libs/*", "zookeeper-3.8.4.jar"], None),
        ([], None),
    ],
)
def test_kafka_version_from_jars(names: list[str], version: str | None) -> None:
    assert kafka_version_from_jars(names) == version


def test_zookeeper_srvr() -> None:
    values = parse_zookeeper_srvr(sample("zookeeper_srvr.txt"))
    assert values["Mode"] == "follower"
    assert values["Node count"] == "2271"
    assert values["Zookeeper version"].startswith("3.8.4-9316c2a7")
    assert values["Zxid"] == "0x30000a3f1"
    assert parse_zookeeper_srvr(sample("zookeeper_srvr_not_serving.txt")) == {
        "error": "This ZooKeeper instance is not currently serving requests"
    }


def test_cluster_tools_reexports_everything() -> None:
    for name in cluster_tools.__all__:
        assert getattr(cluster_tools, name) is not None

