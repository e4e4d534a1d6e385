"""Public X.509 certificates in PEM, as the collection stores a keystore's (``keystore_certificates``).

The text is what ``keytool -list -rfc`` prints, reduced to the certificates and their alias
lines, or the CERTIFICATE blocks of a PEM keystore::

    Alias name: kafka-1
    Entry type: PrivateKeyEntry
    Certificate[1]:
    -----BEGIN CERTIFICATE-----
    MIID…
    -----END CERTIFICATE-----

Only what an expiry check needs is decoded from the DER (RFC 5280, section 4.1): serial,
issuer, validity and subject. Standard library only: no cryptography package, nothing verified.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from kafkapilot.parsers.errors import ParseError

__all__ = ["Certificate", "parse_certificates"]

_BLOCK: Final = re.compile(r"-----BEGIN CERTIFICATE-----(?P<body>[A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----")
_ALIAS: Final = re.compile(r"^Alias name:\s*(?P<alias>.*?)\s*$", re.MULTILINE)
#: attribute type OIDs (DER content bytes) of the names shown in a distinguished name
_NAMES: Final = {
    bytes.fromhex("550403"): "CN", bytes.fromhex("55040a"): "O", bytes.fromhex("55040b"): "OU",
    bytes.fromhex("550406"): "C", bytes.fromhex("550407"): "L", bytes.fromhex("550408"): "ST",
}
_SEQUENCE, _SET, _INTEGER, _OID, _UTC_TIME, _GENERALIZED_TIME, _VERSION = 0x30, 0x31, 0x02, 0x06, 0x17, 0x18, 0xA0


@dataclass(frozen=True)
class Certificate:
    """One certificate: `alias` is the keystore entry it belongs to, `position` its place in that
    entry's chain (1 = the entry's own)."""

    alias: str | None
    position: int
    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime

    @property
    def self_signed(self) -> bool:
        return self.subject == self.issuer


def _tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of the value, end of the value) of the DER element at `at`."""
    if at + 2 > len(data):
        raise ValueError("truncated element")
    tag, length, start = data[at], data[at + 1], at + 2
    if length & 0x80:
        size = length & 0x7F
        if size == 0 or size > 4:
            raise ValueError("unsupported length")
        length, start = int.from_bytes(data[start:start + size], "big"), start + size
    if start + length > len(data):
        raise ValueError("element longer than the certificate")
    return tag, start, start + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    found, at = [], start
    while at < end:
        element = _tlv(data, at)
        found.append(element)
        at = element[2]
    return found


def _time(data: bytes, element: tuple[int, int, int]) -> datetime:
    tag, start, end = element
    text = data[start:end].decode("ascii")
    if tag == _UTC_TIME:  # YYMMDDHHMMSSZ; years 50-99 are 19xx (RFC 5280 4.1.2.5.1)
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    elif tag != _GENERALIZED_TIME:
        raise ValueError("validity is not a time")
    return datetime.strptime(text.rstrip("Z")[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def _name(data: bytes, element: tuple[int, int, int]) -> str:
    parts = []
    for _, set_start, set_end in _children(data, element[1], element[2]):
        for _, start, end in _children(data, set_start, set_end):
            oid, value = _children(data, start, end)[:2]
            label = _NAMES.get(data[oid[1]:oid[2]])
            if label:
                parts.append(f"{label}={data[value[1]:value[2]].decode('utf-8', 'replace')}")
    return ",".join(reversed(parts))  # RFC 4514: the most specific name first


def _decode(der: bytes, alias: str | None, position: int) -> Certificate:
    tag, start, _end = _tlv(der, 0)
    if tag != _SEQUENCE:
        raise ValueError("not a DER sequence")
    tbs = _children(der, *_tlv(der, start)[1:])
    if tbs and tbs[0][0] == _VERSION:
        tbs = tbs[1:]
    serial, _signature, issuer, validity, subject = tbs[:5]
    if serial[0] != _INTEGER or validity[0] != _SEQUENCE:
        raise ValueError("not an X.509 certificate")
    not_before, not_after = _children(der, validity[1], validity[2])[:2]
    return Certificate(
        alias=alias,
        position=position,
        subject=_name(der, subject),
        issuer=_name(der, issuer),
        serial=der[serial[1]:serial[2]].hex(),
        not_before=_time(der, not_before),
        not_after=_time(der, not_after),
    )


def parse_certificates(text: str) -> tuple[Certificate, ...]:
    """Every certificate of the text, in order, each with the alias above it (None for a PEM file)."""
    aliases = [(m.start(), m.group("alias")) for m in _ALIAS.finditer(text)]
    found: list[Certificate] = []
    position: dict[str | None, int] = {}
    for block in _BLOCK.finditer(text):
        alias = next((name for at, name in reversed(aliases) if at < block.start()), None)
        position[alias] = position.get(alias, 0) + 1
        line = text.count("\n", 0, block.start()) + 1
        try:
            der = base64.b64decode("".join(block.group("body").split()), validate=True)
            found.append(_decode(der, alias, position[alias]))
        except (binascii.Error, ValueError, UnicodeDecodeError, IndexError) as exc:
            msg = f"certificate {len(found) + 1} is not a valid X.509 certificate ({exc})"
            raise ParseError(msg, line=line) from exc
    if text.strip() and not found:
        raise ParseError("no PEM certificate (-----BEGIN CERTIFICATE-----) in the text", line=1)
    return tuple(found)
