"""The Prometheus JMX exporter every lab Kafka node runs as a Java agent, as production clusters do.

The agent jar is `io.prometheus.jmx:jmx_prometheus_javaagent` from Maven Central, resolved into the
distribution's cache (mounted read-only at /opt/kafka, so the agent is /opt/kafka/prometheus/...);
its rules file is /etc/kafka/jmx-exporter.yml on each node; it listens on the node's own address,
port 7071 (`-javaagent:JAR=ADDRESS:7071:RULES`, in KAFKA_OPTS of /etc/default/kafka).

The rules are ours, written from the exporter project's standard Kafka examples
(examples/kafka-2_0_0.yml and kafka-kraft-3_0_0.yml of github.com/prometheus/jmx_exporter): the same
patterns in the same order, so the metric names are those a production cluster with the standard
rules exposes (kafka_server_replicamanager_underreplicatedpartitions,
kafka_network_requestmetrics_totaltimems{request="Produce",quantile="0.99"} ...). What KafkaPilot
reads of them is docs/metrics.md's table. `includeObjectNames` narrows the MBeans to those (see the
file's comment); a full scrape of every MBean, 11 000 lines, is what tests/unit/parsers' sample was
cut from.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import LabError

__all__ = ["AGENT_VERSION", "PORT", "RULES_PATH", "agent_jar_path", "javaagent_option", "resolve_agent", "rules_yaml"]

#: the newest release Maven Central serves here (1.1.0 to 1.5.0 do not resolve from this machine's mirror)
AGENT_VERSION = "1.0.1"
PORT = 7071
RULES_PATH = "/etc/kafka/jmx-exporter.yml"
_JAR = f"jmx_prometheus_javaagent-{AGENT_VERSION}.jar"


def agent_jar_path() -> str:
    """Where a Kafka node sees the agent (inside the read-only /opt/kafka mount)."""
    return f"/opt/kafka/prometheus/{_JAR}"


def javaagent_option(address: str) -> str:
    """The JVM option that starts the exporter on the node's own address."""
    return f"-javaagent:{agent_jar_path()}={address}:{PORT}:{RULES_PATH}"


def resolve_agent(dist_root: Path, log) -> None:  # noqa: ANN001 - log is a Progress
    """Copy the agent jar from Maven Central (through the local repository) into `dist_root`/prometheus."""
    target = dist_root / "prometheus" / _JAR
    if target.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    log(f"resolving io.prometheus.jmx:jmx_prometheus_javaagent:{AGENT_VERSION} with Maven")
    cmd = ["mvn", "-B", "-q", "-Dstyle.color=never", "dependency:copy",
           f"-Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:{AGENT_VERSION}",
           f"-DoutputDirectory={target.parent}"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False, cwd=target.parent)
    except subprocess.TimeoutExpired as exc:
        msg = f"Maven did not resolve jmx_prometheus_javaagent {AGENT_VERSION} within 300s"
        raise LabError(msg) from exc
    if out.returncode != 0 or not target.is_file():
        errors = [ln.replace("[ERROR]", "").strip() for ln in (out.stdout + out.stderr).splitlines() if "ERROR" in ln]
        msg = f"Maven cannot resolve jmx_prometheus_javaagent {AGENT_VERSION}: {(errors or ['no error line'])[0][:300]}"
        raise LabError(msg)


def rules_yaml() -> str:
    return _RULES


_RULES = """# /etc/kafka/jmx-exporter.yml: rules of the Prometheus JMX exporter (jmx_prometheus_javaagent).
# Written for the KafkaPilot lab from the exporter project's standard Kafka examples
# (kafka-2_0_0.yml, kafka-kraft-3_0_0.yml): same patterns, same order, same metric names.
lowercaseOutputName: true
# Only the MBeans KafkaPilot reads (docs/metrics.md), as many production setups narrow theirs to keep each scrape
# cheap: with every MBean (per partition, per topic, ~100 request types) a scrape was 11 000 lines and took 7-9 s
# on the shared 2-core lab machine, twice per broker and collection. The rules below are the standard ones, so the
# names are. A `name=*` pattern without `,*` matches the broker-wide MBean only (no topic key).
includeObjectNames:
  - "kafka.server:type=KafkaRequestHandlerPool,*"
  - "kafka.server:type=ReplicaManager,*"
  - "kafka.server:type=BrokerTopicMetrics,name=*"
  - "kafka.network:type=SocketServer,*"
  - "kafka.network:type=RequestChannel,name=RequestQueueSize"
  - "kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce"
  - "kafka.network:type=RequestMetrics,name=TotalTimeMs,request=FetchConsumer"
  - "kafka.network:type=RequestMetrics,name=TotalTimeMs,request=FetchFollower"
  - "kafka.controller:*"
  - "kafka.log:type=LogManager,*"
  - "kafka.log:type=LogFlushStats,*"

rules:
# Special cases and very specific rules
- pattern: kafka.server<type=(.+), name=(.+), clientId=(.+), topic=(.+), partition=(.*)><>Value
  name: kafka_server_$1_$2
  type: GAUGE
  labels:
    clientId: "$3"
    topic: "$4"
    partition: "$5"
- pattern: kafka.server<type=(.+), name=(.+), clientId=(.+), brokerHost=(.+), brokerPort=(.+)><>Value
  name: kafka_server_$1_$2
  type: GAUGE
  labels:
    clientId: "$3"
    broker: "$4:$5"
- pattern: kafka.coordinator.(\\w+)<type=(.+), name=(.+)><>Value
  name: kafka_coordinator_$1_$2_$3
  type: GAUGE
# KRaft: the node's raft state as an info metric, then raft-metrics and broker-metadata-metrics
- pattern: "kafka.server<type=raft-metrics><>current-state: ([a-z]+)"
  name: kafka_server_raft_metrics_current_state_info
  type: GAUGE
  value: 1
  labels:
    state: "$1"
- pattern: kafka.server<type=(.+)><>([a-z-]+)-total
  name: kafka_server_$1_$2_total
  type: COUNTER
- pattern: kafka.server<type=(.+)><>([a-z-]+)
  name: kafka_server_$1_$2
  type: GAUGE

# Per-second meters: their cumulative count, with 0-2 key/value pairs
- pattern: kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*, (.+)=(.+), (.+)=(.+)><>Count
  name: kafka_$1_$2_$3_total
  type: COUNTER
  labels:
    "$4": "$5"
    "$6": "$7"
- pattern: kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*, (.+)=(.+)><>Count
  name: kafka_$1_$2_$3_total
  type: COUNTER
  labels:
    "$4": "$5"
- pattern: kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*><>Count
  name: kafka_$1_$2_$3_total
  type: COUNTER

# Quotas
- pattern: kafka.server<type=(.+), user=(.+), client-id=(.+)><>([a-z-]+)
  name: kafka_server_quota_$4
  type: GAUGE
  labels:
    resource: "$1"
    user: "$2"
    clientId: "$3"
- pattern: kafka.server<type=(.+), client-id=(.+)><>([a-z-]+)
  name: kafka_server_quota_$3
  type: GAUGE
  labels:
    resource: "$1"
    clientId: "$2"
- pattern: kafka.server<type=(.+), user=(.+)><>([a-z-]+)
  name: kafka_server_quota_$3
  type: GAUGE
  labels:
    resource: "$1"
    user: "$2"

# Gauges with 0-2 key/value pairs
- pattern: kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+), (.+)=(.+)><>Value
  name: kafka_$1_$2_$3
  type: GAUGE
  labels:
    "$4": "$5"
    "$6": "$7"
- pattern: kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+)><>Value
  name: kafka_$1_$2_$3
  type: GAUGE
  labels:
    "$4": "$5"
- pattern: kafka.(\\w+)<type=(.+), name=(.+)><>Value
  name: kafka_$1_$2_$3
  type: GAUGE

# Histograms and timers as summaries: the count and the percentiles (no _sum, as in the standard rules)
- pattern: kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+), (.+)=(.+)><>Count
  name: kafka_$1_$2_$3_count
  type: COUNTER
  labels:
    "$4": "$5"
    "$6": "$7"
- pattern: kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.*), (.+)=(.+)><>(\\d+)thPercentile
  name: kafka_$1_$2_$3
  type: GAUGE
  labels:
    "$4": "$5"
    "$6": "$7"
    quantile: "0.$8"
- pattern: kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+)><>Count
  name: kafka_$1_$2_$3_count
  type: COUNTER
  labels:
    "$4": "$5"
- pattern: kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.*)><>(\\d+)thPercentile
  name: kafka_$1_$2_$3
  type: GAUGE
  labels:
    "$4": "$5"
    quantile: "0.$6"
- pattern: kafka.(\\w+)<type=(.+), name=(.+)><>Count
  name: kafka_$1_$2_$3_count
  type: COUNTER
- pattern: kafka.(\\w+)<type=(.+), name=(.+)><>(\\d+)thPercentile
  name: kafka_$1_$2_$3
  type: GAUGE
  labels:
    quantile: "0.$4"

# Percent meters (RequestHandlerAvgIdlePercent) and gauges
- pattern: kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*><>MeanRate
  name: kafka_$1_$2_$3_percent
  type: GAUGE
- pattern: kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*><>Value
  name: kafka_$1_$2_$3_percent
  type: GAUGE
- pattern: kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*, (.+)=(.+)><>Value
  name: kafka_$1_$2_$3_percent
  type: GAUGE
  labels:
    "$4": "$5"
"""
