"""A Kafka-shaped host on this machine: real files under a root directory and a real JVM whose
main class is kafka.Kafka (or ZooKeeper's QuorumPeerMain) and that only sleeps.

Used by the unit tests of the collection (run against the local machine) and by
bench/collect_scaling.py (extra lab hosts). Nothing here needs the lab.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["FakeNode", "PLANTED", "classes_dir", "start_fake", "write_tree"]

_SOURCES: Final = {
    "kafka/Kafka.java": "package kafka; public class Kafka { public static void main(String[] a) throws Exception "
    "{ Thread.sleep(Long.MAX_VALUE); } }",
    "org/apache/zookeeper/server/quorum/QuorumPeerMain.java": "package org.apache.zookeeper.server.quorum; "
    "public class QuorumPeerMain { public static void main(String[] a) throws Exception { "
    "Thread.sleep(Long.MAX_VALUE); } }",
}
PLANTED: Final = {
    "server.properties ssl.keystore.password": "fake-4c1d2e3f5a6b7c8d",
    "server.properties sasl.jaas.config": "fake-0a9b8c7d6e5f4a3b",
    "jaas password": "fake-1122334455667788",
    "jaas user_admin": "fake-99aabbccddeeff00",
    "env KAFKA_KEYSTORE_PASSWORD": "fake-deadbeefcafef00d",
    "command line -D...Password": "fake-0123456789abcdef",
    "unit Environment SECRET": "fake-fedcba9876543210",
    "log4j token": "fake-a1b2c3d4e5f6a7b8",
}


def classes_dir(cache: Path) -> Path:
    """Compiled sleeping main classes (javac once per cache dir)."""
    out = cache / "classes"
    if (out / "kafka" / "Kafka.class").exists():
        return out
    src = cache / "src"
    for rel, text in _SOURCES.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text)
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["javac", "-d", str(out), *[str(src / rel) for rel in _SOURCES]], check=True, timeout=120)
    return out


@dataclass
class FakeNode:
    root: Path
    process: subprocess.Popen[bytes]
    config: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _put(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def _log_lines(now: float) -> str:
    old = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now - 3 * 86400))
    recent = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now - 600))
    return (f"[{old},000] INFO an old line outside the window (kafka.server.KafkaServer)\n"
            f"[{recent},000] ERROR a recent error (kafka.server.ReplicaManager)\n"
            "java.io.IOException: boom\n\tat kafka.Foo.bar(Foo.java:1)\n"
            f"[{recent},001] INFO [KafkaServer id=1] started (kafka.server.KafkaServer)\n")


def write_tree(root: Path, *, name: str = "fake-1", secrets: bool = True, version: str = "3.9.2",
               keystore_from: Path | None = None) -> dict[str, Path]:
    """Configs, unit, env file, log4j, logs, data dirs and a keystore of one fake broker under `root`
    (a copy of `keystore_from`, another fake broker's, instead of a new one: no keytool run)."""
    etc, logs, data = root / "etc/kafka", root / "var/log/kafka", root / "var/lib/kafka/data"
    libs = root / "opt/kafka/libs"
    libs.mkdir(parents=True, exist_ok=True)
    for jar in (f"kafka_2.13-{version}.jar", f"kafka-clients-{version}.jar"):
        (libs / jar).write_bytes(b"")
    (root / "opt/kafka/bin").mkdir(parents=True, exist_ok=True)
    pw = PLANTED if secrets else dict.fromkeys(PLANTED, "")
    keystore = _put(etc / "ssl" / f"{name}.keystore.jks", "not a real keystore: must never be copied", 0o640)
    if secrets and keystore_from:
        shutil.copyfile(keystore_from, keystore)
    elif secrets:  # a real JKS store (its certificate expires in 20 days) whose password is planted inline
        keystore.unlink()
        password = pw["server.properties ssl.keystore.password"]
        subprocess.run(["keytool", "-J-XX:-UsePerfData", "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname",
                        "secp256r1", "-dname", f"CN={name},O=KafkaPilot", "-validity", "20", "-storetype", "JKS",
                        "-keystore", str(keystore), "-storepass", password, "-keypass", password],
                       capture_output=True, timeout=120, check=True)
        keystore.chmod(0o640)
    jaas_value = (f'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" '
                  f'password="{pw["server.properties sasl.jaas.config"]}";')
    props = _put(etc / "server.properties", f"""# fake broker {name}
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@{name}:9093
listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093
controller.listener.names=CONTROLLER
log.dirs={data}
metadata.log.dir={root}/var/lib/kafka/meta
ssl.keystore.location={etc}/ssl/{name}.keystore.jks
ssl.keystore.type=JKS
ssl.keystore.password={pw["server.properties ssl.keystore.password"]}
ssl.truststore.password=${{file:/etc/kafka/secrets/ssl.properties:truststore.password}}
key.serializer=org.apache.kafka.common.serialization.StringSerializer
listener.name.client.plain.sasl.jaas.config={jaas_value}
""", 0o640)
    jaas = _put(etc / "kafka_server_jaas.conf", f"""KafkaServer {{
    org.apache.kafka.common.security.plain.PlainLoginModule required
    username="admin"
    password="{pw["jaas password"]}"
    user_admin="{pw["jaas user_admin"]}";
}};
""")
    log4j = _put(etc / "log4j.properties", f"""log4j.rootLogger=INFO, kafkaAppender
alertWebhookToken={pw["log4j token"]}
log4j.appender.kafkaAppender=org.apache.log4j.DailyRollingFileAppender
log4j.appender.kafkaAppender.DatePattern='.'yyyy-MM-dd-HH
log4j.appender.kafkaAppender.File=${{kafka.logs.dir}}/server.log
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
""")
    env = _put(root / "etc/default/kafka", f"""KAFKA_HEAP_OPTS="-Xmx16m"
KAFKA_KEYSTORE_PASSWORD="{pw["env KAFKA_KEYSTORE_PASSWORD"]}"
""")
    unit_dir = root / "etc/systemd/system"
    _put(unit_dir / "kafka.service", f"""[Unit]
Description=fake Kafka {name}
[Service]
User=kafka
EnvironmentFile={env}
Environment="SCHEMA_REGISTRY_API_SECRET={pw["unit Environment SECRET"]}"
ExecStart=/usr/bin/java $KAFKA_HEAP_OPTS -cp /opt/kafka/libs/* kafka.Kafka {props}
LimitNOFILE=100000
""")
    _put(unit_dir / "kafka.service.d" / "override.conf", "[Service]\nLimitNOFILE=200000\n")
    now = time.time()
    _put(logs / "server.log", _log_lines(now))
    rotated = _put(logs / "server.log.2020-01-01-00", "[2020-01-01 00:00:00,000] INFO ancient\n")
    os.utime(rotated, (now - 10 * 86400, now - 10 * 86400))
    recent_rotated = _put(logs / "server.log.recent", _log_lines(now))
    os.utime(recent_rotated, (now - 3600, now - 3600))
    for sub in ("data", "meta"):
        _put(root / "var/lib/kafka" / sub / "meta.properties", "version=1\nnode.id=1\ncluster.id=fakeClusterId\n")
    for partition in ("orders-0", "orders-1", "__consumer_offsets-0"):
        _put(data / partition / "00000000000000000000.log", "x" * 5000)
    return {"props": props, "jaas": jaas, "log4j": log4j, "env": env, "logs": logs, "unit_dir": unit_dir, "libs": libs,
            "keystore": keystore}


def start_fake(root: Path, classes: Path, paths: dict[str, Path], *, heap: str = "16m") -> FakeNode:
    """Start the sleeping kafka.Kafka JVM with the command line a real broker would have."""
    java = shutil.which("java") or "/usr/bin/java"
    argv = [java, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1",
            f"-Xlog:gc*:file={paths['logs']}/kafkaServer-gc.log:time,tags:filecount=10,filesize=100M",
            f"-Dlog4j.configuration=file:{paths['log4j']}", f"-Dkafka.logs.dir={paths['logs']}",
            f"-Djava.security.auth.login.config={paths['jaas']}",
            f"-Djavax.net.ssl.keyStorePassword={PLANTED['command line -D...Password']}",
            "-cp", f"{classes}:{paths['libs']}/*", "kafka.Kafka", str(paths["props"])]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (paths["logs"] / "kafkaServer-gc.log").exists():
        time.sleep(0.05)
    return FakeNode(root, proc, paths["props"])


def local_inventory(path: Path, paths: dict[str, Path], python: str) -> Path:
    """An inventory with the fake node over a local connection and one host whose sshd refuses."""
    path.write_text(f"""all:
  children:
    kafka_brokers:
      hosts:
        local1: {{ansible_connection: local, ansible_python_interpreter: {python}}}
        dead1: {{ansible_host: 127.0.0.254, ansible_port: 1}}
      vars:
        kafkapilot_unit_dirs: ["{paths['unit_dir']}"]
        kafkapilot_process_filter: ["{paths['props']}"]
        kafkapilot_bootstrap_server: "127.0.0.1:1"
        kafkapilot_command_timeout: 15
""")
    return path
