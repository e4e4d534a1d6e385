"""Broker logging configs as shipped by Kafka: log4j2.yaml (4.x) and log4j.properties (3.x).

Both write server.log, controller.log, state-change.log, kafka-request.log, log-cleaner.log and
kafka-authorizer.log under ${kafka.logs.dir} (-Dkafka.logs.dir=/var/log/kafka).
"""
from __future__ import annotations

__all__ = ["log4j2_yaml", "log4j_properties"]

_APPENDERS = [  # (appender, file)
    ("KafkaAppender", "server.log"), ("StateChangeAppender", "state-change.log"),
    ("RequestAppender", "kafka-request.log"), ("CleanerAppender", "log-cleaner.log"),
    ("ControllerAppender", "controller.log"), ("AuthorizerAppender", "kafka-authorizer.log")]
_LOGGERS = [  # (logger, level, appender or "" for root only)
    ("kafka", "INFO", ""), ("org.apache.kafka", "INFO", ""),
    ("kafka.request.logger", "WARN", "RequestAppender"),
    ("kafka.network.RequestChannel$", "WARN", "RequestAppender"),
    ("org.apache.kafka.controller", "INFO", "ControllerAppender"),
    ("kafka.controller", "TRACE", "ControllerAppender"),
    ("kafka.log.LogCleaner", "INFO", "CleanerAppender"),
    ("org.apache.kafka.storage.internals.log.LogCleaner", "INFO", "CleanerAppender"),
    ("state.change.logger", "INFO", "StateChangeAppender"),
    ("kafka.authorizer.logger", "INFO", "AuthorizerAppender")]


def log4j2_yaml(extra_properties: dict[str, str] | None = None) -> str:
    props = {"kafka.logs.dir": ".", "logPattern": "[%d] %p %m (%c)%n", **(extra_properties or {})}
    out = ["Configuration:", "  Properties:", "    Property:"]
    for name, value in props.items():
        out += [f'      - name: "{name}"', f'        value: "{value}"']
    out += ["  Appenders:", "    Console:", "      name: STDOUT", "      PatternLayout:",
            '        pattern: "${logPattern}"', "    RollingFile:"]
    for appender, file in _APPENDERS:
        out += [f"      - name: {appender}",
                f'        fileName: "${{sys:kafka.logs.dir}}/{file}"',
                f'        filePattern: "${{sys:kafka.logs.dir}}/{file}.%d{{yyyy-MM-dd-HH}}"',
                "        PatternLayout:", '          pattern: "${logPattern}"',
                "        TimeBasedTriggeringPolicy:", "          modulate: true", "          interval: 1"]
    out += ["  Loggers:", "    Root:", "      level: INFO", "      AppenderRef:",
            "        - ref: STDOUT", "        - ref: KafkaAppender", "    Logger:"]
    for logger, level, appender in _LOGGERS:
        out += [f'      - name: "{logger}"', f"        level: {level}"]
        if appender:
            out += ["        additivity: false", "        AppenderRef:", f"          ref: {appender}"]
    return "\n".join(out) + "\n"


def log4j_properties(extra_properties: dict[str, str] | None = None) -> str:
    out = ["# Kafka log4j 1.x (reload4j) configuration", "log4j.rootLogger=INFO, stdout, kafkaAppender", "",
           "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
           "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
           "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n", ""]
    short = {"KafkaAppender": "kafkaAppender", "StateChangeAppender": "stateChangeAppender",
             "RequestAppender": "requestAppender", "CleanerAppender": "cleanerAppender",
             "ControllerAppender": "controllerAppender", "AuthorizerAppender": "authorizerAppender"}
    for appender, file in _APPENDERS:
        a = f"log4j.appender.{short[appender]}"
        out += [f"{a}=org.apache.log4j.DailyRollingFileAppender", f"{a}.DatePattern='.'yyyy-MM-dd-HH",
                f"{a}.File=${{kafka.logs.dir}}/{file}", f"{a}.layout=org.apache.log4j.PatternLayout",
                f"{a}.layout.ConversionPattern=[%d] %p %m (%c)%n", ""]
    for logger, level, appender in _LOGGERS:
        if appender:
            out += [f"log4j.logger.{logger}={level}, {short[appender]}", f"log4j.additivity.{logger}=false"]
        else:
            out.append(f"log4j.logger.{logger}={level}")
    out += ["", "# ZooKeeper servers started from this distribution log through the same file",
            "log4j.logger.org.apache.zookeeper=INFO"]
    out += [f"{k}={v}" for k, v in (extra_properties or {}).items()]
    return "\n".join(out) + "\n"
