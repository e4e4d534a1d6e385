"""Redaction of secrets in collected text, on the controller, before anything is written.

Each artifact kind has its pass (properties, JAAS, env files, systemd units, command
lines, log4j 2 YAML/XML/JSON); every pass replaces a secret *value* by ``[REDACTED]``,
counts it, and remembers the value so that a last pass can scrub the same literal
wherever else it shows up on that host (a password on a command line also appears in
``ps`` output and in a startup log line). Standard library only: it runs inside Ansible
on the controller, also in an AWX execution environment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from ansible_collections.kafkapilot.kafkapilot.plugins.module_utils.constants import KEYSTORE_SUFFIXES

__all__ = [
    "REDACTED",
    "Redactor",
    "is_keystore_path",
    "is_secret_key",
]

REDACTED: Final = "[REDACTED]"
#: Key names that hold a secret (properties keys, env variable names, JVM system properties).
_SECRET_KEY: Final = re.compile(
    r"(?i)(passw(or)?d|passwd|pwd|secret|token|credential|private|jaas|apikey|api[._-]key|access[._-]key|user[._-]?info"
    r"|(^|[._-])key$|\.key\.|_key_)"
)
#: Keys whose value describes a secret without being one (a path, a type, an algorithm …).
_DESCRIPTIVE_SUFFIX: Final = re.compile(
    r"(?i)[._-]?(location|type|path|file|dir|url|uri|endpoint|class|classes|serializer|deserializer|algorithm|algorithms"
    r"|enable|enabled|length|iterations|size|ms|protocol|mechanism|mechanisms|provider|providers|format|factory|source"
    r"|expiry|lifetime|principal|name|names|refresh\.buffer\.seconds|window\.factor|window\.jitter)$"
)
#: Keys of JAAS options that hold a secret (besides the general rule): user_<name>="password".
_JAAS_USER: Final = re.compile(r"^user_\w+$")
_PROVIDER_REF: Final = re.compile(r"^\s*\$\{[^}]+\}\s*$")
#: JAAS/properties-style option inside a value: name="value" or name=value
_OPTION: Final = re.compile(r"""(?P<key>[A-Za-z_][\w.\-]*)(?P<sep>\s*=\s*)(?P<value>"(?:[^"\\]|\\.)*"|'[^']*'|[^\s;"']+)""")
#: -Dname=value on a command line (also inside quoted env values)
_SYSPROP: Final = re.compile(r"""(?P<key>-D[\w.\-]+)=(?P<value>"[^"]*"|'[^']*'|[^\s"']+)""")
#: name: value / name = value / "name": "value" anywhere in free text (logs, command output)
_FREE: Final = re.compile(
    r"""(?P<key>["']?[A-Za-z_][\w.\-]*["']?)(?P<sep>\s*[:=]\s*)(?P<value>"(?:[^"\\]|\\.)*"|'[^']*'|\[[^\]\s]*\]|[^\s,;}"'\]\)]+)"""
)
_MIN_LITERAL: Final = 8
_PEM_BEGIN: Final = re.compile(r"^-----BEGIN ([A-Z0-9 ]+)-----")
#: the lines of `keytool -list -rfc` kept next to the certificates
_KEYTOOL_LINE: Final = re.compile(r"^(Alias name|Entry type|Certificate\[\d+\]):")


def is_secret_key(key: str) -> bool:
    """True for a key or variable name whose value is a secret (ssl.key.password, FOO_TOKEN …)."""
    name = key.strip().strip("\"'")
    if name.startswith("-D"):
        name = name[2:]
    if not _SECRET_KEY.search(name):
        return False
    return not _DESCRIPTIVE_SUFFIX.search(name)


def is_keystore_path(path: str) -> bool:
    """True for files that are never copied: keystores, truststores, private keys, certificates bundles."""
    return path.lower().endswith(KEYSTORE_SUFFIXES)


def _is_placeholder(value: str) -> bool:
    stripped = value.strip().strip("\"'")
    return (
        not stripped
        or stripped == REDACTED
        or bool(_PROVIDER_REF.match(stripped))
        or stripped.lower() in {"null", "none", "[hidden]", "(hidden)", "changeme?"}
    )


@dataclass
class Redactor:
    """Redacts the artifacts of one host (or of the cluster); `secrets` grows as values are found."""

    secrets: set[str] = field(default_factory=set)

    # -- the passes, by artifact kind ----------------------------------------------------
    def passes(self) -> dict[str, Callable[[str], tuple[str, int]]]:
        """The pass of each redaction kind (an artifact's `redaction` in meta/artifacts.yml)."""
        return {
            "properties": self.properties,
            "jaas": self.jaas,
            "env": self.env_file,
            "unit": self.unit,
            "cmdline": self.cmdline,
            "log4j": self.log4j,
            "certificates": self.certificates,
            "text": self.free_text,
        }

    def redact(self, kind: str, text: str) -> tuple[str, int]:
        """(redacted text, number of values replaced) for content of `kind` (free text for an unknown kind)."""
        return self.passes().get(kind, self.free_text)(text)

    def _keep(self, value: str) -> str:
        raw = value.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
            raw = raw[1:-1]
        if len(raw) >= _MIN_LITERAL:
            self.secrets.add(raw)
        return raw

    def _value(self, value: str) -> str:
        """The replacement, keeping the quotes the value had."""
        raw = value.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
            return raw[0] + REDACTED + raw[0]
        return REDACTED

    def properties(self, text: str) -> tuple[str, int]:
        """Java properties: secret keys' values; JAAS configs inside values; -D… on command lines."""
        count = 0
        out = []
        continued = False  # inside the continuation lines of a redacted value
        for line in text.split("\n"):
            if continued:
                continued = line.rstrip().endswith("\\")
                out.append(REDACTED + (" \\" if continued else ""))
                continue
            stripped = line.lstrip()
            if not stripped or stripped[0] in "#!":
                out.append(line)
                continue
            match = re.match(r"^(\s*)((?:\\.|[^\s:=\\])+)(\s*[:=]\s*|\s+)(.*)$", line)
            if match is None:
                out.append(line)
                continue
            indent, key, sep, value = match.groups()
            if "jaas" in key.lower():
                # a JAAS config with an inline secret is replaced whole (options of other login modules
                # may hold secrets under names no rule knows); one without (Kerberos keytab) stays readable
                _text, found = self._options(value)
                if found:
                    value, count = REDACTED, count + 1
            elif is_secret_key(key) and not _is_placeholder(value):
                self._keep(value.rstrip("\\ "))
                continued = value.rstrip().endswith("\\")
                value, found = REDACTED + (" \\" if continued else ""), 1
                count += found
            else:
                value, found = self._sysprops(value)
                count += found
            out.append(f"{indent}{key}{sep}{value}")
        return "\n".join(out), count

    def _options(self, text: str) -> tuple[str, int]:
        """name="value" options (JAAS): secret names and user_<name> entries."""
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            key, sep, value = match.group("key", "sep", "value")
            if (is_secret_key(key) or _JAAS_USER.match(key)) and not _is_placeholder(value):
                self._keep(value)
                count += 1
                return f"{key}{sep}{self._value(value)}"
            return match.group(0)

        return _OPTION.sub(replace, text), count

    def jaas(self, text: str) -> tuple[str, int]:
        """A JAAS file: password="…", user_admin="…", any secret-named option."""
        return self._options(text)

    def _sysprops(self, text: str) -> tuple[str, int]:
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            key, value = match.group("key", "value")
            if is_secret_key(key) and not _is_placeholder(value):
                self._keep(value)
                count += 1
                return f"{key}={self._value(value)}"
            return match.group(0)

        return _SYSPROP.sub(replace, text), count

    def cmdline(self, text: str) -> tuple[str, int]:
        """Command lines (one argument per line, or ps output): -D…password=…, --password X."""
        text, count = self._sysprops(text)
        lines = text.split("\n")
        for index in range(len(lines) - 1):
            flag = lines[index].strip()
            if flag.startswith("--") and is_secret_key(flag[2:]) and not _is_placeholder(lines[index + 1]):
                self._keep(lines[index + 1])
                lines[index + 1] = REDACTED
                count += 1
        text = "\n".join(lines)
        text, more = self._flag_pairs(text)
        return text, count + more

    def _flag_pairs(self, text: str) -> tuple[str, int]:
        """`--password VALUE` and `--password=VALUE` inside one line."""
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            if is_secret_key(match.group(2)) and not _is_placeholder(match.group(4)):
                self._keep(match.group(4))
                count += 1
                return f"{match.group(1)}{match.group(2)}{match.group(3)}{REDACTED}"
            return match.group(0)

        return re.sub(r"(--)([\w.\-]+)([ =])([^\s-][^\s]*)", replace, text), count

    def env_file(self, text: str) -> tuple[str, int]:
        """KEY=value lines: secret-named keys; -D…password=… inside other values."""
        count = 0
        out = []
        for line in text.split("\n"):
            match = re.match(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$", line)
            if match is None or line.lstrip().startswith("#"):
                out.append(line)
                continue
            prefix, key, sep, value = match.groups()
            if is_secret_key(key) and not _is_placeholder(value):
                self._keep(value)
                value = self._value(value)
                count += 1
            else:
                value, found = self._sysprops(value)
                value, more = self._options(value) if "jaas" in value.lower() else (value, 0)
                count += found + more
            out.append(f"{prefix}{key}{sep}{value}")
        return "\n".join(out), count

    def unit(self, text: str) -> tuple[str, int]:
        """systemd units: Environment="KEY=value" assignments, -D… on Exec lines."""
        count = 0
        out = []
        for line in text.split("\n"):
            if re.match(r"^\s*Environment\s*=", line):
                head, _sep, body = line.partition("=")
                body, found = self._assignments(body)
                count += found
                line = f"{head}={body}"
            line, found = self._sysprops(line)
            count += found
            out.append(line)
        return "\n".join(out), count

    def _assignments(self, body: str) -> tuple[str, int]:
        """The words of an Environment= line: "KEY=value with spaces", 'KEY=v' or KEY=v."""
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            quote = match.group(1) or ""
            key, value = match.group(2), match.group(3)
            if is_secret_key(key) and not _is_placeholder(value):
                self._keep(value)
                count += 1
                return f"{quote}{key}={REDACTED}{quote}"
            replaced, found = self._sysprops(match.group(0))
            count += found
            return replaced

        pattern = r"""(")([A-Za-z_]\w*)=([^"]*)"|(')([A-Za-z_]\w*)=([^']*)'|()([A-Za-z_]\w*)=(\S*)"""

        def dispatch(match: re.Match[str]) -> str:
            groups = match.groups()
            for start in (0, 3, 6):
                if groups[start + 1] is not None:
                    inner = re.match(r"(.?)(\w+)=(.*?)(\1)$" if groups[start] else r"()(\w+)=(.*)()$", match.group(0),
                                     re.DOTALL)
                    return replace(inner) if inner else match.group(0)
            return match.group(0)

        return re.sub(pattern, dispatch, body), count

    def log4j(self, text: str) -> tuple[str, int]:
        """Logging configs: properties keys, log4j 2 YAML/JSON/XML name/value properties."""
        text, count = self.properties(text) if "\n" in text and not text.lstrip().startswith(("<", "{")) else (text, 0)
        text, more = self._name_value(text)
        text, free = self.free_text(text)
        return text, count + more + free

    def _name_value(self, text: str) -> tuple[str, int]:
        """`name: "secretKey"` followed by `value: "x"` (YAML/JSON), <Property name="k">x</Property> (XML)."""
        count = 0

        def xml(match: re.Match[str]) -> str:
            nonlocal count
            if is_secret_key(match.group(2)) and not _is_placeholder(match.group(3)):
                self._keep(match.group(3))
                count += 1
                return f"{match.group(1)}{REDACTED}{match.group(4)}"
            return match.group(0)

        text = re.sub(r"""(<Property\s+name\s*=\s*["']([^"']+)["'][^>]*>)([^<]*)(</Property>)""", xml, text)
        lines = text.split("\n")
        for index, line in enumerate(lines):
            name = re.search(r"""["']?name["']?\s*:\s*["']?([^"',}]+)["']?""", line)
            if name is None or not is_secret_key(name.group(1)):
                continue
            for offset in (0, 1, 2):
                if index + offset >= len(lines):
                    break
                target = lines[index + offset]
                value = re.search(r"""(["']?value["']?\s*:\s*)("[^"]*"|'[^']*'|[^\s,}]+)""", target)
                if value is not None and not _is_placeholder(value.group(2)):
                    self._keep(value.group(2))
                    count += 1
                    lines[index + offset] = (
                        target[: value.start(2)] + self._value(value.group(2)) + target[value.end(2) :]
                    )
                    break
        return "\n".join(lines), count

    def certificates(self, text: str) -> tuple[str, int]:
        """Public certificates only: CERTIFICATE blocks and keytool's alias lines are kept; any other
        line (a private key block that slipped through) is dropped and counted, once per block."""
        kept: list[str] = []
        count = 0
        inside: str | None = None  # the PEM label of the block being read
        for line in text.splitlines():
            begin = _PEM_BEGIN.match(line)
            if inside is None and begin:
                inside = begin.group(1)
                count += inside != "CERTIFICATE"
            if inside == "CERTIFICATE" or (inside is None and _KEYTOOL_LINE.match(line)):
                kept.append(line)
            elif inside is None and line.strip():
                count += 1
            if inside is not None and line.startswith(f"-----END {inside}-----"):
                inside = None
        return "\n".join(kept) + "\n", count

    def free_text(self, text: str) -> tuple[str, int]:
        """Logs and command output: secret-named `key=value` / `key: value` / -D… pairs."""
        text, count = self._sysprops(text)

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            key, sep, value = match.group("key", "sep", "value")
            if is_secret_key(key) and not _is_placeholder(value):
                self._keep(value)
                count += 1
                return f"{key}{sep}{self._value(value)}"
            return match.group(0)

        return _FREE.sub(replace, text), count

    def literals(self, text: str) -> tuple[str, int]:
        """Replace every secret value found so far wherever it appears verbatim."""
        count = 0
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret in text:
                count += text.count(secret)
                text = text.replace(secret, REDACTED)
        return text, count
