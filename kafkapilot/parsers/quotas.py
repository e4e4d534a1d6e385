"""``kafka-configs.sh --describe --entity-type users|clients|ips`` (and ``users`` with ``clients``):
the client quotas the cluster holds, one line per entity (samples/quotas_*.txt, captured from Kafka
3.9.2 and 4.4.0 on the lab; both print the same)::

    Quota configs for the default user-principal are request_percentage=200.0
    Quota configs for user-principal 'app' are consumer_byte_rate=2048.0, request_percentage=0.5, …
    Quota configs for the default client-id are producer_byte_rate=1.048576E7
    Quota configs for user-principal 'app', client-id 'c1' are consumer_byte_rate=4096.0
    Quota configs for ip '10.1.2.3' are connection_creation_rate=2.0

Values are Java doubles (``1.048576E7``). In ZooKeeper mode ``--entity-type users`` also prints a
user's SCRAM credentials (``SCRAM credential configs for user-principal 'alice' are
SCRAM-SHA-256=iterations=8192``): not quotas, skipped. Nothing at all is printed when no quota is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines, reject_unrecognised
from kafkapilot.parsers.errors import ParseError

__all__ = ["Quota", "parse_quotas"]

_LINE: Final = re.compile(r"^Quota configs for (?P<entity>.+?) are (?P<configs>.*)$")
_PART: Final = re.compile(r"^(?:the default (?P<default>user-principal|client-id|ip)|"
                          r"(?P<kind>user-principal|client-id|ip) '(?P<name>.*)')$")
_KINDS: Final = {"user-principal": "user", "client-id": "client", "ip": "ip"}
_SCRAM: Final = re.compile(r"^SCRAM credential configs for ")


@dataclass(frozen=True, slots=True)
class Quota:
    """The quota settings of one entity: a user, a client id, a user with a client id, or an ip; a name of
    None is the entity type's default (`<default>`)."""

    user: str | None
    client: str | None
    ip: str | None
    default: tuple[str, ...]  # the entity kinds given as their default: ("user",), ("user", "client") …
    configs: tuple[tuple[str, float], ...]


def _entity(text: str, number: int) -> tuple[dict[str, str | None], tuple[str, ...]]:
    names: dict[str, str | None] = {}
    defaults: list[str] = []
    # names are quoted and may hold ", " themselves: split only before a known part
    for part in re.split(r", (?=(?:the default )?(?:user-principal|client-id|ip)\b)", text):
        match = _PART.match(part)
        if match is None:
            raise ParseError(f"quota entity {part!r} is not a user-principal, client-id or ip", line=number)
        if match.group("default"):
            kind = _KINDS[match.group("default")]
            names[kind] = None
            defaults.append(kind)
        else:
            names[_KINDS[match.group("kind")]] = match.group("name")
    return names, tuple(defaults)


def _configs(text: str, number: int) -> tuple[tuple[str, float], ...]:
    configs = []
    for item in (i.strip() for i in text.split(",") if i.strip()):
        key, sep, value = item.partition("=")
        try:
            configs.append((key.strip(), float(value)))
        except ValueError:
            raise ParseError(f"quota {item!r} is not KEY=NUMBER", line=number) from None
        if not sep:
            raise ParseError(f"quota {item!r} is not KEY=NUMBER", line=number)
    return tuple(configs)


def parse_quotas(text: str) -> tuple[Quota, ...]:
    """The quotas in printed order."""
    quotas: list[Quota] = []
    first_other: int | None = None
    recognised = False
    for number, line in content_lines(text):
        match = _LINE.match(line.strip())
        if match is None:
            if _SCRAM.match(line.strip()):
                recognised = True
            else:
                first_other = first_other or number
            continue
        recognised = True
        names, defaults = _entity(match.group("entity"), number)
        quotas.append(Quota(user=names.get("user"), client=names.get("client"), ip=names.get("ip"),
                            default=defaults, configs=_configs(match.group("configs"), number)))
    reject_unrecognised(recognised, first_other, "kafka-configs --describe quota output")
    return tuple(quotas)
