"""java -version output of the JDK builds found on Kafka hosts."""

from __future__ import annotations

import pytest

from kafkapilot.parsers.java_version import parse_java_version
from tests.unit.parsers._samples import sample


@pytest.mark.parametrize(
    ("name", "version", "major", "vendor", "build"),
    [
        ("java_version_temurin17.txt", "17.0.15", 17, "Eclipse Temurin", "17.0.15+6"),
        ("java_version_oracle8.txt", "1.8.0_202", 8, "Oracle", "1.8.0_202-b08"),
        ("java_version_corretto21.txt", "21.0.5", 21, "Amazon Corretto", "21.0.5+11-LTS"),
        ("java_version_zulu11.txt", "11.0.21", 11, "Azul Zulu", "11.0.21+9-LTS"),
        ("java_version_redhat8.txt", "1.8.0_392", 8, "OpenJDK", "1.8.0_392-b08"),
        ("java_version_debian21.txt", "21", 21, "Debian", "21+35-Debian-1"),
    ],
)
def test_samples(name: str, version: str, major: int, vendor: str, build: str) -> None:
    parsed = parse_java_version(sample(name))
    assert (parsed.version, parsed.major, parsed.vendor, parsed.build) == (version, major, vendor, build)
    assert parsed.runtime is not None and "Runtime Environment" in parsed.runtime
    assert parsed.vm is not None and "VM" in parsed.vm


def test_runtime_line_is_kept_whole() -> None:
    parsed = parse_java_version(sample("java_version_temurin17.txt"))
    assert parsed.runtime == "OpenJDK Runtime Environment Temurin-17.0.15+6 (build 17.0.15+6)"
    assert parsed.implementation == "openjdk"


@pytest.mark.parametrize(
    ("line", "major", "vendor"),
    [
        ('openjdk version "9.0.4"', 9, "OpenJDK"),
        ('java version "10" 2018-03-20', 10, None),
        ('openjdk version "22-ea" 2024-03-19', 22, "OpenJDK"),
        ('openjdk version "17.0.8.1" 2023-08-24\nIBM Semeru Runtime Open Edition 17.0.8.1 (build 17.0.8.1+1)',
         17, "IBM Semeru"),
        ('openjdk version "11.0.20" 2023-07-18 LTS\n'
         "OpenJDK Runtime Environment (Red_Hat-11.0.20.0.8-1) (build 11.0.20+8-LTS)", 11, "Red Hat"),
    ],
)
def test_other_builds(line: str, major: int, vendor: str | None) -> None:
    parsed = parse_java_version(line)
    assert (parsed.major, parsed.vendor) == (major, vendor)

