"""The snapshot: the directory the collection writes and the analyser reads (docs/snapshot-format.md)."""

from __future__ import annotations
