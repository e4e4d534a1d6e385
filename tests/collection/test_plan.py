"""The discovery chain's decisions, from command lines and configs (no host needed)."""

from __future__ import annotations

from tests.collection.collection_path import plugin_utils

plan = plugin_utils("plan")

ARGS = ["/usr/bin/java", "-Xms1g", "-Xmx1g", "-Dkafka.logs.dir=/var/log/kafka",
        "-Dlog4j2.configurationFile=/etc/kafka/log4j2.yaml", "-Djava.security.auth.login.config=/etc/kafka/jaas.conf",
        "-javaagent:/opt/jmx/jmx_prometheus_javaagent-1.0.1.jar=7071:/opt/jmx/kafka.yml",
        "-Xlog:gc*:file=/var/log/kafka/gc.log:time", "-cp", "/opt/kafka/libs/*", "kafka.Kafka",
        "/etc/kafka/server.properties", "--override", "x=y"]
YAML = """Configuration:
  Properties:
    Property:
      - name: "kafka.logs.dir"
        value: "."
  Appenders:
    RollingFile:
      - name: KafkaAppender
        fileName: "${sys:kafka.logs.dir}/server.log"
        filePattern: "${sys:kafka.logs.dir}/server.log.%d{yyyy-MM-dd-HH}"
"""


def _process(args: list[str] = ARGS) -> plan.Process:
    processes = plan.classify_processes([{"pid": 42, "args": args, "user": "kafka"},
                                         {"pid": 7, "args": ["/usr/bin/java", "-cp", "x", "org.Other"], "user": "x"}])
    assert len(processes) == 1
    return processes[0]


def test_process_and_the_files_its_command_line_names() -> None:
    process = _process()
    assert (process.instance, process.kind, process.config_path) == ("kafka", "kafka", "/etc/kafka/server.properties")
    assert plan.kafka_home(process) == "/opt/kafka"
    assert plan.classpath_globs(process) == ["/opt/kafka/libs/*.jar"]
    assert plan.log4j_paths(process, "/opt/kafka") == ["/etc/kafka/log4j2.yaml"]
    assert plan.jaas_paths(process) == ["/etc/kafka/jaas.conf"] and plan.jvm_option_paths(process) == []
    assert plan.prometheus_url(process) == "http://127.0.0.1:7071/metrics"


def test_two_brokers_on_one_host_get_distinct_instances() -> None:
    second = [*ARGS[:-3], "/etc/kafka2/server.properties"]
    processes = plan.classify_processes([{"pid": 9, "args": second}, {"pid": 8, "args": ARGS},
                                         {"pid": 5,
                                          "args": ["java", "-cp", "z", plan.ZOOKEEPER_MAIN_CLASSES[0], "/z.cfg"]}])
    assert [(p.instance, p.config_path) for p in processes] == [
        ("kafka", "/etc/kafka/server.properties"), ("kafka-2", "/etc/kafka2/server.properties"),
        ("zookeeper", "/z.cfg")]


def test_log_files_come_from_the_log4j_config_with_rotation() -> None:
    process = _process()
    files, notes = plan.log_targets(process, {"/etc/kafka/log4j2.yaml": YAML}, "/opt/kafka")
    assert not notes
    assert files == [{"path": "/var/log/kafka/server.log",
                      "rotated": ["/var/log/kafka/server.log.*", "/var/log/kafka/server.log-*"]}]
    fallback, notes = plan.log_targets(process, {}, "/opt/kafka")
    assert "/var/log/kafka/server.log" in {f["path"] for f in fallback} and notes


def test_the_unit_is_the_one_naming_the_config() -> None:
    units = [{"name": "zookeeper.service",
              "content": "[Service]\nExecStart=/opt/kafka/bin/zookeeper-server-start.sh /z\n"},
             {"name": "kafka.service", "content": "[Service]\nUser=kafka\nExecStart=/usr/bin/java -cp x kafka.Kafka "
                                                  "/etc/kafka/server.properties\n"}]
    assert plan.match_unit(_process(), units, systemd_running=False)["name"] == "kafka.service"
    process = _process()
    process.raw["cgroup"] = {"status": "ok", "content": "0::/system.slice/confluent-kafka.service\n"}
    assert plan.match_unit(process, units, systemd_running=True)["name"] == "confluent-kafka.service"
    assert plan.match_unit(process, units, systemd_running=False)["name"] == "kafka.service"
    assert plan.unit_config_paths(units) == {"kafka.service": "/etc/kafka/server.properties"}


def test_data_dirs_and_keystores_from_the_config() -> None:
    config = {"log.dirs": "/d1, /d2", "metadata.log.dir": "/meta", "ssl.keystore.location": "/s/k.jks",
              "ssl.truststore.location": "/s/t.jks", "zookeeper.ssl.keystore.location": "/s/zk.p12",
              "ssl.keystore.type": "JKS",
              "sasl.jaas.config": 'x required useKeyTab=true keyTab="/etc/k.keytab" principal="kafka/h@R";'}
    assert plan.data_dirs(config, "kafka") == ["/d1", "/d2", "/meta"]
    assert plan.data_dirs({}, "kafka") == ["/tmp/kafka-logs"]
    assert plan.data_dirs({"dataDir": "/zk", "dataLogDir": "/zkl"}, "zookeeper") == ["/zk", "/zkl"]
    assert plan.keystore_paths(config) == ["/etc/k.keytab", "/s/k.jks", "/s/t.jks", "/s/zk.p12"]
