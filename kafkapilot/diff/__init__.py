"""`kafkapilot diff OLD NEW`: what changed between two snapshots (or two JSON reports) of a cluster.

load_side reads each side (a snapshot is analysed, a report is read), match_findings pairs their
findings by task and subject, changes and lag compare what the snapshots hold; build assembles the
Diff that every renderer reads (docs/diff.md).
"""

from __future__ import annotations
