"""JVM command lines: sizes, argument splitting and the options of a ``java`` invocation.

The command line of a running JVM reaches the snapshot as ``/proc/<pid>/cmdline`` with
its NUL separators turned into newlines (one argument per line); ``ps`` gives it as one
space-joined line. :func:`split_cmdline` accepts both (and raw NULs), and
:func:`parse_java_command` reads the arguments the way the ``java`` launcher does: options
up to the main class (or ``-jar``/``-m``), program arguments after it.

Options in files are not on that command line: ``@argfile`` (JDK 9+ launcher; expanded in
place, :func:`expand_argfiles` with :func:`split_argfile`) and ``-XX:Flags=file`` (HotSpot's
settings file, read before every other option: :func:`with_flags_file` with
:func:`split_flags_file`). :func:`heap_sizes` gives the initial and maximum heap the JVM
sizes from the options.
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "JavaAgent",
    "JavaCommand",
    "expand_argfiles",
    "heap_sizes",
    "parse_java_command",
    "parse_size",
    "split_argfile",
    "split_cmdline",
    "split_flags_file",
    "with_flags_file",
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


_ARGFILE_SPACE: Final[frozenset[str]] = frozenset(" \t\n\r\f")
_ARGFILE_ESCAPES: Final[dict[str, str]] = {"n": "\n", "r": "\r", "t": "\t", "f": "\f"}
#: Launcher options whose value is the next argument (the launcher's "white space options"); after
#: -jar, -m and --module the next plain argument is the main jar or module, i.e. the main class.
_TAKES_NEXT: Final[frozenset[str]] = _CLASSPATH_OPTIONS | _OPTIONS_WITH_VALUE | {"--describe-module", "-d"}
_C_SPACE: Final[frozenset[str]] = frozenset(" \t\n\v\f\r")


def split_argfile(text: str) -> tuple[str, ...]:
    """The arguments in a ``java @argfile``, split as the launcher does (java man page, "java
    Command-Line Argument Files"; libjli): white space separates them; ``#`` outside quotes
    comments out the rest of the line; ``'…'`` or ``"…"`` quote (part of) an argument up to the
    end of the line; inside quotes ``\n \r \t \f`` are escapes, any other escaped character stands
    for itself, and a backslash ending the line joins the next one without its leading white
    space. Arguments are taken literally (no nested @files, no wildcards)."""
    tokens: list[str] = []
    parts: list[str] = []  # finished pieces of the argument being read (quoted, escaped …)
    current: list[str] = []  # characters since the last piece
    state, quote = "find", ""
    for ch in text:
        if state in _ARGFILE_BETWEEN:
            state, used = _argfile_between(state, ch, parts)
            if used:
                continue
        if ch in _ARGFILE_SPACE and not (state == "quote" and ch not in "\n\r"):
            tokens.append("".join(parts) + "".join(current))
            parts, current, state = [], [], "find"
        elif ch == "#" and state == "token":
            current, state = [], "comment"  # the launcher drops what it had read of this argument
        elif ch == "\\" and state == "quote":
            parts.append("".join(current))
            current, state = [], "escape"
        elif ch in "'\"" and (state == "token" or ch == quote):
            if current:
                parts.append("".join(current))
                current = []
            state, quote = ("quote", ch) if state == "token" else ("token", "")
        else:
            current.append(ch)
    if current:
        parts.append("".join(current))
    if state in ("token", "quote") and parts:
        tokens.append("".join(parts))
    return tuple(tokens)


_ARGFILE_BETWEEN: Final[frozenset[str]] = frozenset({"find", "join", "escape", "comment"})


def _argfile_between(state: str, ch: str, parts: list[str]) -> tuple[str, bool]:
    """split_argfile in a state that adds no plain character to an argument: the next state, and
    whether ch is used up (False: ch begins an argument or a joined quoted line)."""
    if state == "escape":
        if ch in "\n\r":
            return "join", True
        parts.append(_ARGFILE_ESCAPES.get(ch, ch))
        return "quote", True
    if state == "comment":
        return ("find" if ch in "\n\r" else "comment"), True
    # "find": before an argument; "join": a quoted line joined by a backslash
    if ch in _ARGFILE_SPACE:
        return state, True
    return ("token" if state == "find" else "quote"), False


def split_flags_file(text: str) -> tuple[str, ...]:
    """The options of a ``-XX:Flags=`` file, as HotSpot reads its settings file: white-space
    separated (a newline always ends one), ``#`` at the start of an option comments out the rest of
    the line, quotes allow spaces in a value. Each is written without ``-XX:`` (``+UseG1GC``,
    ``MaxHeapSize=6g``)."""
    tokens: list[str] = []
    token: list[str] = []
    between, comment, quote = True, False, ""
    for ch in text:
        if between:
            if comment:
                comment = ch != "\n"
            elif ch == "#":
                comment = True
            elif ch not in _C_SPACE:
                between = False
                token.append(ch)
        elif ch == "\n" or (not quote and ch in _C_SPACE):
            tokens.append("".join(token))
            token, between, quote = [], True, ""
        elif not quote and ch in "'\"":
            quote = ch
        elif quote and ch == quote:
            quote = ""
        else:
            token.append(ch)
    if token:
        tokens.append("".join(token))
    return tuple(tokens)


def expand_argfiles(args: Sequence[str], read: Callable[[str], Sequence[str]]) -> tuple[str, ...]:
    """The arguments the ``java`` launcher hands on: each ``@path`` before the main class replaced,
    in place, by the arguments ``read(path)`` gives (:func:`split_argfile` of the file). ``@@x``
    stands for ``@x``; nothing after the main class (program arguments) or after
    ``--disable-@files`` is expanded. ``args[0]`` is the launcher unless it starts with ``-``."""
    start = 1 if args and not args[0].startswith("-") else 0
    expanded = list(args[:start])
    seen = _MainClassWatch()
    for index in range(start, len(args)):
        arg = args[index]
        if seen.main_class:
            expanded.extend(args[index:])
            break
        if seen.stopped or not arg.startswith("@") or arg == "@":
            words: Sequence[str] = (arg,)
        elif arg.startswith("@@"):
            words = (arg[1:],)
        else:
            words = read(arg[1:])
        for word in words:
            seen.check(word)
        expanded.extend(words)
    return tuple(expanded)


class _MainClassWatch:
    """Follows the launcher's arguments to the main class (expansion of @files stops there)."""

    def __init__(self) -> None:
        self.main_class = False
        self.stopped = False
        self._value_next = False

    def check(self, arg: str) -> None:
        if arg.startswith("-"):
            self._value_next = arg in _TAKES_NEXT
            if arg == "--disable-@files":
                self.stopped = True
            elif arg.startswith("--module="):
                self.main_class = True
        else:
            self.main_class = self.main_class or not self._value_next
            self._value_next = False


def with_flags_file(args: Sequence[str], options: Sequence[str]) -> tuple[str, ...]:
    """``args`` with the options of a ``-XX:Flags=`` file first: HotSpot processes that file before
    any other option, so the command line (and the @files on it) override it."""
    start = 1 if args and not args[0].startswith("-") else 0
    return (*args[:start], *(f"-XX:{option}" for option in options), *args[start:])


#: HotSpot's MaxRAM on 64-bit servers: without a RAM flag the heap is sized from at most this much.
_DEFAULT_MAX_RAM: Final = 128 << 30
_RAM_FLAGS: Final = (
    "MaxRAM",
    "MaxRAMPercentage",
    "MaxRAMFraction",
    "MinRAMPercentage",
    "MinRAMFraction",
    "InitialRAMPercentage",
    "InitialRAMFraction",
)


def heap_sizes(command: JavaCommand, memory_bytes: int | None) -> tuple[int | None, int | None]:
    """(initial, maximum) heap in bytes as HotSpot sizes them (Arguments::set_heap_size).

    -Xms / -Xmx (-XX:InitialHeapSize / MaxHeapSize) win. Without -Xmx the maximum is
    -XX:MaxRAMPercentage (default 25) of the memory, and at least -Xms; without -Xms the initial
    heap is -XX:InitialRAMPercentage (default 1.5625) of it, at most the maximum (the older
    …RAMFraction flags give 100/N %). The memory is -XX:MaxRAM when given, else ``memory_bytes``
    (the JVM's physical memory: the host's, or a container's limit), capped at 128 GiB when no RAM
    flag is given. A size that needs the memory is None when ``memory_bytes`` is None. Left out:
    the JVM's adjustments for hosts of a few hundred MiB and for compressed oops, and alignment.
    """
    initial, maximum = command.xms_bytes, command.xmx_bytes
    if initial is not None and maximum is not None:
        return initial, maximum
    xx = command.xx_options
    memory = _sizing_memory(xx, memory_bytes)
    if maximum is None and memory is not None:
        maximum = math.floor(memory * _ram_percent(xx, "Max", 25.0) / 100)
        maximum = max(maximum, initial or 0)
    if initial is None and memory is not None and maximum is not None:
        initial = min(math.floor(memory * _ram_percent(xx, "Initial", 100 / 64) / 100), maximum)
    return initial, maximum


def _sizing_memory(xx: dict[str, str | bool], memory_bytes: int | None) -> int | None:
    max_ram = xx.get("MaxRAM")
    if isinstance(max_ram, str):
        try:
            return parse_size(max_ram)
        except ValueError:
            pass
    if memory_bytes is None or any(isinstance(xx.get(flag), str) for flag in _RAM_FLAGS):
        return memory_bytes
    return min(memory_bytes, _DEFAULT_MAX_RAM)


def _ram_percent(xx: dict[str, str | bool], which: str, default: float) -> float:
    """-XX:<which>RAMPercentage, else 100 / -XX:<which>RAMFraction, else the default."""
    for flag, convert in ((f"{which}RAMPercentage", float), (f"{which}RAMFraction", lambda v: 100 / float(v))):
        value = xx.get(flag)
        if isinstance(value, str):
            try:
                percent = convert(value)
            except (ValueError, ZeroDivisionError):
                continue
            if 0 <= percent <= 100:
                return percent
    return default


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
