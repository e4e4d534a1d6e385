"""Lay out a Kafka version like its binary distribution: libs/*.jar, bin/kafka-*.sh, config/.

The Apache scripts are not published to Maven Central, so the lab writes small wrappers that keep
the real scripts' variables (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_LOG4J_OPTS,
KAFKA_OPTS, JAVA_HOME) and main classes (checked against the jars of each pinned version).
"""
from __future__ import annotations

from pathlib import Path

from .jmx_exporter import resolve_agent
from .maven import resolve_jars
from .paths import CACHE_DIR

__all__ = ["ensure_distribution", "dist_dir", "TOOL_CLASSES"]

_COMMON = {
    "kafka-topics.sh": "org.apache.kafka.tools.TopicCommand",
    "kafka-consumer-groups.sh": "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
    "kafka-metadata-quorum.sh": "org.apache.kafka.tools.MetadataQuorumCommand",
    "kafka-log-dirs.sh": "org.apache.kafka.tools.LogDirsCommand",
    "kafka-features.sh": "org.apache.kafka.tools.FeatureCommand",
    "kafka-storage.sh": "kafka.tools.StorageTool",
    "kafka-console-consumer.sh": "org.apache.kafka.tools.consumer.ConsoleConsumer",
    "kafka-producer-perf-test.sh": "org.apache.kafka.tools.ProducerPerformance",
    "kafka-transactions.sh": "org.apache.kafka.tools.TransactionsCommand",
    "kafka-reassign-partitions.sh": "org.apache.kafka.tools.reassign.ReassignPartitionsCommand",
}
TOOL_CLASSES = {
    4: {**_COMMON,
        "kafka-configs.sh": "org.apache.kafka.tools.ConfigCommand",
        "kafka-broker-api-versions.sh": "org.apache.kafka.tools.BrokerApiVersionsCommand",
        "kafka-acls.sh": "org.apache.kafka.tools.AclCommand",
        "kafka-console-producer.sh": "org.apache.kafka.tools.ConsoleProducer"},
    3: {**_COMMON,
        "kafka-configs.sh": "kafka.admin.ConfigCommand",
        "kafka-broker-api-versions.sh": "kafka.admin.BrokerApiVersionsCommand",
        "kafka-acls.sh": "kafka.admin.AclCommand",
        "kafka-console-producer.sh": "kafka.tools.ConsoleProducer",
        "zookeeper-shell.sh": "org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka"},
}
_CLIENT_HEAP = {"kafka-console-producer.sh", "kafka-console-consumer.sh", "kafka-producer-perf-test.sh"}

_RUN_CLASS = r"""#!/bin/bash
# kafka-run-class.sh as laid out by the KafkaPilot lab (Kafka {version}).
# The Apache scripts are not in the Maven jars; this keeps their variables and defaults.
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] [-name servicename] [-loggc] classname [opts]"
  exit 1
fi
base_dir=$(cd "$(dirname "$0")/.." && pwd)
CLASSPATH="$base_dir/libs/*"
if [ -z "$KAFKA_JMX_OPTS" ]; then
  KAFKA_JMX_OPTS="-Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false"
fi
if [ -n "$JMX_PORT" ]; then
  KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT"
fi
if [ -z "$LOG_DIR" ]; then
  LOG_DIR="$base_dir/logs"
fi
if [ -z "$KAFKA_LOG4J_OPTS" ]; then
  KAFKA_LOG4J_OPTS="{tools_log4j}"
fi
KAFKA_LOG4J_OPTS="-Dkafka.logs.dir=$LOG_DIR $KAFKA_LOG4J_OPTS"
if [ -z "$KAFKA_HEAP_OPTS" ]; then
  KAFKA_HEAP_OPTS="-Xmx256M"
fi
if [ -z "$KAFKA_JVM_PERFORMANCE_OPTS" ]; then
  KAFKA_JVM_PERFORMANCE_OPTS="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true"
fi
if [ -z "$JAVA_HOME" ]; then
  JAVA="java"
else
  JAVA="$JAVA_HOME/bin/java"
fi
DAEMON_MODE=false
while [ $# -gt 0 ]; do
  case "$1" in
    -name) DAEMON_NAME=$2; CONSOLE_OUTPUT_FILE=$LOG_DIR/$DAEMON_NAME.out; shift 2 ;;
    -loggc) GC_LOG_ENABLED=true; shift ;;
    -daemon) DAEMON_MODE=true; shift ;;
    *) break ;;
  esac
done
if [ "$GC_LOG_ENABLED" = "true" ]; then
  KAFKA_GC_LOG_OPTS="-Xlog:gc*:file=$LOG_DIR/$DAEMON_NAME-gc.log:time,tags:filecount=10,filesize=100M"
fi
if [ "$DAEMON_MODE" = "true" ]; then
  nohup "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_GC_LOG_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS -cp "$CLASSPATH" $KAFKA_OPTS "$@" > "$CONSOLE_OUTPUT_FILE" 2>&1 < /dev/null &
else
  exec "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_GC_LOG_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS -cp "$CLASSPATH" $KAFKA_OPTS "$@"
fi
"""  # noqa: E501 - kafka-run-class.sh as Kafka ships it

_SERVER_START = r"""#!/bin/bash
# kafka-server-start.sh as laid out by the KafkaPilot lab
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*"
  exit 1
fi
base_dir=$(dirname "$0")
if [ -z "$KAFKA_LOG4J_OPTS" ]; then
  export KAFKA_LOG4J_OPTS="{server_log4j}"
fi
if [ -z "$KAFKA_HEAP_OPTS" ]; then
  export KAFKA_HEAP_OPTS="-Xmx1G -Xms1G"
fi
EXTRA_ARGS=${EXTRA_ARGS-'-name kafkaServer -loggc'}
COMMAND=$1
case $COMMAND in
  -daemon) EXTRA_ARGS="-daemon "$EXTRA_ARGS; shift ;;
esac
exec "$base_dir/kafka-run-class.sh" $EXTRA_ARGS kafka.Kafka "$@"
"""

_SERVER_STOP = r"""#!/bin/bash
# kafka-server-stop.sh as laid out by the KafkaPilot lab
PIDS=$(ps ax | grep ' kafka\.Kafka ' | grep java | grep -v grep | awk '{print $1}')
if [ -z "$PIDS" ]; then
  echo "No kafka server to stop"
  exit 1
fi
kill -s TERM $PIDS
"""

_ZK_START = r"""#!/bin/bash
# zookeeper-server-start.sh as laid out by the KafkaPilot lab
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] zookeeper.properties"
  exit 1
fi
base_dir=$(dirname "$0")
if [ -z "$KAFKA_LOG4J_OPTS" ]; then
  export KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$base_dir/../config/log4j.properties"
fi
if [ -z "$KAFKA_HEAP_OPTS" ]; then
  export KAFKA_HEAP_OPTS="-Xmx512M -Xms512M"
fi
EXTRA_ARGS=${EXTRA_ARGS-'-name zookeeper -loggc'}
exec "$base_dir/kafka-run-class.sh" $EXTRA_ARGS org.apache.zookeeper.server.quorum.QuorumPeerMain "$@"
"""

_TOOLS_LOG4J2 = """Configuration:
  Properties:
    Property:
      - name: "logPattern"
        value: "[%d] %p %m (%c)%n"
  Appenders:
    Console:
      name: STDERR
      target: SYSTEM_ERR
      PatternLayout:
        pattern: "${logPattern}"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDERR
"""

_TOOLS_LOG4J = """log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
"""


def dist_dir(version: str) -> Path:
    return CACHE_DIR / "dist" / f"kafka-{version}"


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.write_text(text)
    path.chmod(mode)


def ensure_distribution(version: str, log) -> Path:  # noqa: ANN001 - log is a Progress
    """Return the directory to mount at /opt/kafka for `version`, resolving jars if needed."""
    root = dist_dir(version)
    resolve_jars(version, root / "libs", log)
    resolve_agent(root, log)
    major = int(version.split(".", maxsplit=1)[0])
    bin_dir, config = root / "bin", root / "config"
    bin_dir.mkdir(exist_ok=True)
    config.mkdir(exist_ok=True)
    if major >= 4:
        tools_log4j = "-Dlog4j2.configurationFile=$base_dir/config/tools-log4j2.yaml"
        server_log4j = "-Dlog4j2.configurationFile=$base_dir/../config/log4j2.yaml"
        _write(config / "tools-log4j2.yaml", _TOOLS_LOG4J2)
    else:
        tools_log4j = "-Dlog4j.configuration=file:$base_dir/config/tools-log4j.properties"
        server_log4j = "-Dlog4j.configuration=file:$base_dir/../config/log4j.properties"
        _write(config / "tools-log4j.properties", _TOOLS_LOG4J)
        _write(bin_dir / "zookeeper-server-start.sh", _ZK_START, 0o755)
    run_class = _RUN_CLASS.replace("{version}", version).replace("{tools_log4j}", tools_log4j)
    _write(bin_dir / "kafka-run-class.sh", run_class, 0o755)
    _write(bin_dir / "kafka-server-start.sh", _SERVER_START.replace("{server_log4j}", server_log4j), 0o755)
    _write(bin_dir / "kafka-server-stop.sh", _SERVER_STOP, 0o755)
    for script, main_class in TOOL_CLASSES[min(major, 4)].items():
        heap = 'if [ -z "$KAFKA_HEAP_OPTS" ]; then\n  export KAFKA_HEAP_OPTS="-Xmx512M"\nfi\n' \
            if script in _CLIENT_HEAP else ""
        text = f'#!/bin/bash\n# {script} as laid out by the KafkaPilot lab (Kafka {version})\n{heap}' \
               f'exec "$(dirname "$0")/kafka-run-class.sh" {main_class} "$@"\n'
        _write(bin_dir / script, text, 0o755)
    (root / "VERSION").write_text(version + "\n")
    return root
