"""``java -version`` output (printed on stderr): version, major, vendor and runtime.

Examples of the first two lines::

    openjdk version "17.0.15" 2025-04-15
    OpenJDK Runtime Environment Temurin-17.0.15+6 (build 17.0.15+6)

    java version "1.8.0_202"
    Java(TM) SE Runtime Environment (build 1.8.0_202-b08)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines
from kafkapilot.parsers.errors import ParseError

__all__ = ["JavaVersion", "parse_java_version"]

_VERSION_LINE: Final[re.Pattern[str]] = re.compile(
    r'^(?P<impl>[\w.-]+) version "(?P<version>[^"]+)"(?:\s+(?P<date>\d{4}-\d\d-\d\d))?(?P<rest>.*)$'
)
_BUILD: Final[re.Pattern[str]] = re.compile(r"\(build ([^,)]+)")
#: (substring of the runtime or VM line, vendor name), first match wins.
_VENDORS: Final[tuple[tuple[str, str], ...]] = (
    ("Temurin", "Eclipse Temurin"),
    ("AdoptOpenJDK", "AdoptOpenJDK"),
    ("Zulu", "Azul Zulu"),
    ("Corretto", "Amazon Corretto"),
    ("Red_Hat", "Red Hat"),
    ("Red Hat", "Red Hat"),
    ("Microsoft", "Microsoft"),
    ("GraalVM", "Oracle GraalVM"),
    ("SapMachine", "SAP SapMachine"),
    ("BellSoft", "BellSoft Liberica"),
    ("Liberica", "BellSoft Liberica"),
    ("Semeru", "IBM Semeru"),
    ("IBM", "IBM"),
    ("OpenJ9", "Eclipse OpenJ9"),
    ("Debian", "Debian"),
    ("Ubuntu", "Ubuntu"),
    ("JetBrains", "JetBrains"),
    ("Java(TM)", "Oracle"),
    ("Java HotSpot", "Oracle"),
)


@dataclass(frozen=True, slots=True)
class JavaVersion:
    """``version`` as printed (``1.8.0_392``, ``17.0.15``, ``21``); ``major`` 8, 17, 21 …"""

    version: str
    major: int
    vendor: str | None
    runtime: str | None
    vm: str | None = None
    build: str | None = None
    implementation: str | None = None


def parse_java_version(text: str) -> JavaVersion:
    """Parse ``java -version``. Raises ParseError when no version line is found."""
    lines = list(content_lines(text))
    for position, (number, line) in enumerate(lines):
        match = _VERSION_LINE.match(line.strip())
        if match is None:
            continue
        version = match.group("version")
        following = [candidate.strip() for _, candidate in lines[position + 1 : position + 3]]
        runtime = following[0] if following else None
        vm = following[1] if len(following) > 1 else None
        try:
            major = _major(version)
        except ValueError as exc:
            raise ParseError(f"unreadable Java version {version!r}", line=number) from exc
        build = _BUILD.search(runtime or "")
        return JavaVersion(
            version=version,
            major=major,
            vendor=_vendor(runtime, vm, match.group("impl")),
            runtime=runtime,
            vm=vm,
            build=build.group(1).strip() if build else None,
            implementation=match.group("impl"),
        )
    first = lines[0][0] if lines else None
    raise ParseError("no 'version \"…\"' line: not java -version output", line=first)


def _major(version: str) -> int:
    """``1.8.0_392`` → 8 (the pre-JDK 9 scheme), ``17.0.15`` → 17, ``21-ea`` → 21."""
    numbers = re.findall(r"\d+", version)
    if not numbers:
        raise ValueError(version)
    if numbers[0] == "1" and len(numbers) > 1:
        return int(numbers[1])
    return int(numbers[0])


def _vendor(runtime: str | None, vm: str | None, implementation: str) -> str | None:
    for line in (runtime, vm):
        for needle, vendor in _VENDORS:
            if line and needle in line:
                return vendor
    if implementation == "openjdk":
        return "OpenJDK"
    return None
