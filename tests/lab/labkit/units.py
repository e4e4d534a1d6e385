"""systemd unit files and their EnvironmentFile (/etc/default/NAME) for kafka and zookeeper."""
from __future__ import annotations

__all__ = ["default_env", "unit_file", "SERVICES"]

# service -> (main class, config file, log dir, description)
SERVICES = {
    "kafka": ("kafka.Kafka", "/etc/kafka/server.properties", "/var/log/kafka", "Apache Kafka broker"),
    "zookeeper": ("org.apache.zookeeper.server.quorum.QuorumPeerMain", "/etc/kafka/zookeeper.properties",
                  "/var/log/zookeeper", "Apache ZooKeeper server (from the Kafka distribution)"),
}
_PERF = ("-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 "
         "-XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true")
_JMX = ("-Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false "
        "-Dcom.sun.management.jmxremote.ssl=false")
_VARS = ("KAFKA_HEAP_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_JMX_OPTS",
         "KAFKA_LOG_DIR_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_OPTS")


def default_env(service: str, *, heap: str, log4j2: bool, kafka_opts: str = "") -> str:
    _, _, log_dir, _ = SERVICES[service]
    gc_name = "kafkaServer-gc.log" if service == "kafka" else "zookeeper-gc.log"
    log4j = ("-Dlog4j2.configurationFile=/etc/kafka/log4j2.yaml" if log4j2
             else "-Dlog4j.configuration=file:/etc/kafka/log4j.properties")
    return f"""# /etc/default/{service}: environment of {service}.service (EnvironmentFile=)
KAFKA_HEAP_OPTS="-Xms{heap} -Xmx{heap}"
KAFKA_JVM_PERFORMANCE_OPTS="{_PERF}"
KAFKA_GC_LOG_OPTS="-Xlog:gc*:file={log_dir}/{gc_name}:time,tags:filecount=10,filesize=100M"
KAFKA_JMX_OPTS="{_JMX}"
KAFKA_LOG_DIR_OPTS="-Dkafka.logs.dir={log_dir}"
KAFKA_LOG4J_OPTS="{log4j}"
KAFKA_OPTS="{kafka_opts}"
"""


def unit_file(service: str, *, limit_nofile: int = 100000) -> str:
    main_class, config, _, description = SERVICES[service]
    expanded = " ".join(f"${v}" for v in _VARS)
    after = "network-online.target" if service == "zookeeper" else "network-online.target zookeeper.service"
    return f"""[Unit]
Description={description}
Documentation=https://kafka.apache.org/documentation/
Wants=network-online.target
After={after}

[Service]
Type=simple
User=kafka
Group=kafka
EnvironmentFile=/etc/default/{service}
ExecStart=/usr/bin/java {expanded} -cp /opt/kafka/libs/* {main_class} {config}
LimitNOFILE={limit_nofile}
Restart=on-failure
RestartSec=5
TimeoutStopSec=120
SuccessExitStatus=143

[Install]
WantedBy=multi-user.target
"""
