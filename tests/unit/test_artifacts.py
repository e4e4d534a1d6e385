"""The analysis' reading of the artifact registry (kafkapilot/artifacts.py): parsers that read real
content, the docs' tables and the schema's names generated from it, the LLM's sections chosen by it
(the feeds are checked against the fact models in tests/test_artifact_conformance.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kafkapilot import artifacts
from kafkapilot.catalog.schema import Task
from kafkapilot.cli_snapshot import manifest_schema
from kafkapilot.errors import KafkaPilotError
from kafkapilot.facts import Facts, build_facts
from kafkapilot.llm.data import sections_for, subjects_of
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.cluster_spec import cluster_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "kafkapilot" / "examples" / "example-snapshot"


@pytest.fixture(scope="module")
def kraft(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    """The facts of the factory's KRaft cluster."""
    return build_facts(load_snapshot(materialize(cluster_spec(), tmp_path_factory.mktemp("snapshot"))))


def test_the_registry_is_found_in_the_checkout_and_read_in_its_order() -> None:
    assert artifacts.registry_file() == ROOT / "meta" / "artifacts.yml"
    assert artifacts.names()[:2] == ("hostname", "uname") and len(artifacts.names()) >= 50
    assert artifacts.names(scope="cluster")[0] == "broker_api_versions"
    spec = artifacts.artifact("keystore_certificates")
    assert (spec.scope, spec.since, spec.parsers, spec.feeds) == (
        "process", "1.2", ("certificates.parse_certificates",), ("node.certificates",))


def test_an_undeclared_name_is_an_error_naming_the_registry() -> None:
    with pytest.raises(KafkaPilotError, match=r"artifacts\.yml: artifact 'server_props' is not declared \(declare it"):
        artifacts.artifact("server_props")


def _contents() -> list[tuple[str, str, str]]:
    """(where, artifact name, content) of every artifact with content in the factory's clusters and the example."""
    found = []
    for label, spec in (("kraft", cluster_spec()), ("zookeeper", cluster_spec(mode="zookeeper", version="3.9.1"))):
        for host, entry in spec["hosts"].items():
            found += [(f"{label}/{host}", a["name"], a["content"]) for a in entry["artifacts"] if "content" in a]
        found += [(f"{label}/cluster", a["name"], a["content"]) for a in spec.get("cluster", []) if "content" in a]
    snapshot = load_snapshot(EXAMPLE)
    for host, entry in snapshot.hosts.items():
        found += [(f"example/{host}", a.name, snapshot.text(a) or "") for a in entry.artifacts if a.path]
    found += [("example/cluster", a.name, snapshot.text(a) or "")
              for a in snapshot.manifest.cluster_artifacts if a.path]
    return found


def test_every_declared_parser_reads_real_content() -> None:
    parsed: set[str] = set()
    for where, name, content in _contents():
        function = artifacts.parser(name)
        if function is not None and content.strip():
            try:
                function(content)
            except Exception as exc:  # noqa: BLE001 - name the artifact that did not parse
                pytest.fail(f"{where} {name}: {artifacts.artifact(name).parsers}: {exc}")
            parsed.add(name)
    assert len(parsed) >= 30
    cmdline = "/usr/bin/java\n-Xmx2g\n-cp\n/x/*\nkafka.Kafka\n/c.properties\n"
    assert artifacts.parser("process_cmdline")(cmdline).xmx_bytes == 2 << 30


@pytest.mark.parametrize("dotted", ["proc.parse_nothing", "no_such_module.parse", "proc", "proc.__all__"])
def test_a_parser_that_is_not_a_function_of_kafkapilot_parsers_is_an_error(dotted: str) -> None:
    with pytest.raises(KafkaPilotError,
                       match=rf"artifacts\.yml: parser {dotted} is not a function of kafkapilot/parsers"):
        artifacts.parser_function(dotted)
    assert artifacts.parser_function("proc.parse_int")("3\n") == 3


@pytest.mark.integration
def test_docs_tables_are_generated_from_the_registry() -> None:
    text = (ROOT / "docs" / "snapshot-format.md").read_text()
    assert artifacts.docs_tables() in text + "\n", "run: python -m kafkapilot.artifacts docs --write"
    for name in artifacts.names():
        assert f"| `{name}` |" in text
    out = subprocess.run([sys.executable, "-m", "kafkapilot.artifacts", "docs"], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout == artifacts.docs_tables()
    assert "| `zookeeper_srvr` | `srvr` four-letter word" in out.stdout and "ZooKeeper only" in out.stdout
    names = subprocess.run([sys.executable, "-m", "kafkapilot.artifacts", "names"], capture_output=True, text=True,
                           check=True, timeout=60)
    assert tuple(names.stdout.split()) == artifacts.names()


def test_the_published_schema_lists_the_declared_names_without_refusing_others() -> None:
    name = manifest_schema()["$defs"]["Artifact"]["properties"]["name"]
    assert name["examples"] == list(artifacts.names()) and "enum" not in name


def test_each_prompt_section_holds_what_the_registry_sends_it(kraft: Facts) -> None:
    facts = kraft
    task = Task.model_validate({"id": "some_prompt", "name": "n", "applies_to": "broker",
                                "prompt": "{config} {system}"})
    subjects, _ = subjects_of(task, facts)
    sections = sections_for(task, facts, subjects[:1], cluster_wide=False, max_log_lines=50)
    shown = {(s.kind, s.title.split(" ")[1]) for s in sections}
    host = subjects[0].host
    collected = {a.name for a in facts.snapshot.manifest.hosts[host].artifacts if a.status.value == "ok"}
    for kind in ("config", "system"):
        expected = {n for n in artifacts.names(llm=kind) if n in collected}
        assert {n for k, n in shown if k == kind} == expected, kind
    assert ("system", "thp_enabled") in shown and ("system", "df_inodes") not in shown  # df_inodes: llm none
    assert set(artifacts.LLM_SECTIONS) - {"none"} <= {"config", "system", "logs", "admin", "metrics"}


def test_json_in_the_example_snapshot_is_read_by_the_declared_names() -> None:
    manifest = json.loads((EXAMPLE / "snapshot.json").read_text())
    used = {a["name"] for h in manifest["hosts"].values() for a in h["artifacts"]} | {
        a["name"] for a in manifest["cluster_artifacts"]}
    assert used <= set(artifacts.names())
