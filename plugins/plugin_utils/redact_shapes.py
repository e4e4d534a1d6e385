"""Secrets recognised by their shape, in any text, whatever its key or artifact kind.

The kind passes of redact.Redactor find secrets by the name they are given (a property key, an
environment variable, a JAAS option); this pass runs after them over every artifact and finds
what has a recognisable form wherever it is: a password in a URL, an Authorization header, a
bearer token, a JWT, a PEM private key (also with escaped newlines inside an env value or a JSON
document), cloud credentials, ZooKeeper digests, SCRAM credentials on a command line, JMX
password-file lines. Each replacement names its kind (docs/redaction.md has the vocabulary).

Every pattern is compiled once and stays linear on large inputs: runs of a character class
only start where the class could not have started one character earlier (a lookbehind), and
repeats that could overlap are bounded, so a multi-megabyte log with no match costs one scan
per pattern. Standard library only (it runs inside Ansible on the controller).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import Final

__all__ = ["SHAPE_KINDS", "scrub_shapes"]

#: hit(value, kind) -> the placeholder that replaces value (and records it); see redact.Redactor._hit
Hit = Callable[[str, str], str]

#: the kinds this pass can name, in the order the patterns run
SHAPE_KINDS: Final = ("private-key", "url-password", "url-token", "basic-auth", "bearer", "authorization", "jwt", "aws-key-id",
                      "aws-secret", "azure-key", "zk-digest", "scram", "jmx-password", "password")

_PEM: Final = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"
    r"(?:(?:Proc-Type|DEK-Info):[^\n\\]*|\\[nrt]|[A-Za-z0-9+/=\s])*"
    r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)?"
)
#: GCP service-account JSON: "private_key": "…" (the PEM inside is usually gone already)
_JSON_PRIVATE_KEY: Final = re.compile(r'("private_key"\s*:\s*")((?:[^"\\\n]|\\.){1,16384})(")')
#: scheme://user:password@host (the password may hold '@': the last one before the host wins)
#: (it starts at the literal "://", which the regex engine finds fast, and looks back for a scheme)
_URL: Final = re.compile(r"://(?<=[A-Za-z0-9]://)([^\s:/?#@\[\]'\"<>]{1,256}:)([^\s/?#'\"<>]{1,256})(@)")
#: ?password=… &token=… in a URL's query (JDBC URLs, webhooks); an Azure SAS signature is _AZURE's
_QUERY: Final = re.compile(
    r"(?i)([?&](?:password|passwd|pwd|pass|secret|client_secret|token|access_token|api_key|apikey|key)=)([^&\s\"'#;<>]+)"
)
_AUTHORIZATION: Final = re.compile(
    r"(?i)(?<![\w-])((?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?)"
    r"(?:(basic|bearer|digest|negotiate|token|apikey|sharedkey)(\s+))?([^\s\"',;]{4,})"
)
_BEARER: Final = re.compile(r"(?<![\w-])((?:Bearer|bearer|BEARER)\s+)([A-Za-z0-9._~+/-]{8,}=*)(?![A-Za-z0-9._~+/=-])")
_BASIC: Final = re.compile(r"(?<![\w-])(Basic\s+)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])")
_JWT: Final = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_AWS_KEY_ID: Final = re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])")
_AWS_SECRET: Final = re.compile(
    r"(?i)(?<![A-Za-z0-9])((?:aws[_.-]?)?secret[_.-]?access[_.-]?key[\"']?\s*[:=]\s*[\"']?"
    r"|aws[_.-]?secret[_.-]?key[\"']?\s*[:=]\s*[\"']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
)
_AZURE: Final = re.compile(r"(?<![A-Za-z])((?:AccountKey|SharedAccessKey|SharedAccessSignature)=)([^;\s\"'<>]+)|([?&]sig=)([^&\s\"'<>]+)")
#: -Dzookeeper.DigestAuthenticationProvider.superDigest=super:<base64 SHA-1>
_SUPER_DIGEST: Final = re.compile(r"(?i)(superDigest[\"']?\s*[:=]\s*[\"']?[^:\s\"']{1,64}:)([^\s\"']+)")
#: user:<base64 SHA-1> in ZooKeeper ACLs (`digest,'bob:zyXYj3Fq1yHlAqTGtI2bGqOBqQU=`); it starts at the colon, a
#: literal the regex engine finds fast, and looks back for the user name
_ZK_DIGEST: Final = re.compile(r":(?<=[A-Za-z0-9_.@-]:)([A-Za-z0-9+/]{27}=)(?![A-Za-z0-9+/=])")
#: SCRAM-SHA-256=[iterations=8192,password=…] (kafka-configs --add-config, kafka-storage --add-scram)
_SCRAM: Final = re.compile(r"(SCRAM-SHA-(?:256|512)\s*=\s*\[)([^\]\n]{0,2048})(\]?)")
_SCRAM_FIELD: Final = re.compile(r"(?i)(?<![\w])((?:salted_?)?password\s*=\s*)(\"[^\"]*\"?|[^,\]\s]+)")
#: a line of a JMX password file: `monitorRole  s3cret` (the access file's readonly/readwrite stay)
_JMX: Final = re.compile(r"(?m)^([ \t]*[A-Za-z][\w.-]{0,63}Role[ \t]+)(\S+)([ \t]*)$")
_JMX_ACCESS: Final = frozenset(("readonly", "readwrite"))
#: a JAAS user_<name>="password" wherever it is (a log line quoting a JAAS config)
_JAAS_USER: Final = re.compile(r"(?<![\w-])(user_[A-Za-z0-9_.-]{1,64}\s*=\s*)(\"(?:[^\"\\\n]|\\.)*\"?)")
_BEARER_TOKEN_CHARS: Final = re.compile(r"[0-9._~+/-]")
_NOT_A_VALUE: Final = frozenset(("true", "false", "null", "none", "enabled", "disabled", "required", "yes", "no"))


def _done(value: str) -> bool:
    """Already a placeholder, or a reference the reader resolves elsewhere (${file:…})."""
    return value.startswith(("[REDACTED", '"[REDACTED', "${")) or value.lower() in _NOT_A_VALUE


def _quoted(value: str, hit: Hit, kind: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return f'"{hit(value[1:-1], kind)}"'
    return hit(value, kind)


def _decodes_to_user_pass(token: str) -> bool:
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in raw and raw.isascii() and all(32 <= c < 127 for c in raw)


def _pem(text: str, hit: Hit) -> str:
    return _PEM.sub(lambda m: hit(m.group(0), "private-key"), text)


def _json_private_key(text: str, hit: Hit) -> str:
    def replace(m: re.Match[str]) -> str:
        return m.group(0) if _done(m.group(2)) else m.group(1) + hit(m.group(2), "private-key") + m.group(3)

    return _JSON_PRIVATE_KEY.sub(replace, text)


def _url(text: str, hit: Hit) -> str:
    def replace(m: re.Match[str]) -> str:
        return m.group(0) if _done(m.group(2)) else "://" + m.group(1) + hit(m.group(2), "url-password") + m.group(3)

    def query(m: re.Match[str]) -> str:
        name = m.group(1)[1:-1].lower()
        kind = "url-password" if name.startswith("pass") or name in ("passwd", "pwd") else "url-token"
        return m.group(0) if _done(m.group(2)) else m.group(1) + hit(m.group(2), kind)

    if "://" not in text:
        return text
    return _QUERY.sub(query, _URL.sub(replace, text))


def _has(text: str, *words: str) -> bool:
    """A cheap test before a pattern that cannot start with a literal: one of `words` is in text."""
    return any(word in text for word in words)


def _authorization(text: str, hit: Hit) -> str:
    def replace(m: re.Match[str]) -> str:
        scheme, value = (m.group(2) or "").lower(), m.group(4)
        if _done(value):
            return m.group(0)
        kind = {"basic": "basic-auth", "bearer": "bearer"}.get(scheme, "authorization")
        return m.group(1) + (m.group(2) or "") + (m.group(3) or "") + hit(value, kind)

    return _AUTHORIZATION.sub(replace, text) if _has(text, "uthorization", "UTHORIZATION") else text


def _bearer(text: str, hit: Hit) -> str:
    def replace(m: re.Match[str]) -> str:
        token = m.group(2)
        if _done(token) or not _BEARER_TOKEN_CHARS.search(token):  # "Bearer authentication" is prose
            return m.group(0)
        return m.group(1) + hit(token, "bearer")

    return _BEARER.sub(replace, text) if _has(text, "earer", "EARER") else text


def _basic(text: str, hit: Hit) -> str:
    def replace(m: re.Match[str]) -> str:
        token = m.group(2)
        return m.group(1) + hit(token, "basic-auth") if _decodes_to_user_pass(token) else m.group(0)

    return _BASIC.sub(replace, text) if "Basic" in text else text


def _jwt(text: str, hit: Hit) -> str:
    return _JWT.sub(lambda m: hit(m.group(0), "jwt"), text) if "eyJ" in text else text


def _aws(text: str, hit: Hit) -> str:
    if _has(text, "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA"):
        text = _AWS_KEY_ID.sub(lambda m: hit(m.group(0), "aws-key-id"), text)
    if _has(text, "ecret", "ECRET"):
        text = _AWS_SECRET.sub(lambda m: m.group(1) + hit(m.group(2), "aws-secret"), text)
    return text


def _azure(text: str, hit: Hit) -> str:
    def replace(m: re.Match[str]) -> str:
        head, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return m.group(0) if _done(value) else head + hit(value, "azure-key")

    return _AZURE.sub(replace, text) if _has(text, "AccountKey=", "SharedAccess", "sig=") else text


def _zookeeper(text: str, hit: Hit) -> str:
    def replace(m: re.Match[str]) -> str:
        return m.group(0) if _done(m.group(2)) else m.group(1) + hit(m.group(2), "zk-digest")

    if _has(text, "uperDigest", "uperdigest", "UPERDIGEST"):
        text = _SUPER_DIGEST.sub(replace, text)
    return _ZK_DIGEST.sub(lambda m: ":" + hit(m.group(1), "zk-digest"), text)


def _scram(text: str, hit: Hit) -> str:
    def inner(m: re.Match[str]) -> str:
        return m.group(0) if _done(m.group(2).strip('"')) else m.group(1) + _quoted(m.group(2), hit, "scram")

    def replace(m: re.Match[str]) -> str:
        return m.group(1) + _SCRAM_FIELD.sub(inner, m.group(2)) + m.group(3)

    return _SCRAM.sub(replace, text) if "SCRAM-SHA-" in text else text


def _jmx(text: str, hit: Hit) -> str:
    def replace(m: re.Match[str]) -> str:
        value = m.group(2)
        if value.lower() in _JMX_ACCESS or _done(value):
            return m.group(0)
        return m.group(1) + hit(value, "jmx-password") + m.group(3)

    return _JMX.sub(replace, text) if "Role" in text else text


def _jaas_users(text: str, hit: Hit) -> str:
    def replace(m: re.Match[str]) -> str:
        return m.group(0) if _done(m.group(2).strip('"')) else m.group(1) + _quoted(m.group(2), hit, "password")

    return _JAAS_USER.sub(replace, text) if "user_" in text else text


#: in order: a PEM block first (its base64 could look like other shapes), the JSON key around it next
_PASSES: Final = (_pem, _json_private_key, _url, _authorization, _bearer, _basic, _jwt, _aws, _azure, _zookeeper,
                  _scram, _jmx, _jaas_users)


def scrub_shapes(text: str, hit: Hit) -> str:
    """`text` with every secret of a known shape replaced by hit(value, kind)."""
    for scrub in _PASSES:
        text = scrub(text, hit)
    return text
