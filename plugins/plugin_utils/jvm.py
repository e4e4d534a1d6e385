# Copyright: KafkaPilot developers. Apache-2.0.
"""The arguments of a running `java` command, as far as the collection follows them.

The controller's lean copy of kafkapilot.parsers.jvm (the analysis side's authority): the
main class and its arguments (the config file), system properties (log4j config, JAAS file,
log dir), -XX options, the class path (the distribution's home and jars), @argfiles, the GC
log path and the java agents (a Prometheus exporter). A test runs both over the parser
samples and asserts equal results for these fields.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from typing import Optional

__all__ = ["JavaAgent", "JavaCommand", "parse_java_command"]

JavaAgent = namedtuple("JavaAgent", "jar options")

_CLASSPATH = frozenset({"-cp", "-classpath", "--class-path"})
_WITH_VALUE = frozenset({"-p", "--module-path", "--upgrade-module-path", "--add-modules", "--add-opens",
                         "--add-exports", "--add-reads", "--patch-module", "--limit-modules",
                         "--enable-native-access", "--source"})


@dataclass
class JavaCommand:
    """What a java command line names; the last occurrence of an option wins."""

    java: str = ""
    main_class: Optional[str] = None
    program_args: tuple = ()
    jar: Optional[str] = None
    system_properties: dict = field(default_factory=dict)
    xx_options: dict = field(default_factory=dict)
    classpath: tuple = ()
    argfiles: tuple = ()
    javaagents: tuple = ()
    gc_log_path: Optional[str] = None


def parse_java_command(args) -> JavaCommand:
    """Read the arguments of a java command (args[0] the launcher) as the launcher does."""
    args = list(args)
    command = JavaCommand(java=args[0] if args and not args[0].startswith("-") else "")
    agents, argfiles = [], []
    index = 1 if command.java else 0
    while index < len(args):
        arg = args[index]
        value = args[index + 1] if index + 1 < len(args) else ""
        step = 1
        if arg in _CLASSPATH or arg.startswith("--class-path="):
            raw = value if arg in _CLASSPATH else arg.split("=", 1)[1]
            command.classpath = tuple(entry for entry in raw.split(":") if entry)
            step = 2 if arg in _CLASSPATH else 1
        elif arg in ("-jar", "-m", "--module") or arg.startswith("--module="):
            if arg == "-jar":
                command.jar = value or None
            elif arg.startswith("--module="):
                command.main_class = arg.split("=", 1)[1]
            else:
                command.main_class = value or None
            command.program_args = tuple(args[index + (1 if arg.startswith("--module=") else 2):])
            break
        elif arg in _WITH_VALUE:
            step = 2
        elif arg.startswith("-D"):
            key, _sep, text = arg[2:].partition("=")
            command.system_properties[key] = text
        elif arg.startswith("-XX:"):
            _xx(command.xx_options, arg[4:])
        elif arg == "-Xlog" or arg.startswith("-Xlog:"):
            _xlog(command, arg[len("-Xlog:"):])
        elif arg.startswith("-Xloggc:"):
            command.gc_log_path = arg[len("-Xloggc:"):] or None
        elif arg.startswith("-javaagent:"):
            jar, sep, options = arg[len("-javaagent:"):].partition("=")
            agents.append(JavaAgent(jar, options if sep else None))
        elif arg.startswith("@"):
            argfiles.append(arg[1:])
        elif not arg.startswith("-"):
            command.main_class = arg
            command.program_args = tuple(args[index + 1:])
            break
        index += step
    command.javaagents, command.argfiles = tuple(agents), tuple(argfiles)
    return command


def _xx(options: dict, body: str) -> None:
    if body[:1] in ("+", "-"):
        options[body[1:]] = body[0] == "+"
        return
    name, sep, value = body.partition("=")
    options[name] = value if sep else True


def _xlog(command: JavaCommand, spec: str) -> None:
    """-Xlog[:what[:output[...]]]: the file of GC logging; `disable` turns it off."""
    parts, current, quoted = [], [], False
    for char in spec:
        if char == '"':
            quoted = not quoted
        if char == ":" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    if parts[0] == "disable":
        command.gc_log_path = None
        return
    if not any(_selects_gc(selector) for selector in parts[0].split(",")):
        return
    output = parts[1] if len(parts) > 1 else ""
    if output.startswith("file="):
        command.gc_log_path = output[len("file="):].strip('"') or None
    elif output and output not in ("stdout", "stderr"):
        command.gc_log_path = output.strip('"')


def _selects_gc(selector: str) -> bool:
    tags, _sep, level = selector.partition("=")
    return level != "off" and tags.split("+")[0].rstrip("*") in ("gc", "all")
