"""Redaction of secrets in collected text, on the controller, before anything is written.

Three ways, one vocabulary of placeholders (`[REDACTED:<kind>]`, docs/redaction.md):

* by key: each artifact kind has its pass (properties, JAAS, env files, systemd units, command
  lines, log4j configs, keystore listings, free text) that replaces the *value* of anything whose
  name says it is a secret (`secret_kind`), never the name;
* by shape: redact_shapes.scrub_shapes then runs over every artifact, whatever its kind;
* by value: every value found is remembered, and `literals` replaces it wherever else it shows up
  on the same host (a password on a command line is also in `ps` output and a startup log line);
  redact_values hands the values over, as keyed hashes, to the snapshot-wide pass.

Each replacement is counted by kind (`counts`). Standard library only: it runs inside Ansible on
the controller, also in an AWX execution environment.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from ansible_collections.kafkapilot.kafkapilot.plugins.module_utils.constants import KEYSTORE_SUFFIXES
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.redact_shapes import scrub_shapes

__all__ = [
    "REDACTED",
    "Redactor",
    "is_keystore_path",
    "is_secret_key",
    "placeholder",
    "secret_kind",
    "worth_scrubbing",
]

#: what every placeholder starts with (the analysis side looks for it)
REDACTED: Final = "[REDACTED"
#: segments of a name that say "secret" wherever they appear inside the segment (keyStorePassword)
_SECRET_WORDS: Final = (("password", "password"), ("passwd", "password"), ("passphrase", "password"),
                        ("secret", "secret"), ("token", "token"), ("credential", "credential"),
                        ("license", "license"), ("apikey", "api-key"), ("userinfo", "user-info"), ("jaas", "jaas-config"))
#: segments that say "secret" only as a whole segment (not inside bypass, passive, compass)
_SECRET_SEGMENTS: Final = {"pass": "password", "pwd": "password", "creds": "credential"}
#: a last segment that makes the name describe a secret without being one (a path, a type, an algorithm …)
_DESCRIPTIVE: Final = frozenset((
    "location", "type", "path", "file", "dir", "directory", "url", "uri", "urls", "endpoint", "class", "classes",
    "serializer", "deserializer", "converter", "algorithm", "algorithms", "enable", "enabled", "length",
    "iterations", "size", "ms", "seconds", "sec", "secs", "minutes", "hours", "bytes", "count", "protocol",
    "protocols", "mechanism", "mechanisms", "provider", "providers", "format", "factory", "source", "expiry",
    "lifetime", "principal", "name", "names", "id", "topic", "factor", "replicas", "partitions", "mode", "version",
    "policy", "strategy", "level", "jitter", "interval", "timeout", "retries", "attempts", "header", "scope",
    "audience", "issuer", "required", "prefix", "suffix", "method", "methods", "cipher", "ciphers", "store",
))
#: shell variables that are not secrets although their name looks like one
_NOT_SECRET_NAMES: Final = frozenset(("PWD", "OLDPWD"))
_UNESCAPE: Final = re.compile(r"\\u([0-9a-fA-F]{4})|\\(.)")
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT: Final = re.compile(r"[^A-Za-z0-9]+")
#: JAAS options that hold a secret (besides the name rule): user_<name>="password".
_JAAS_USER: Final = re.compile(r"^user_[\w.-]+$")
_PROVIDER_REF: Final = re.compile(r"^\s*\$\{[^}]+\}\s*$")
#: JAAS/properties-style option inside a value: name="value" or name=value (starts at a word's start)
_OPTION: Final = re.compile(
    r"""(?<![\w.\-])(?P<key>[A-Za-z_][\w.\-]*)(?P<sep>\s*=\s*)(?P<value>"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?|[^\s;"']+)""")
#: -Dname=value on a command line (also inside quoted env values)
_SYSPROP: Final = re.compile(r"""(?P<key>-D[\w.\-]+)=(?P<value>"[^"\n]*"?|'[^'\n]*'?|[^\s"']+)""")
#: name: value / name = value / "name": "value" anywhere in free text (logs, command output)
#: (SCRAM-SHA-256=[…] is taken whole: its password is the shape pass's, with its own kind)
_FREE: Final = re.compile(
    r"""(?<![\w.\-"'])(?P<key>["']?[A-Za-z_][\w.\-]*["']?)(?P<sep>\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?|\[[^\]\s]*\]?|[^\s,;}"'\]\)]+)"""
)
#: the words a secret-naming key holds, in lower case (the free-text pass looks at the lines with one only)
_FREE_HINT: Final = re.compile(r"pass|pwd|secret|token|cred|licen|key|user.?info|jaas|scram")
_FLAG: Final = re.compile(r"(?<![\w-])(--)([\w.\-]+)([ =])([^\s-][^\s]*)")
_PROPERTY: Final = re.compile(r"^(\s*)((?:\\.|[^\s:=\\])+)(\s*[:=]\s*|\s+)(.*)$")
_COMMENTED_PROPERTY: Final = re.compile(r"^(\s*[#!]\s*)([A-Za-z_][\w.\-]*)(\s*[:=]\s*)(\S(?:.*\S)?)(\s*)$")
_ENV_LINE: Final = re.compile(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$")
#: a value worth remembering for by-value replacement: long enough, and not a word every config holds
_MIN_SUBSTRING: Final = 8
_MIN_TOKEN: Final = 4
_COMMON_VALUES: Final = frozenset((
    "true", "false", "null", "none", "yes", "no", "kafka", "admin", "user", "users", "test", "root", "guest",
    "default", "secret", "password", "changeme", "broker", "client", "server", "plain", "scram", "required",
    "localhost", "zookeeper", "controller", "hidden", "redacted",
))
_PEM_BEGIN: Final = re.compile(r"^-----BEGIN ([A-Z0-9 ]+)-----")
#: the lines of `keytool -list -rfc` kept next to the certificates
_KEYTOOL_LINE: Final = re.compile(r"^(Alias name|Entry type|Certificate\[\d+\]):")


def placeholder(kind: str) -> str:
    """The text that replaces a secret of `kind`: [REDACTED:password]."""
    return f"[REDACTED:{kind}]"


def _segments(name: str) -> list[str]:
    name = _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), name)
    return [s.lower() for s in _SPLIT.split(_CAMEL.sub(" ", name)) if s]


#: words before "key" that make it an identifier (Kafka's votedKey, replicaKey, partition key …), not a secret
_IDENTIFIER_KEYS: Final = frozenset({
    "voted", "voter", "replica", "leader", "partition", "topic", "record", "message", "sort", "primary", "foreign",
    "group", "cache", "hash", "map", "lookup", "routing", "row", "shard", "producer", "snapshot", "metadata",
    "directory", "node", "broker", "member", "offset", "epoch", "entity", "resource", "feature", "quota",
})


@functools.lru_cache(maxsize=4096)  # a log repeats the same few keys thousands of times
def secret_kind(key: str) -> str | None:
    """The kind of secret a key or variable name holds (ssl.key.password: "password"), or None.

    The name is cut into segments (dots, dashes, underscores, camelCase; \\uXXXX escapes decoded);
    a name whose last segment describes the secret (location, type, algorithm …) holds none."""
    name = key.strip().strip("\"'")
    if name.startswith("-D"):
        name = name[2:]
    segments = _segments(name)
    if not segments or name in _NOT_SECRET_NAMES or segments[-1] in _DESCRIPTIVE:
        return None
    for index in range(len(segments) - 1, -1, -1):
        segment = segments[index]
        kind = _SECRET_SEGMENTS.get(segment) or next((k for word, k in _SECRET_WORDS if word in segment), None)
        if segment == "info" and index and segments[index - 1] == "user":
            kind = "user-info"
        if segment == "key" and index == len(segments) - 1 and index:
            previous = segments[index - 1]
            if previous in _IDENTIFIER_KEYS:  # KRaft's votedKey=ReplicaKey(…), a record's key: names, not secrets
                return None
            kind = ("api-key" if previous == "api" else "private-key" if previous in ("private", "keystore")
                    else "azure-key" if previous == "account" or segments[index - 2:index] == ["shared", "access"]
                    else "key")
        if kind:
            return "aws-secret" if "aws" in segments and kind in ("secret", "key") else kind
    return None


def is_secret_key(key: str) -> bool:
    """True for a key or variable name whose value is a secret (ssl.key.password, FOO_TOKEN …)."""
    return secret_kind(key) is not None


def is_keystore_path(path: str) -> bool:
    """True for files that are never copied: keystores, truststores, private keys, certificates bundles."""
    return path.lower().endswith(KEYSTORE_SUFFIXES)


def _is_placeholder(value: str) -> bool:
    stripped = value.strip().strip("\"'")
    return (
        not stripped
        or stripped.startswith(REDACTED)
        or bool(_PROVIDER_REF.match(stripped))
        # a setting, not a secret: JAAS storeKey=true, sshd's PasswordAuthentication=no
        or stripped.lower() in {"null", "none", "[hidden]", "(hidden)", "true", "false", "yes", "no", "on", "off"}
        or set(stripped) == {"*"}
    )


def worth_scrubbing(value: str) -> bool:
    """Whether a found secret is also replaced wherever else it appears: at least 4 characters, not a
    common word every config holds ("kafka", "true"), not a short number ("8192")."""
    return (len(value) >= _MIN_TOKEN and value.lower() not in _COMMON_VALUES and not _is_placeholder(value)
            and not (value.isdigit() and len(value) < _MIN_SUBSTRING))


def _unquoted(value: str) -> str:
    raw = value.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        raw = raw[1:-1]
    return raw


@dataclass
class Redactor:
    """Redacts the artifacts of one host (or of the cluster): `secrets` (value -> kind) grows as values
    are found; `counts` holds the replacements by kind of the last `redact` or `literals` call."""

    secrets: dict[str, str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

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

    def redact(self, kind: str, text: str) -> tuple[str, Counter[str]]:
        """(redacted text, replacements by kind) for content of `kind` (free text for an unknown kind):
        the kind's pass, then the shape pass."""
        self.counts = Counter()
        text, _count = self.passes().get(kind, self.free_text)(text)
        return scrub_shapes(text, self._hit), self.counts

    def _hit(self, value: str, kind: str) -> str:
        """Record a secret value of `kind`; return its placeholder."""
        raw = _unquoted(value)
        kind = "private-key" if "PRIVATE KEY-----" in raw else kind
        if worth_scrubbing(raw) and kind != "private-key":  # a key block is found by its shape everywhere
            self.secrets.setdefault(raw, kind)
        self.counts[kind] += 1
        return placeholder(kind)

    def _value(self, value: str, kind: str) -> str:
        """The replacement, keeping the quotes the value had."""
        raw = value.strip()
        quote = raw[0] if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" else ""
        return quote + self._hit(raw, kind) + quote

    def _key_value(self, key: str, value: str) -> tuple[str, int]:
        """The value of `key` redacted when the key names a secret: a JAAS config has its options redacted."""
        kind = secret_kind(key)
        if kind is None or _is_placeholder(value):
            return value, 0
        if kind == "jaas-config":
            return self._options(value)
        return self._value(value, kind), 1

    def properties(self, text: str) -> tuple[str, int]:
        """Java properties: secret keys' values (continuation lines too), the options of JAAS configs
        (over continuation lines too), -D… in values, and commented-out secret properties."""
        count = 0
        out = []
        continued = ""  # the kind of the value whose continuation lines follow ("" when none)
        for line in text.split("\n"):
            if continued:
                more = line.rstrip().endswith("\\")
                if continued == "jaas-config":
                    line, found = self._options(line)
                elif continued == "plain":
                    line, found = self._sysprops(line)
                else:
                    line, found = placeholder(continued) + (" \\" if more else ""), 0
                out.append(line)
                count += found
                continued = continued if more else ""
                continue
            stripped = line.lstrip()
            if not stripped or stripped[0] in "#!":
                commented = _COMMENTED_PROPERTY.match(line)
                if commented and secret_kind(commented.group(2)) not in (None, "jaas-config"):
                    value, found = self._key_value(commented.group(2), commented.group(4))
                    line, count = "".join(commented.group(1, 2, 3)) + value + commented.group(5), count + found
                out.append(line)
                continue
            match = _PROPERTY.match(line)
            if match is None:
                out.append(line)
                continue
            indent, key, sep, value = match.groups()
            kind = secret_kind(key)
            more = value.rstrip().endswith("\\")
            if kind == "jaas-config":
                value, found = self._options(value)
            elif kind and not _is_placeholder(value.rstrip("\\ ")):
                value, found = self._hit(value.rstrip("\\ "), kind) + (" \\" if more else ""), 1
            else:
                value, found = self._sysprops(value)
                kind = "plain"
            continued = kind if more else ""
            count += found
            out.append(f"{indent}{key}{sep}{value}")
        return "\n".join(out), count

    def _options(self, text: str) -> tuple[str, int]:
        """name="value" options (JAAS): secret names and user_<name> entries."""
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            key, sep, value = match.group("key", "sep", "value")
            kind = "password" if _JAAS_USER.match(key) else secret_kind(key)
            if kind is None or kind == "jaas-config" or _is_placeholder(value):
                return match.group(0)
            count += 1
            return f"{key}{sep}{self._value(value, kind)}"

        return _OPTION.sub(replace, text), count

    def jaas(self, text: str) -> tuple[str, int]:
        """A JAAS file: password="…", user_admin="…", any secret-named option."""
        return self._options(text)

    def _sysprops(self, text: str) -> tuple[str, int]:
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            key, value = match.group("key", "value")
            value, found = self._key_value(key, value)
            count += found
            return f"{key}={value}"

        return _SYSPROP.sub(replace, text), count

    def cmdline(self, text: str) -> tuple[str, int]:
        """Command lines (one argument per line, or ps output): -D…password=…, --password X, and
        key=value arguments (--add-config 'ssl.key.password=…')."""
        text, count = self._sysprops(text)
        lines = text.split("\n")
        for index in range(len(lines) - 1):
            flag = lines[index].strip()
            kind = secret_kind(flag[2:]) if flag.startswith("--") else None
            if kind and not _is_placeholder(lines[index + 1]):
                lines[index + 1] = self._hit(lines[index + 1], kind)
                count += 1
        text, more = self._flag_pairs("\n".join(lines))
        text, free = self._free(text)
        return text, count + more + free

    def _flag_pairs(self, text: str) -> tuple[str, int]:
        """`--password VALUE` and `--password=VALUE` inside one line."""
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            kind = secret_kind(match.group(2))
            if kind is None or kind == "jaas-config" or _is_placeholder(match.group(4)):
                return match.group(0)
            count += 1
            return f"{match.group(1)}{match.group(2)}{match.group(3)}{self._hit(match.group(4), kind)}"

        return _FLAG.sub(replace, text), count

    def env_file(self, text: str) -> tuple[str, int]:
        """KEY=value lines: secret-named keys (a quoted value over several lines too); -D…password=…
        and JAAS options inside other values."""
        count = 0
        out = []
        quote = ""  # the quote of a multi-line redacted value still open
        for line in text.split("\n"):
            if quote:
                if quote in line:
                    out.append(quote + line.split(quote, 1)[1])
                    quote = ""
                continue
            match = _ENV_LINE.match(line)
            if match is None or line.lstrip().startswith("#"):
                out.append(line)
                continue
            prefix, key, sep, value = match.groups()
            kind = secret_kind(key)
            opened = value[:1] if value[:1] in "\"'" and value.count(value[:1]) == 1 else ""
            if kind and kind != "jaas-config" and opened:
                value, quote = opened + self._hit(value[1:], kind), opened
                count += 1
            elif kind and kind != "jaas-config":
                value, found = self._key_value(key, value)
                count += found
            else:
                value, found = self._sysprops(value)
                value, more = self._options(value) if "jaas" in (key + value).lower() else (value, 0)
                count += found + more
            out.append(f"{prefix}{key}{sep}{value}")
        return "\n".join(out), count

    def unit(self, text: str) -> tuple[str, int]:
        """systemd units: Environment="KEY=value" assignments, -D… and --password on Exec lines."""
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
        text, more = self._flag_pairs("\n".join(out))
        return text, count + more

    def _assignments(self, body: str) -> tuple[str, int]:
        """The words of an Environment= line: "KEY=value with spaces", 'KEY=v' or KEY=v."""
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            quote = match.group("q") or ""
            key, value = match.group("key"), match.group("value")
            kind = secret_kind(key)
            if kind and kind != "jaas-config" and not _is_placeholder(value):
                count += 1
                return f"{quote}{key}={self._hit(value, kind)}{quote}"
            replaced, found = self._sysprops(match.group(0))
            count += found
            return replaced

        pattern = r"""(?P<q>["'])(?P<key>[A-Za-z_]\w*)=(?P<value>.*?)(?P=q)|(?P<key2>[A-Za-z_]\w*)=(?P<value2>\S*)"""

        def dispatch(match: re.Match[str]) -> str:
            if match.group("key") is not None:
                return replace(match)
            inner = re.match(r"(?P<q>)(?P<key>\w+)=(?P<value>.*)$", match.group(0), re.DOTALL)
            return replace(inner) if inner else match.group(0)

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
            kind = secret_kind(match.group(2))
            if kind is None or _is_placeholder(match.group(3)):
                return match.group(0)
            count += 1
            return f"{match.group(1)}{self._hit(match.group(3), kind)}{match.group(4)}"

        text = re.sub(r"""(<Property\s+name\s*=\s*["']([^"'<>]{1,256})["'][^<>]{0,1024}>)([^<]{0,4096})(</Property>)""",
                      xml, text)
        lines = text.split("\n")
        for index, line in enumerate(lines):
            name = re.search(r"""["']?name["']?\s*:\s*["']?([^"',}]+)["']?""", line)
            kind = secret_kind(name.group(1)) if name else None
            if kind is None:
                continue
            for offset in (0, 1, 2):
                if index + offset >= len(lines):
                    break
                target = lines[index + offset]
                value = re.search(r"""(["']?value["']?\s*:\s*)("[^"]*"|'[^']*'|[^\s,}]+)""", target)
                if value is not None and not _is_placeholder(value.group(2)):
                    count += 1
                    lines[index + offset] = (
                        target[: value.start(2)] + self._value(value.group(2), kind) + target[value.end(2) :]
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
                if inside != "CERTIFICATE":
                    self.counts["private-key" if "PRIVATE KEY" in inside else "dropped"] += 1
                    count += 1
            if inside == "CERTIFICATE" or (inside is None and _KEYTOOL_LINE.match(line)):
                kept.append(line)
            elif inside is None and line.strip():
                self.counts["dropped"] += 1
                count += 1
            if inside is not None and line.startswith(f"-----END {inside}-----"):
                inside = None
        return "\n".join(kept) + "\n", count

    def _free(self, text: str) -> tuple[str, int]:
        """Secret-named pairs, looked for only on the lines that hold a word such a name needs (a log has
        few: the regex costs more than the lines' search)."""
        lowered, pieces, done, count = text.lower(), [], 0, 0
        for hint in _FREE_HINT.finditer(lowered):
            if hint.start() < done:
                continue  # on a line already redacted
            start = text.rfind("\n", 0, hint.start()) + 1
            end = text.find("\n", hint.end())
            end = len(text) if end < 0 else end
            line, found = self._free_line(text[start:end])
            pieces += [text[done:start], line]
            count, done = count + found, end
        return "".join([*pieces, text[done:]]), count

    def _free_line(self, text: str) -> tuple[str, int]:
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            key, sep, value = match.group("key", "sep", "value")
            kind = secret_kind(key)
            if kind is None or kind == "jaas-config" or _is_placeholder(value):  # a JAAS config: its options
                return match.group(0)
            count += 1
            return f"{key}{sep}{self._value(value, kind)}"

        return _FREE.sub(replace, text), count

    def free_text(self, text: str) -> tuple[str, int]:
        """Logs and command output: secret-named `key=value` / `key: value` / -D… pairs."""
        text, count = self._sysprops(text)
        text, more = self._free(text)
        return text, count + more

    def literals(self, text: str) -> tuple[str, Counter[str]]:
        """Every secret value found so far replaced wherever it appears: verbatim when it is long
        (8 characters or more), as a whole word when it is shorter."""
        counts: Counter[str] = Counter()
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret not in text:
                continue
            kind = self.secrets[secret]
            if len(secret) >= _MIN_SUBSTRING:
                counts[kind] += text.count(secret)
                text = text.replace(secret, placeholder(kind))
                continue
            word = re.compile(r"(?<![\w.\-])" + re.escape(secret) + r"(?![\w.\-])")
            text, found = word.subn(placeholder(kind), text)
            counts[kind] += found
        return text, counts
