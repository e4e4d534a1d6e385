"""JVM command lines: sizes, argument splitting and the options of a ``java`` invocation.

The command line of a running JVM reaches the snapshot as ``/proc/<pid>/cmdline`` with
its NUL separators turned into newlines (one argument per line); ``ps`` gives it as one
space-joined line. :func:`split_cmdline` accepts both (and raw NULs), and
:func:`parse_java_command` reads the arguments the way the ``java`` launcher does: options
up to the main class (or ``-jar``/``-m``), program arguments after it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "JavaAgent",
    "JavaCommand",
    "parse_java_command",
    "parse_size",
    "split_cmdline",
]

_SIZE: Final[re.Pattern[str]] = re.compile(r"^\s*(\d+)([kmgt]?)\s*$", re.IGNORECASE)
_MULTIPLIERS: Final[dict[str, int]] = {
    "": 1,
    "k": 1 << 10,
    "m": 1 << 20,
    "g": 1 << 30,
    "t": 1 << 40,
}
_CLASSPATH_OPTIONS: Final[frozenset[str]] = frozenset({"-cp", "-classpath", "--class-path"})
#: Launcher options whose value is the next argument (not joined with ``=``).
_OPTIONS_WITH_VALUE: Final[frozenset[str]] = frozenset(
    {
        "-p",
        "--module-path",
        "--upgrade-module-path",
        "--add-modules",
        "--add-opens",
        "--add-exports",
        "--add-reads",
        "--patch-module",
        "--limit-modules",
        "--enable-native-access",
        "--source",
    }
)
_GC_FLAGS: Final[dict[str, str]] = {
    "UseG1GC": "G1",
    "UseZGC": "ZGC",
    "UseShenandoahGC": "Shenandoah",
    "UseParallelGC": "Parallel",
    "UseParallelOldGC": "Parallel",
    "UseSerialGC": "Serial",
    "UseConcMarkSweepGC": "CMS",
    "UseEpsilonGC": "Epsilon",
}
#: -XX options that are the long forms of the -X size options.
_XX_SIZES: Final[dict[str, str]] = {
    "MaxHeapSize": "xmx_bytes",
    "InitialHeapSize": "xms_bytes",
    "MaxMetaspaceSize": "max_metaspace_bytes",
}
_X_SIZES: Final[dict[str, str]] = {"-Xmx": "xmx_bytes", "-Xms": "xms_bytes", "-Xmn": "xmn_bytes"}
_GC_PRINT_FLAGS: Final[frozenset[str]] = frozenset({"PrintGC", "PrintGCDetails"})


@dataclass(frozen=True, slots=True)
class JavaAgent:
    """``-javaagent:<jar>[=<options>]``."""

    jar: str
    options: str | None


@dataclass(frozen=True, slots=True)
class JavaCommand:
    """What a ``java`` command line says. Sizes are bytes; the last occurrence wins."""

    java: str
    xms_bytes: int | None = None
    xmx_bytes: int | None = None
    xmn_bytes: int | None = None
    max_metaspace_bytes: int | None = None
    gc: str | None = None
    gc_log_path: str | None = None
    gc_logging: bool = False
    system_properties: dict[str, str] = field(default_factory=dict)
    xx_options: dict[str, str | bool] = field(default_factory=dict)
    javaagents: tuple[JavaAgent, ...] = ()
    classpath: tuple[str, ...] = ()
    main_class: str | None = None
    program_args: tuple[str, ...] = ()
    jar: str | None = None
    other_options: tuple[str, ...] = ()
    argfiles: tuple[str, ...] = ()


def parse_size(text: str) -> int:
    """A JVM size (``1073741824``, ``1024k``, ``512m``, ``6g``, ``1t``; any case) in bytes.

    Raises ValueError for anything else.
    """
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(f"not a JVM size: {text!r}")
    return int(match.group(1)) * _MULTIPLIERS[match.group(2).lower()]


def split_cmdline(text: str) -> tuple[str, ...]:
    """Arguments of a command line given as NUL-separated ``/proc/<pid>/cmdline``, one
    argument per line, or one space-joined line (split like a POSIX shell, falling back to
    white space when the quotes do not balance)."""
    if "\0" in text:
        return tuple(text.rstrip("\0").split("\0")) if text.strip("\0") else ()
    body = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not body.strip():
        return ()
    if "\n" in body:
        return tuple(body.split("\n"))
    try:
        return tuple(shlex.split(body))
    except ValueError:
        return tuple(body.split())


def parse_java_command(args: Sequence[str]) -> JavaCommand:
    """Read the arguments of a ``java`` command (``args[0]`` the launcher)."""
    state = _State()
    java = args[0] if args and not args[0].startswith("-") else ""
    index = 1 if java else 0
    while index < len(args):
        arg = args[index]
        value = args[index + 1] if index + 1 < len(args) else ""
        if arg in _CLASSPATH_OPTIONS:
            state.classpath = _split_classpath(value)
            index += 2
        elif arg.startswith("--class-path="):
            state.classpath = _split_classpath(arg.split("=", 1)[1])
            index += 1
        elif arg == "-jar" or arg in ("-m", "--module"):
            if arg == "-jar":
                state.jar = value or None
            else:
                state.main_class = value or None
            state.program_args = tuple(args[index + 2 :])
            break
        elif arg.startswith("--module="):
            state.main_class = arg.split("=", 1)[1]
            state.program_args = tuple(args[index + 1 :])
            break
        elif arg in _OPTIONS_WITH_VALUE:
            state.other.extend((arg, value))
            index += 2
        elif arg.startswith("-"):
            state.option(arg)
            index += 1
        elif arg.startswith("@"):
            state.argfiles.append(arg[1:])
            index += 1
        else:
            state.main_class = arg
            state.program_args = tuple(args[index + 1 :])
            break
    return state.result(java)


class _State:
    """Mutable accumulator used while one command line is read (never shared)."""

    def __init__(self) -> None:
        self.sizes: dict[str, int | None] = dict.fromkeys(
            ("xms_bytes", "xmx_bytes", "xmn_bytes", "max_metaspace_bytes")
        )
        self.gc: str | None = None
        self.gc_log_path: str | None = None
        self.gc_logging = False
        self.system_properties: dict[str, str] = {}
        self.xx: dict[str, str | bool] = {}
        self.agents: list[JavaAgent] = []
        self.classpath: tuple[str, ...] = ()
        self.main_class: str | None = None
        self.program_args: tuple[str, ...] = ()
        self.jar: str | None = None
        self.other: list[str] = []
        self.argfiles: list[str] = []

    def option(self, arg: str) -> None:
        prefix = arg[:4]
        if arg.startswith("-D"):
            key, _, value = arg[2:].partition("=")
            self.system_properties[key] = value
        elif arg.startswith("-XX:"):
            self.xx_option(arg[4:])
        elif prefix in _X_SIZES:
            if not self.size(_X_SIZES[prefix], arg[4:]):
                self.other.append(arg)
        elif arg == "-Xlog" or arg.startswith("-Xlog:"):
            self.xlog(arg[len("-Xlog:") :])
        elif arg.startswith("-Xloggc:"):
            self.gc_logging = True
            self.gc_log_path = arg[len("-Xloggc:") :] or None
        elif arg == "-verbose:gc":
            self.gc_logging = True
        elif arg.startswith("-javaagent:"):
            jar, sep, options = arg[len("-javaagent:") :].partition("=")
            self.agents.append(JavaAgent(jar=jar, options=options if sep else None))
        else:
            self.other.append(arg)

    def size(self, name: str, text: str) -> bool:
        """Record a size; False (previous value kept) for junk the JVM would refuse."""
        try:
            self.sizes[name] = parse_size(text)
        except ValueError:
            return False
        return True

    def xx_option(self, body: str) -> None:
        if body[:1] in ("+", "-"):
            name, enabled = body[1:], body[0] == "+"
            self.xx[name] = enabled
            if name in _GC_FLAGS:
                if enabled:
                    self.gc = _GC_FLAGS[name]
                elif self.gc == _GC_FLAGS[name]:
                    self.gc = None
            if name in _GC_PRINT_FLAGS and enabled:
                self.gc_logging = True
            return
        name, sep, value = body.partition("=")
        self.xx[name] = value if sep else True
        if sep and name in _XX_SIZES:
            self.size(_XX_SIZES[name], value)

    def xlog(self, spec: str) -> None:
        """``-Xlog[:what[:output[:decorators[:output-options]]]]`` (JDK 9+ unified logging)."""
        parts = _split_xlog(spec)
        what = parts[0] if parts else ""
        if what == "disable":
            self.gc_logging = False
            self.gc_log_path = None
            return
        if not any(_selects_gc(selector) for selector in what.split(",")):
            return
        self.gc_logging = True
        output = parts[1] if len(parts) > 1 else ""
        if output.startswith("file="):
            self.gc_log_path = output[len("file=") :].strip('"') or None
        elif output and output not in ("stdout", "stderr"):
            self.gc_log_path = output.strip('"')

    def result(self, java: str) -> JavaCommand:
        return JavaCommand(
            java=java,
            **self.sizes,
            gc=self.gc,
            gc_log_path=self.gc_log_path,
            gc_logging=self.gc_logging,
            system_properties=self.system_properties,
            xx_options=self.xx,
            javaagents=tuple(self.agents),
            classpath=self.classpath,
            main_class=self.main_class,
            program_args=self.program_args,
            jar=self.jar,
            other_options=tuple(self.other),
            argfiles=tuple(self.argfiles),
        )


def _split_classpath(value: str) -> tuple[str, ...]:
    return tuple(entry for entry in value.split(":") if entry)


def _split_xlog(spec: str) -> list[str]:
    """Split on ``:`` outside double quotes (``file="/a b/gc.log"``)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in spec:
        if char == '"':
            quoted = not quoted
        if char == ":" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _selects_gc(selector: str) -> bool:
    """``gc``, ``gc*``, ``gc+heap=debug``, ``all`` select GC logging; ``gc=off`` does not."""
    tags, _, level = selector.partition("=")
    if level == "off":
        return False
    first = tags.split("+")[0].rstrip("*")
    return first in ("gc", "all")
