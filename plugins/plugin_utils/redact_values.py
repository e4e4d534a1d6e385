"""By value, across the snapshot: a secret found on one host is replaced in every host's artifacts.

Ansible collects each host in its own forked worker, so the values one worker found are not in
the memory of another. They are handed over without ever being written or sent in clear:

1. `snapshot state=start` writes a random key (32 bytes, mode 0600) into the new snapshot
   directory (`KEY_FILE`).
2. Each host's (and the cluster command's) worker redacts its own artifacts, then returns, with
   its task result, a keyed BLAKE2b digest and the kind of each value it found (`handover`): no
   value, no length.
3. `snapshot state=finish` (run once, on the controller) reads the key, cuts every written
   artifact into words, hashes each distinct word with the same key, replaces the words whose
   digest was handed over (`ValueScrubber`), and deletes the key before the manifest and the
   archive are written. Without the key a digest tells nothing, even of a short password.

A value is matched as a whole word: delimited by white space, quotes and `= , ; : @ ( ) [ ] { } < > |`
when it holds none of them, else by white space and quotes only; one holding white space or quotes
is replaced on its own host only (Redactor.literals). Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections import Counter
from pathlib import Path
from typing import Any, Final

from ansible_collections.kafkapilot.kafkapilot.plugins.plugin_utils.redact import placeholder, worth_scrubbing

__all__ = ["KEY_FILE", "ValueScrubber", "create_key", "handover", "read_key", "remove_key", "scrub_snapshot"]

KEY_FILE: Final = ".kafkapilot-redaction-key"
_FINE_DELIMITERS: Final = "\\s\"'`=,;:@()\\[\\]{}<>|"
_COARSE_DELIMITERS: Final = "\\s\"'`"
_SPLIT: Final = {"f": re.compile(f"[{_FINE_DELIMITERS}]+"), "c": re.compile(f"[{_COARSE_DELIMITERS}]+")}
_BOUNDS: Final = {"f": (f"(?<![^{_FINE_DELIMITERS}])", f"(?![^{_FINE_DELIMITERS}])"),
                  "c": (f"(?<![^{_COARSE_DELIMITERS}])", f"(?![^{_COARSE_DELIMITERS}])")}
_HAS_FINE: Final = re.compile(f"[{_FINE_DELIMITERS}]")
_HAS_COARSE: Final = re.compile(f"[{_COARSE_DELIMITERS}]")


def create_key(root: Path) -> None:
    """A new random key in the snapshot directory (0600; never an existing file)."""
    descriptor = os.open(root / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(secrets.token_bytes(32))


def read_key(root: Path) -> bytes | None:
    """The run's key, or None when the snapshot was not started by `snapshot state=start`."""
    try:
        key = (root / KEY_FILE).read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def remove_key(root: Path) -> None:
    try:
        (root / KEY_FILE).unlink()
    except FileNotFoundError:
        pass


def _digest(key: bytes, value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8", errors="replace"), key=key, digest_size=16).hexdigest()


def handover(found: dict[str, str], root: Path) -> list[list[str]]:
    """[digest, kind, mode] of each found value (value -> kind) worth replacing elsewhere; mode says how
    it is delimited (f: by any delimiter, c: by white space and quotes). Empty without the run's key."""
    key = read_key(root)
    if key is None:
        return []
    entries = []
    for value, kind in sorted(found.items()):
        if not worth_scrubbing(value) or _HAS_COARSE.search(value):
            continue
        entries.append([_digest(key, value), kind, "c" if _HAS_FINE.search(value) else "f"])
    return entries


class ValueScrubber:
    """Replaces, in any text, the words whose keyed digest was handed over."""

    def __init__(self, key: bytes, entries: list[list[str]]) -> None:
        self._key = key
        self._kinds: dict[str, dict[str, str]] = {"f": {}, "c": {}}
        for digest, kind, mode in entries:
            self._kinds.setdefault(str(mode), {})[str(digest)] = str(kind)

    def __bool__(self) -> bool:
        return any(self._kinds.values())

    def scrub(self, text: str) -> tuple[str, Counter[str]]:
        """(text with every handed-over value replaced by its placeholder, replacements by kind)."""
        counts: Counter[str] = Counter()
        for mode, kinds in self._kinds.items():
            if not kinds:
                continue
            found = {word: kinds[digest] for word in set(_SPLIT[mode].split(text))
                     if len(word) >= 4 and (digest := _digest(self._key, word)) in kinds}
            if not found:
                continue
            before, after = _BOUNDS[mode]
            words = "|".join(re.escape(w) for w in sorted(found, key=len, reverse=True))
            pattern = re.compile(f"{before}(?:{words}){after}")

            def replace(match: re.Match[str], found: dict[str, str] = found) -> str:
                counts[found[match.group(0)]] += 1
                return placeholder(found[match.group(0)])

            text = pattern.sub(replace, text)
        return text, counts


def scrub_snapshot(root: Path, artifact_lists: list[list[dict[str, Any]]], entries: list[list[str]]) -> int:
    """The snapshot-wide pass: every written artifact of `artifact_lists` (manifest entries, updated in
    place: size, sha256, redactions) with the handed-over values replaced; then the key is removed.
    Returns the number of replacements."""
    key = read_key(root)
    remove_key(root)
    scrubber = ValueScrubber(key, entries) if key is not None else None
    if not scrubber:
        return 0
    total = 0
    for artifacts in artifact_lists:
        for artifact in artifacts:
            path = root / str(artifact.get("path") or "")
            if not artifact.get("path") or not path.is_file() or path.is_symlink():
                continue
            text, counts = scrubber.scrub(path.read_text(encoding="utf-8", errors="replace"))
            if not counts:
                continue
            data = text.encode("utf-8", errors="replace")
            temporary = path.with_name(path.name + ".kafkapilot-tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
            by_kind = Counter(artifact.get("redactions_by_kind") or {})
            by_kind.update(counts)
            artifact.update(size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                            redactions=int(artifact.get("redactions") or 0) + sum(counts.values()),
                            redactions_by_kind=dict(sorted(by_kind.items())))
            total += sum(counts.values())
    return total
