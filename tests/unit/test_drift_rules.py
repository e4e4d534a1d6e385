"""The drift rules compare what Kafka and the kernel mean, not how it is written (near misses from notes-nearmiss)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kafkapilot.findings import Status, Subject, SubjectKind
from tests.catalog.inline import SERVER, run_inline


def _on_kafka_3(artifact: str, old: str, new: str) -> dict[str, Any]:
    return {"patches": [{"host": "kafka-3", "artifact": artifact, "replace": [old, new]}]}


SAME_MEANING = {
    "retention in ms instead of hours": _on_kafka_3(SERVER, "log.retention.hours=168", "log.retention.ms=604800000"),
    "super users in another order": _on_kafka_3(
        SERVER, "super.users=User:CN=kafka-1;User:CN=kafka-2;User:CN=kafka-3;User:CN=admin",
        "super.users=User:CN=admin;User:CN=kafka-3; User:CN=kafka-2;User:CN=kafka-1",
    ),
    "a boolean in another case": _on_kafka_3(SERVER, "auto.create.topics.enable=false",
                                             "auto.create.topics.enable=False"),
}


@pytest.mark.parametrize("fixture", SAME_MEANING.values(), ids=SAME_MEANING.keys())
def test_config_written_another_way_is_no_drift(fixture: dict[str, Any], tmp_path: Path) -> None:
    finding = run_inline("config_drift", fixture, tmp_path)
    assert finding.status is Status.PASS, finding.summary


@pytest.mark.parametrize(
    ("fixture", "name", "actual"),
    [
        (_on_kafka_3(SERVER, "log.retention.hours=168", "log.retention.hours=24"), "log retention (ms)", "86400000"),
        (_on_kafka_3(SERVER, "auto.create.topics.enable=false", "auto.create.topics.enable=TRUE"),
         "auto.create.topics.enable", "true"),
        (_on_kafka_3(SERVER, ";User:CN=admin", ""), "super.users", "User:CN=kafka-1;User:CN=kafka-2;User:CN=kafka-3"),
    ],
    ids=["retention", "boolean", "super users"],
)
def test_a_real_difference_is_still_drift(fixture: dict[str, Any], name: str, actual: str, tmp_path: Path) -> None:
    finding = run_inline("config_drift", fixture, tmp_path)
    assert finding.status is Status.FAIL
    (evidence,) = finding.evidence
    assert evidence.subject == Subject(kind=SubjectKind.SETTING, name=name)
    assert (evidence.host, evidence.actual) == ("kafka-3", f"kafka-3: {actual}")


def _memory(kib: int) -> dict[str, Any]:
    return _on_kafka_3("meminfo", f"MemTotal:       {32 * 1024 * 1024} kB", f"MemTotal:       {kib} kB")


def test_memory_a_few_mib_apart_is_the_same_hardware(tmp_path: Path) -> None:
    finding = run_inline("hardware_drift", _memory(32 * 1024 * 1024 - 4096), tmp_path)
    assert finding.status is Status.PASS, finding.summary


def test_memory_that_really_differs_is_drift(tmp_path: Path) -> None:
    finding = run_inline("hardware_drift", _memory(16 * 1024 * 1024), tmp_path)
    assert finding.status is Status.FAIL
    assert [e.subject for e in finding.evidence] == [Subject(kind=SubjectKind.SETTING, name="memory")]
