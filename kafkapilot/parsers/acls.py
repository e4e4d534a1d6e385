"""``kafka-acls.sh --list``: every ACL binding the authorizer holds, grouped by resource pattern.

Kafka 4.x (org.apache.kafka.tools.AclCommand) prints, per resource pattern::

    Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`:
    \t(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)
    \t(principal=User:bob, host=10.0.0.5, operation=READ, permissionType=ALLOW)

followed by a blank line; Kafka 3.x (kafka.admin.AclCommand) the same with a space after the
colon and around the entries. The strings are ``ResourcePattern.toString()`` and
``AccessControlEntry.toString()`` of kafka-clients, so the enum names are printed as is
(``CLUSTER_ACTION``, ``TRANSACTIONAL_ID``, ``PREFIXED`` …). An authorizer without any ACL prints
nothing. A principal may hold commas (``User:CN=app,OU=eng``) and a group name anything, so the
fields are read from the fixed labels, not split on commas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kafkapilot.parsers._lines import content_lines, reject_unrecognised
from kafkapilot.parsers.errors import ParseError

__all__ = ["AclBinding", "parse_acls"]

_RESOURCE: Final[re.Pattern[str]] = re.compile(
    r"^Current ACLs for resource `ResourcePattern\(resourceType=(?P<type>[A-Z_]+), name=(?P<name>.*), "
    r"patternType=(?P<pattern>[A-Z_]+)\)`:\s*$"
)
_ENTRY: Final[re.Pattern[str]] = re.compile(
    r"^\(principal=(?P<principal>.*), host=(?P<host>[^,]*), operation=(?P<operation>[A-Z_]+), "
    r"permissionType=(?P<permission>[A-Z_]+)\)$"
)


@dataclass(frozen=True, slots=True)
class AclBinding:
    """One ACL: the resource pattern and the access control entry, enum names as printed."""

    resource_type: str
    resource_name: str
    pattern_type: str
    principal: str
    host: str
    operation: str
    permission: str


def parse_acls(text: str) -> tuple[AclBinding, ...]:
    """The bindings in printed order.

    Raises ParseError on an entry line before any resource header, or an indented line that is
    not an access control entry; text with no header at all is not kafka-acls output.
    """
    bindings: list[AclBinding] = []
    resource: tuple[str, str, str] | None = None
    headers = 0
    first_other: int | None = None
    for number, line in content_lines(text):
        stripped = line.strip()
        header = _RESOURCE.match(stripped)
        if header is not None:
            resource = (header.group("type"), header.group("name"), header.group("pattern"))
            headers += 1
            continue
        entry = _ENTRY.match(stripped)
        if entry is None:
            if resource is not None and stripped.startswith("(principal="):
                raise ParseError("ACL line is not '(principal=…, host=…, operation=…, permissionType=…)'",
                                 line=number)
            first_other = first_other or number
            continue
        if resource is None:
            raise ParseError("an ACL entry before any 'Current ACLs for resource' line", line=number)
        bindings.append(AclBinding(
            resource_type=resource[0], resource_name=resource[1], pattern_type=resource[2],
            principal=entry.group("principal"), host=entry.group("host"),
            operation=entry.group("operation"), permission=entry.group("permission"),
        ))
    reject_unrecognised(headers, first_other, "kafka-acls --list output")
    return tuple(bindings)
