"""GitHub-style heading anchors."""

from __future__ import annotations

import pytest

from kafkapilot.report.anchors import Slugger, slugify


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Critical", "critical"),
        ("min.insync.replicas | acks mismatch", "mininsyncreplicas--acks-mismatch"),
        ("KafkaPilot report — prod-east", "kafkapilot-report--prod-east"),
        ("Broker heap below 4 GiB", "broker-heap-below-4-gib"),
        ("log_dirs on Zürich", "log_dirs-on-zürich"),
        ("!!!", "section"),
    ],
)
def test_slugify(heading: str, anchor: str) -> None:
    assert slugify(heading) == anchor


def test_repeated_headings_are_numbered_like_github() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ("High", "High", "High 1", "High")] == ["high", "high-1", "high-1-1", "high-2"]
