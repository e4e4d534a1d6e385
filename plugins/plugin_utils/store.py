"""Artifacts of one host (or of the cluster): redacted, then written under the snapshot root.

Every artifact is added by its name in the registry (meta/artifacts.yml), which says its usual
source type and its redaction pass; a name that is not declared there is refused. Content is
held until `finish()`, so that a secret found in one artifact (a password in
server.properties) is also scrubbed from every other artifact of the same host where it
appears verbatim (the `ps` output, a log line). Only then is anything written; the values found
are then handed over, as keyed digests (redact_values), for the snapshot-wide pass.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.redact import Redactor
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.redact_values import handover
from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.registry import RegistryError, declared

__all__ = ["ArtifactStore", "ensure_private_dir"]

_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")
_META_KEYS: Final = ("mode", "owner", "group", "sha256", "mtime")


def ensure_private_dir(path: Path) -> None:
    """mkdir -p with mode 0700 for every directory created."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700)


@dataclass
class _Pending:
    fields: dict[str, Any]
    content: str | None
    kind: str


@dataclass
class ArtifactStore:
    """Collects the artifacts of one host (prefix hosts/<name>) or of the cluster (prefix cluster)."""

    root: Path
    prefix: str
    redactor: Redactor = field(default_factory=Redactor)
    pending: list[_Pending] = field(default_factory=list)
    #: [digest, kind, mode] of the secret values found, filled by finish() (redact_values.handover)
    handover: list[list[str]] = field(default_factory=list)

    def add(
        self,
        name: str,
        *,
        content: str | None = None,
        status: str = "ok",
        source: str = "",
        source_type: str | None = None,
        instance: str | None = None,
        key: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Record artifact `name` (declared in the registry); `content` is written (redacted) when status is ok.
        `source_type` is needed only when it is not the declaration's usual one."""
        declaration = declared(name)
        source_type = source_type or declaration.source_type
        if source_type not in declaration.source_types:
            raise RegistryError(f"artifact {name!r} is declared with source_type {', '.join(declaration.source_types)},"
                                f" not {source_type}")
        fields: dict[str, Any] = {
            "name": name,
            "instance": instance,
            "key": key,
            "source_type": source_type,
            "source": source,
            "status": status,
        }
        for field_name in ("rc", "truncated", "error", "duration_s", *_META_KEYS):
            if extra.get(field_name) is not None:
                fields[field_name] = extra[field_name]
        if fields.get("error"):
            fields["error"] = " ".join(str(fields["error"]).split())[:300]
        self.pending.append(_Pending(fields, content if status == "ok" else None, declaration.redaction_for(key)))
        return fields

    def add_result(self, name: str, result: dict[str, Any], *, text_key: str = "content", **kwargs: Any) -> dict[str, Any]:
        """Record the result of one module request (read or run)."""
        content = result.get(text_key)
        if content is None and text_key == "stdout" and result.get("status") == "ok":
            content = ""
        keep = {k: result[k] for k in ("rc", "truncated", "error", "duration_s", *_META_KEYS) if k in result}
        keep.pop("sha256", None)  # of the written (redacted) content instead
        keep.update(kwargs.pop("extra", {}))
        return self.add(name, content=content, status=result.get("status", "failed"), **keep, **kwargs)

    def _content_path(self, fields: dict[str, Any], used: set[str]) -> str:
        source = fields["source"]
        if fields["source_type"] == "file" and source.startswith("/"):
            relative = f"{self.prefix}/files/{os.path.normpath(source).lstrip('/')}"
            if relative not in used:
                return relative
        parts = [fields["name"], fields.get("instance"), fields.get("key")]
        stem = ".".join(_UNSAFE.sub("_", p).strip("_") for p in parts if p)[:180]
        base = f"{self.prefix}/{'commands/' if self.prefix.startswith('hosts/') else ''}{stem}"
        candidate, number = f"{base}.txt", 1
        while candidate in used:
            number += 1
            candidate = f"{base}.{number}.txt"
        return candidate

    def finish(self) -> list[dict[str, Any]]:
        """Redact every content (kind pass, shape pass, then known secret values), write, return the artifacts."""
        redacted: list[tuple[_Pending, str | None, Counter[str]]] = []
        for item in self.pending:
            if item.content is None:
                redacted.append((item, None, Counter()))
                continue
            text, counts = self.redactor.redact(item.kind, item.content)
            redacted.append((item, text, Counter(counts)))
        artifacts = []
        used: set[str] = set()
        for item, text, counts in redacted:
            fields = dict(item.fields)
            if fields.get("error"):
                error, _counts = self.redactor.redact("text", fields["error"])
                fields["error"], _counts = self.redactor.literals(error)
            if text is not None:
                text, more = self.redactor.literals(text)
                counts.update(more)
                data = text.encode("utf-8", errors="replace")
                relative = self._content_path(fields, used)
                used.add(relative)
                target = self.root / relative
                if not os.path.normpath(target).startswith(os.path.normpath(self.root)):
                    fields.update(status="failed", error="refused: path outside the snapshot")
                    artifacts.append(fields)
                    continue
                ensure_private_dir(target.parent)
                descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(data)
                fields.update(path=relative, size=len(data), sha256=hashlib.sha256(data).hexdigest())
            if sum(counts.values()):
                fields["redactions"] = sum(counts.values())
                fields["redactions_by_kind"] = dict(sorted(counts.items()))
            artifacts.append({k: v for k, v in fields.items() if v is not None})
        self.pending.clear()
        self.handover.extend(handover(self.redactor.secrets, self.root))
        return artifacts
