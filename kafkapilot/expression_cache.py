"""Compiled check expressions kept on disk, so that a run does not compile the catalog again.

One file per task file, named by a hash of the file's content and of everything the compiled
code depends on (jinja2, kafkapilot and Python versions, the fact models, the task schema); it
also keeps the validated task, so that a run reads no YAML it has read before. Where:
`$KAFKAPILOT_CACHE_DIR/expressions`, else `$XDG_CACHE_HOME/kafkapilot/expressions`, else
`~/.cache/kafkapilot/expressions`. The cache is an optimisation only: a missing, unreadable,
read-only or corrupt cache is ignored (the expressions are compiled again), never an error. It
holds code (as Python's own bytecode caches do): keep it a directory only its user can write.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any, Final

import jinja2

from kafkapilot import __version__

__all__ = ["CACHE_DIR_ENV", "Bundle", "cache_key", "expressions_dir", "read_bundle", "write_bundle"]

CACHE_DIR_ENV: Final = "KAFKAPILOT_CACHE_DIR"
_FORMAT: Final = "2"  # 2: `*` and `**` compiled as calls of the sandbox's call_binop (bounded results)

# (kind, source) → code object; source → names it reads
Bundle = dict[str, dict[Any, Any]]


def expressions_dir() -> Path:
    """Where compiled expressions are kept."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override) / "expressions"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kafkapilot" / "expressions"


@cache
def _models_signature() -> str:
    """Changes whenever a fact model gains, loses or retypes a field (validation results depend on
    it), or the task schema's code changes (the bundle keeps the validated task)."""
    from kafkapilot.catalog import schema  # noqa: PLC0415 - only when a key is computed
    from kafkapilot.facts.model import ALL_MODELS  # noqa: PLC0415

    text = "\n".join(f"{m.__name__}.{f.name}:{f.type}" for m in ALL_MODELS for f in dataclasses.fields(m))
    text += Path(schema.__file__).read_text(encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cache_key(content_digest: str) -> str:
    """The file name for a task whose content hashes to `content_digest`."""
    parts = (_FORMAT, jinja2.__version__, __version__, sys.version, _models_signature(), content_digest)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def read_bundle(key: str) -> Bundle | None:
    """The bundle stored under `key`, or None (absent, unreadable, corrupt, another format)."""
    try:
        data = (expressions_dir() / f"{key}.bin").read_bytes()
        bundle = marshal.loads(data)  # noqa: S302 - our own files, keyed by a content hash
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if (not isinstance(bundle, dict) or not isinstance(bundle.get("codes"), dict)
            or not isinstance(bundle.get("names"), dict)):
        return None
    return bundle


def write_bundle(key: str, bundle: Bundle) -> None:
    """Store a bundle (atomically: a reader sees the old file or the new one); failures are ignored."""
    directory = expressions_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".bin")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(bundle))
        Path(temporary).replace(directory / f"{key}.bin")
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
