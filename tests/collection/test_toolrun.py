"""The cluster-wide tools' runner on this machine (no lab): the one JVM (java/ToolRunner.java) and the
script-by-script fallback run a tool again while it fails with its declared retry pattern (kafka-acls
answered by a broker without an authorizer), keep a failed tool's stderr head as its reason, and read a
tool that printed nothing (a healthy `--under-replicated-partitions`) from the one JVM, not again as a script.

The one-JVM case needs a JDK and kafka-clients (the ToolRunner replaces Kafka's Exit procedure): the jar
Maven keeps for the lab (~/.m2), else the test is skipped with the reason.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.collection.collection_path import ROOT

pytestmark = pytest.mark.integration  # javac, jar and JVMs

RUNNER = ROOT / "plugins" / "plugin_utils" / "java" / "ToolRunner.java"
#: fails with SecurityDisabledException (on stdout, as kafka-acls does) until its counter file reaches FAILURES
FLAKY = """
import java.nio.file.*;
public class Flaky {
    static void exit(int code) throws Exception {  // Kafka's Exit: utils.internals from 4.0, utils before
        Class<?> exit;
        try { exit = Class.forName("org.apache.kafka.common.utils.internals.Exit"); }
        catch (ClassNotFoundException e) { exit = Class.forName("org.apache.kafka.common.utils.Exit"); }
        try { exit.getMethod("exit", int.class).invoke(null, code); }
        catch (java.lang.reflect.InvocationTargetException e) { throw (RuntimeException) e.getCause(); }
    }

    public static void main(String[] args) throws Exception {
        Path counter = Paths.get(args[0]);
        int seen = Files.exists(counter) ? Integer.parseInt(Files.readString(counter).trim()) : 0;
        Files.writeString(counter, String.valueOf(seen + 1));
        if (seen < Integer.parseInt(args[1])) {
            System.out.println("Error while executing ACL command: org.apache.kafka.common.errors."
                + "SecurityDisabledException: No Authorizer is configured on the broker");
            exit(1);
        }
        System.out.println("Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, "
            + "patternType=LITERAL)`:");
    }
}
"""
SILENT = "public class Silent { public static void main(String[] args) { } }"


def _kafka_clients() -> Path | None:
    maven = Path.home() / ".m2" / "repository" / "org" / "apache" / "kafka" / "kafka-clients"
    found = sorted(maven.glob("*/*.jar"))
    return found[-1] if found else None


@pytest.fixture(scope="module")
def kafka_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clients = _kafka_clients()
    if shutil.which("javac") is None or shutil.which("jar") is None or clients is None:
        pytest.skip("needs a JDK (javac, jar) and kafka-clients in ~/.m2 (the lab resolves it)")
    home = tmp_path_factory.mktemp("kafka")
    src, classes, libs, bin_dir = home / "src", home / "classes", home / "libs", home / "bin"
    for folder in (src, classes, libs, bin_dir):
        folder.mkdir()
    (src / "Flaky.java").write_text(FLAKY)
    (src / "Silent.java").write_text(SILENT)
    sources = [str(src / "Flaky.java"), str(src / "Silent.java")]
    subprocess.run(["javac", "-cp", str(clients), "-d", str(classes), *sources],
                   check=True, capture_output=True, timeout=120)
    subprocess.run(["jar", "cf", str(libs / "tools.jar"), "-C", str(classes), "."], check=True, timeout=60)
    shutil.copy(clients, libs / clients.name)
    for script, main_class in (("kafka-acls.sh", "Flaky"), ("kafka-topics.sh", "Silent")):
        path = bin_dir / script
        path.write_text(f'#!/bin/bash\nexec "$(dirname "$0")/kafka-run-class.sh" {main_class} "$@"\n')
        path.chmod(0o755)
    (bin_dir / "kafka-run-class.sh").write_text('#!/bin/bash\nexec java -cp "$(dirname "$0")/../libs/*" "$@"\n')
    (bin_dir / "kafka-run-class.sh").chmod(0o755)
    return home


def _run(host_module: ModuleType, home: Path, tools: list[dict[str, Any]], *, one_jvm: bool,
         retries: dict[str, list[Any]]) -> dict[str, Any]:
    req = {"tools": tools, "home": str(home), "java": shutil.which("java"), "source": RUNNER.read_text(),
           "jvm_opts": ["-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"], "env": {}, "timeout": 60,
           "threads": 2, "max_bytes": 1 << 20, "one_jvm": one_jvm, "retries": retries}
    return host_module.op_toolrun(req)


@pytest.mark.parametrize("one_jvm", [True, False], ids=["one-jvm", "script"])
def test_a_tool_is_run_again_while_it_fails_with_its_retry_pattern(
        host_module: ModuleType, kafka_home: Path, tmp_path: Path, one_jvm: bool) -> None:
    acls = str(kafka_home / "bin" / "kafka-acls.sh")
    answer = _run(host_module, kafka_home, [{"id": "acls", "argv": [acls, str(tmp_path / "n"), "2"]}],
                  one_jvm=one_jvm, retries={"acls": ["SecurityDisabledException", 5]})
    result = answer["tools"]["acls"]
    assert answer["one_jvm_error"] is None
    assert result["via"] == ("one JVM" if one_jvm else "script")
    assert result["rc"] == 0 and result["stdout"].startswith("Current ACLs for resource")
    assert (tmp_path / "n").read_text() == "3"  # two failures, then the answer
    assert "kafkapilot: attempt 3 of 5 (the earlier ones failed with SecurityDisabledException)" in result["stderr"]


@pytest.mark.parametrize("one_jvm", [True, False], ids=["one-jvm", "script"])
def test_a_tool_that_keeps_failing_gives_up_and_its_reason_is_the_output_head(
        host_module: ModuleType, kafka_home: Path, tmp_path: Path, one_jvm: bool) -> None:
    acls = str(kafka_home / "bin" / "kafka-acls.sh")
    answer = _run(host_module, kafka_home, [{"id": "acls", "argv": [acls, str(tmp_path / "n"), "99"]}],
                  one_jvm=one_jvm, retries={"acls": ["SecurityDisabledException", 3]})
    result = answer["tools"]["acls"]
    assert result["status"] == "failed" and result["rc"] == 1
    assert (tmp_path / "n").read_text() == "3"
    assert result["error"] == ("exit code 1: kafkapilot: attempt 3 of 3 (the earlier ones failed with "
                               "SecurityDisabledException) | Error while executing ACL command: org.apache.kafka."
                               "common.errors.SecurityDisabledException: No Authorizer is configured on the broker")


def test_without_a_retry_pattern_a_failed_tool_runs_once(host_module: ModuleType, kafka_home: Path,
                                                         tmp_path: Path) -> None:
    acls = str(kafka_home / "bin" / "kafka-acls.sh")
    answer = _run(host_module, kafka_home, [{"id": "acls", "argv": [acls, str(tmp_path / "n"), "1"]}],
                  one_jvm=True, retries={})
    assert answer["tools"]["acls"]["rc"] == 1 and (tmp_path / "n").read_text() == "1"


def test_a_tool_that_prints_nothing_is_read_from_the_one_jvm(host_module: ModuleType, kafka_home: Path) -> None:
    topics = str(kafka_home / "bin" / "kafka-topics.sh")
    answer = _run(host_module, kafka_home, [{"id": "topics_under_replicated", "argv": [topics]}],
                  one_jvm=True, retries={})
    result = answer["tools"]["topics_under_replicated"]
    assert (result["via"], result["rc"], result["stdout"]) == ("one JVM", 0, "")
