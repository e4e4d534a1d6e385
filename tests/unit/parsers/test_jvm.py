"""JVM sizes, command-line splitting and java command parsing."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.jvm import (
    JavaAgent,
    expand_argfiles,
    heap_sizes,
    parse_java_command,
    parse_size,
    split_argfile,
    split_cmdline,
    split_flags_file,
    with_flags_file,
)
from tests.unit.parsers._samples import sample

GIB = 1 << 30


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1073741824", 1073741824),
        ("1024k", 1 << 20),
        ("1024K", 1 << 20),
        ("512m", 512 << 20),
        ("512M", 512 << 20),
        ("6g", 6 * GIB),
        ("6G", 6 * GIB),
        ("1t", 1 << 40),
        (" 2g ", 2 * GIB),
    ],
)
def test_parse_size(text: str, expected: int) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "g", "6gb", "1.5g", "-1g", "six", "6 g"])
def test_parse_size_rejects_junk(text: str) -> None:
    with pytest.raises(ValueError):
        parse_size(text)


def test_split_cmdline_forms() -> None:
    assert split_cmdline("java\0-Xmx1g\0-cp\0a b.jar\0Main\0") == ("java", "-Xmx1g", "-cp", "a b.jar", "Main")
    assert split_cmdline("java\n-Xmx1g\n-Dx=a b\nMain\n") == ("java", "-Xmx1g", "-Dx=a b", "Main")
    assert split_cmdline("java\r\n-Xmx1g\r\n") == ("java", "-Xmx1g")
    assert split_cmdline("java -Xmx1g '-Dx=a b' Main\n") == ("java", "-Xmx1g", "-Dx=a b", "Main")
    assert split_cmdline('java -Dq="unbalanced Main') == ("java", '-Dq="unbalanced', "Main")
    assert split_cmdline("") == ()
    assert split_cmdline("\0") == ()
    assert split_cmdline("\n\n") == ()


def test_kafka_java17_cmdline() -> None:
    command = parse_java_command(split_cmdline(sample("cmdline_kafka_java17.txt")))
    assert command.java == "/usr/lib/jvm/temurin-17-jdk-amd64/bin/java"
    assert command.xmx_bytes == 6 * GIB
    assert command.xms_bytes == 6 * GIB
    assert command.gc == "G1"
    assert command.gc_logging is True
    assert command.gc_log_path == "/var/log/kafka/kafkaServer-gc.log"
    assert command.system_properties["kafka.logs.dir"] == "/var/log/kafka"
    assert command.system_properties["log4j.configuration"] == "file:/etc/kafka/log4j.properties"
    assert command.system_properties["com.sun.management.jmxremote"] == ""
    assert command.xx_options["MaxGCPauseMillis"] == "20"
    assert command.xx_options["ExplicitGCInvokesConcurrent"] is True
    assert command.javaagents == (
        JavaAgent(
            jar="/opt/prometheus/jmx_prometheus_javaagent-1.0.1.jar",
            options="7071:/etc/kafka/jmx-exporter.yml",
        ),
    )
    assert command.classpath[1] == "/opt/kafka/bin/../libs/kafka-clients-3.9.1.jar"
    assert len(command.classpath) == 5
    assert command.main_class == "kafka.Kafka"
    assert command.program_args == ("/etc/kafka/server.properties",)
    assert command.jar is None
    assert command.other_options == ("-server",)
    # options after the class path (KAFKA_OPTS) are still JVM options
    assert command.system_properties["java.security.auth.login.config"] == "/etc/kafka/kafka_server_jaas.conf"


def test_kafka_java8_ps_line() -> None:
    command = parse_java_command(split_cmdline(sample("ps_kafka_java8.txt")))
    assert command.xmx_bytes == 4 * GIB  # -XX:MaxHeapSize after -Xmx1G wins
    assert command.xms_bytes == GIB
    assert command.xmn_bytes == 512 << 20
    assert command.max_metaspace_bytes == 256 << 20
    assert command.gc_logging is True
    assert command.gc_log_path == "/opt/kafka/bin/../logs/kafkaServer-gc.log"
    assert command.xx_options["UseGCLogFileRotation"] is True
    assert command.xx_options["GCLogFileSize"] == "100M"
    assert command.program_args == ("config/server.properties", "--override", "broker.id=3")


def test_zookeeper_cmdline() -> None:
    command = parse_java_command(split_cmdline(sample("cmdline_zookeeper.txt")))
    assert command.main_class == "org.apache.zookeeper.server.quorum.QuorumPeerMain"
    assert command.xmx_bytes == 512 << 20
    assert command.gc_logging is False
    assert command.gc_log_path is None


def test_last_heap_option_wins_and_junk_is_kept_aside() -> None:
    command = parse_java_command(["java", "-XX:MaxHeapSize=6442450944", "-Xmx2g", "-Xmxlots", "M"])
    assert command.xmx_bytes == 2 * GIB
    assert "-Xmxlots" in command.other_options
    command = parse_java_command(["java", "-Xmx2g", "-XX:MaxHeapSize=6g", "M"])
    assert command.xmx_bytes == 6 * GIB


@pytest.mark.parametrize(
    ("flag", "gc"),
    [
        ("-XX:+UseG1GC", "G1"),
        ("-XX:+UseZGC", "ZGC"),
        ("-XX:+UseShenandoahGC", "Shenandoah"),
        ("-XX:+UseParallelGC", "Parallel"),
        ("-XX:+UseParallelOldGC", "Parallel"),
        ("-XX:+UseSerialGC", "Serial"),
        ("-XX:+UseConcMarkSweepGC", "CMS"),
        ("-XX:+UseEpsilonGC", "Epsilon"),
    ],
)
def test_gc_choice(flag: str, gc: str) -> None:
    assert parse_java_command(["java", flag, "Main"]).gc == gc


def test_gc_not_chosen_or_switched_off() -> None:
    assert parse_java_command(["java", "Main"]).gc is None
    assert parse_java_command(["java", "-XX:+UseG1GC", "-XX:-UseG1GC", "Main"]).gc is None
    assert parse_java_command(["java", "-XX:+UseG1GC", "-XX:+UseZGC", "-XX:+ZGenerational", "M"]).gc == "ZGC"


@pytest.mark.parametrize(
    ("option", "logging", "path"),
    [
        ("-Xlog:gc*:file=/var/log/gc.log:time,uptime:filecount=5,filesize=10m", True, "/var/log/gc.log"),
        ('-Xlog:gc:file="/var/log/my gc.log"', True, "/var/log/my gc.log"),
        ("-Xlog:gc+heap=debug:/tmp/gc.txt", True, "/tmp/gc.txt"),
        ("-Xlog:safepoint,gc*=info:stdout", True, None),
        ("-Xlog:gc", True, None),
        ("-Xlog:all=warning:stderr", True, None),
        ("-Xlog:safepoint:file=/tmp/sp.log", False, None),
        ("-Xlog:gc=off", False, None),
        ("-Xlog", False, None),
        ("-Xloggc:/var/log/gc.log", True, "/var/log/gc.log"),
        ("-verbose:gc", True, None),
        ("-XX:+PrintGCDetails", True, None),
    ],
)
def test_gc_logging(option: str, logging: bool, path: str | None) -> None:
    command = parse_java_command(["java", option, "Main"])
    assert (command.gc_logging, command.gc_log_path) == (logging, path)


def test_xlog_disable_turns_logging_off_until_enabled_again() -> None:
    command = parse_java_command(["java", "-Xlog:gc:file=/a.log", "-Xlog:disable", "Main"])
    assert (command.gc_logging, command.gc_log_path) == (False, None)
    command = parse_java_command(["java", "-Xlog:disable", "-Xlog:gc*:file=/b.log", "Main"])
    assert (command.gc_logging, command.gc_log_path) == (True, "/b.log")


def test_jar_module_argfiles_and_modules_options() -> None:
    command = parse_java_command(
        ["java", "@/etc/jvm.args", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-jar", "app.jar", "--x"]
    )
    assert command.jar == "app.jar"
    assert command.main_class is None
    assert command.program_args == ("--x",)
    assert command.argfiles == ("/etc/jvm.args",)
    assert command.other_options == ("--add-opens", "java.base/java.lang=ALL-UNNAMED")
    command = parse_java_command(["java", "--class-path=a.jar:b.jar", "-m", "mod/pkg.Main", "arg"])
    assert command.classpath == ("a.jar", "b.jar")
    assert command.main_class == "mod/pkg.Main"
    assert command.program_args == ("arg",)
    command = parse_java_command(["java", "-classpath", "x.jar", "-javaagent:/a.jar", "Main"])
    assert command.javaagents == (JavaAgent(jar="/a.jar", options=None),)
    assert command.classpath == ("x.jar",)


def test_degenerate_command_lines() -> None:
    assert parse_java_command([]).java == ""
    command = parse_java_command(["-Xmx1g", "Main"])
    assert (command.java, command.xmx_bytes, command.main_class) == ("", GIB, "Main")
    command = parse_java_command(["java", "-cp"])
    assert command.classpath == ()
    assert command.main_class is None


# ------------------------------------------------------------------ options files (@argfile, -XX:Flags=)


def test_argfile_splits_like_the_launcher() -> None:
    text = (
        "# heap\n"
        "-Xms6g -Xmx6g\t-XX:+UseG1GC\r\n"
        '-Xlog:gc*:file="/var/log/my logs/gc.log":time\n'
        "-Dempty=''   -Dq='it\"s'\n"
        "-Dcut=a#b c\n"  # '#' starts a comment even inside an argument: the launcher drops it all
        '"-Dtab=a\\tb" "-Dpath=C:\\\\x"\n'
        '"-Djoined=one \\\n     two"\n'
        "-cp /opt/kafka/libs/* kafka.Kafka"
    )
    assert split_argfile(text) == (
        "-Xms6g", "-Xmx6g", "-XX:+UseG1GC",
        "-Xlog:gc*:file=/var/log/my logs/gc.log:time",
        "-Dempty=", '-Dq=it"s',
        "-Dtab=a\tb", "-Dpath=C:\\x",
        "-Djoined=one two",
        "-cp", "/opt/kafka/libs/*", "kafka.Kafka",
    )


def test_argfile_edge_cases() -> None:
    assert split_argfile("") == ()
    assert split_argfile("  \n# only a comment\n") == ()
    assert split_argfile('"" x') == ("", "x")  # an empty quoted argument before white space counts
    # a quote ends at the line end
    assert split_argfile('"unterminated quote\n-Xmx1g') == ("unterminated quote", "-Xmx1g")
    assert split_argfile("back\\slash outside quotes") == ("back\\slash", "outside", "quotes")
    assert split_argfile("@nested.args") == ("@nested.args",)  # no recursion


def test_flags_file_splits_like_hotspot() -> None:
    text = ("# HotSpot flags\n+UseG1GC\n  MaxHeapSize=6g InitialHeapSize=6g\nOnOutOfMemoryError='kill -9 %p'\n"
            "-UseBiasedLocking")
    assert split_flags_file(text) == ("+UseG1GC", "MaxHeapSize=6g", "InitialHeapSize=6g",
                                      "OnOutOfMemoryError=kill -9 %p", "-UseBiasedLocking")
    assert split_flags_file("") == ()
    assert split_flags_file("a=1 # a comment after an option\nb=2#kept\n") == ("a=1", "b=2#kept")


def _files(**files: str):  # noqa: ANN202
    return lambda path: split_argfile(files[path])


def test_argfiles_are_expanded_in_place_before_the_main_class() -> None:
    args = ["java", "-Xms1g", "@/etc/jvm.options", "-Xmx2g", "-cp", "@cp", "Main", "@/not/expanded"]
    expanded = expand_argfiles(args, _files(**{"/etc/jvm.options": "-Xms6g -Xmx6g", "cp": "/opt/kafka/libs/*"}))
    assert expanded == ("java", "-Xms1g", "-Xms6g", "-Xmx6g", "-Xmx2g", "-cp", "/opt/kafka/libs/*", "Main",
                        "@/not/expanded")
    command = parse_java_command(expanded)
    assert (command.xms_bytes, command.xmx_bytes) == (6 * GIB, 2 * GIB)  # the last occurrence wins
    assert command.program_args == ("@/not/expanded",)


def test_argfile_may_hold_the_main_class_and_program_arguments() -> None:
    expanded = expand_argfiles(["java", "@all.args", "@after"],
                               _files(**{"all.args": "-Xmx1g kafka.Kafka server.properties"}))
    assert expanded == ("java", "-Xmx1g", "kafka.Kafka", "server.properties", "@after")
    command = parse_java_command(expanded)
    assert command.main_class == "kafka.Kafka"
    assert command.program_args == ("server.properties", "@after")


def test_argfile_escape_and_disable() -> None:
    read = _files(a="-Xmx1g")
    assert expand_argfiles(["java", "@@a", "@", "Main"], read) == ("java", "@a", "@", "Main")
    assert (expand_argfiles(["java", "--disable-@files", "@a", "Main"], read)
            == ("java", "--disable-@files", "@a", "Main"))
    assert expand_argfiles(["java", "-jar", "@a", "@a"], _files(a="app.jar")) == ("java", "-jar", "app.jar", "@a")
    assert expand_argfiles(["java", "--module=m/Main", "@a"], read) == ("java", "--module=m/Main", "@a")
    assert expand_argfiles([], read) == ()


def test_flags_file_options_come_first_so_the_command_line_wins() -> None:
    args = with_flags_file(("java", "-Xms6g", "Main"), ("InitialHeapSize=1g", "+UseZGC"))
    assert args == ("java", "-XX:InitialHeapSize=1g", "-XX:+UseZGC", "-Xms6g", "Main")
    command = parse_java_command(args)
    assert command.xms_bytes == 6 * GIB
    assert command.gc == "ZGC"


# ------------------------------------------------------------------------------------------ heap sizes


def _heap(*options: str, memory: int | None = 32 * GIB) -> tuple[int | None, int | None]:
    return heap_sizes(parse_java_command(["java", *options, "Main"]), memory)


def test_heap_sizes_from_xms_xmx_need_no_memory() -> None:
    assert _heap("-Xms6g", "-Xmx6g", memory=None) == (6 * GIB, 6 * GIB)
    assert _heap("-XX:InitialHeapSize=1g", "-XX:MaxHeapSize=2g") == (GIB, 2 * GIB)


def test_heap_sizes_from_ram_percentages() -> None:
    assert _heap("-XX:InitialRAMPercentage=20", "-XX:MaxRAMPercentage=20") == (6871947673, 6871947673)
    assert _heap("-XX:InitialRAMPercentage=10", "-XX:MaxRAMPercentage=20") == (3435973836, 6871947673)
    assert _heap("-XX:InitialRAMFraction=4", "-XX:MaxRAMFraction=4") == (8 * GIB, 8 * GIB)
    assert _heap("-XX:MaxRAMPercentage=50", "-XX:MaxRAMFraction=8") == (GIB // 2, 16 * GIB)  # the percentage wins
    # capped at the maximum
    assert _heap("-XX:InitialRAMPercentage=50", "-XX:MaxRAMPercentage=25") == (8 * GIB, 8 * GIB)
    assert _heap("-XX:MaxRAM=16g", "-XX:InitialRAMPercentage=12.5", memory=None) == (2 * GIB, 4 * GIB)


def test_heap_sizes_xms_xmx_win_over_percentages() -> None:
    assert _heap("-Xmx6g", "-XX:InitialRAMPercentage=50") == (6 * GIB, 6 * GIB)  # initial capped at -Xmx
    assert _heap("-Xmx6g", "-XX:InitialRAMPercentage=10") == (3435973836, 6 * GIB)
    assert _heap("-Xms12g", "-XX:MaxRAMPercentage=25") == (12 * GIB, 12 * GIB)  # the maximum is at least -Xms
    assert _heap("-Xms2g") == (2 * GIB, 8 * GIB)


def test_heap_sizes_defaults_and_unknown_memory() -> None:
    assert _heap() == (GIB // 2, 8 * GIB)  # 1/64 and 1/4 of 32 GiB
    assert _heap(memory=512 * GIB) == (2 * GIB, 32 * GIB)  # sized from at most 128 GiB without a RAM flag
    assert _heap("-XX:MaxRAMPercentage=25", memory=512 * GIB) == (8 * GIB, 128 * GIB)  # a RAM flag lifts the cap
    assert _heap(memory=None) == (None, None)
    assert _heap("-Xmx6g", memory=None) == (None, 6 * GIB)
    assert _heap("-XX:MaxRAMPercentage=junk") == (GIB // 2, 8 * GIB)
