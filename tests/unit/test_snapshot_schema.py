"""The published manifest schema is current, and snapshots the writer makes conform to it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from kafkapilot.cli_snapshot import manifest_schema
from kafkapilot.snapshot.write import materialize
from tests.factory.cluster_spec import cluster_spec

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "kafkapilot" / "schemas" / "snapshot.schema.json"


def test_published_schema_is_current() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == manifest_schema(), ("run: kafkapilot snapshot schema > "
                                                                      "kafkapilot/schemas/snapshot.schema.json")


def test_written_manifest_validates(tmp_path: Path) -> None:
    root = materialize(cluster_spec(mode="zookeeper"), tmp_path / "s")
    jsonschema.validate(json.loads((root / "snapshot.json").read_text()), manifest_schema())
    assert oct(root.stat().st_mode & 0o777) == "0o700"
