"""Heading anchors as GitHub makes them: a Markdown table of contents links the same on GitHub and in our HTML."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["Slugger", "slugify"]

_NOT_SLUG: Final = re.compile(r"[^\w\- ]")
_FALLBACK: Final = "section"


def slugify(text: str) -> str:
    """Return the anchor of a heading: lower case, punctuation dropped, spaces turned into hyphens."""
    return _NOT_SLUG.sub("", text.strip().lower()).replace(" ", "-") or _FALLBACK


class Slugger:
    """Hands out unique anchors in document order: a repeated heading gets ``-1``, ``-2``, … as on GitHub."""

    def __init__(self) -> None:
        """Start with no anchor taken."""
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        """Return the anchor for the next heading whose text is ``text``."""
        base = slugify(text)
        slug = base
        while slug in self._seen:
            self._seen[base] += 1
            slug = f"{base}-{self._seen[base]}"
        self._seen[slug] = 0
        return slug
