"""The original KCPilot's 17 task files, unmodified, validate, load with --tasks-dir and run.

They are read where the project keeps them (../shared/compat/kcpilot-0.1.0, Apache-2.0, not
copied into this repository), and run against the loopback OpenAI server: answers in the
original's shape, severities from its `severity_keywords`, `include_data: [system:processes.txt]`,
`per_broker_analysis`, `cluster_type_filter`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Final

import pytest
from click.testing import CliRunner

from kafkapilot.catalog.load import load_catalog
from kafkapilot.catalog.schema import Scope
from kafkapilot.cli import analyse_main, main
from kafkapilot.llm.data import chosen_artifacts, effective_scope
from kafkapilot.snapshot.write import materialize
from tests.factory.cluster_spec import cluster_spec
from tests.llm.fake_openai import FakeOpenAI
from tests.llm.helpers import answer, ok, user_texts

_CORPUS: Final = Path("shared") / "compat" / "kcpilot-0.1.0" / "analysis_tasks"
_REPO: Final = Path(__file__).resolve().parents[2]


def _corpus() -> Path:
    """KAFKAPILOT_KCPILOT_TASKS, else ../shared/compat/… beside the checkout or one of its parents."""
    if os.environ.get("KAFKAPILOT_KCPILOT_TASKS"):
        return Path(os.environ["KAFKAPILOT_KCPILOT_TASKS"])
    for parent in (_REPO, *_REPO.parents, Path("/work")):
        if (parent / _CORPUS).is_dir():
            return parent / _CORPUS
    pytest.fail(f"the KCPilot task files are not found ({_CORPUS} beside the checkout); "
                "set KAFKAPILOT_KCPILOT_TASKS to their directory")


COMPAT: Final = _corpus()
IDS: Final = sorted(p.stem for p in COMPAT.rglob("*.yaml"))
HEAP_PROMPT: Final = "Analyze Zookeeper JVM heap memory configuration to check if it's appropriately sized"
LOGS_PROMPT: Final = "recent log entries to detect error conditions from the last 24 hours"
ZOOKEEPER_ONLY: Final = {"zookeeper_ha_check", "zookeeper_heap_memory", "zookeeper_heap_preallocation"}


def test_the_corpus_is_the_original_seventeen() -> None:
    assert len(IDS) == 17
    assert "kraft_controller_ha_check" in IDS and ZOOKEEPER_ONLY <= set(IDS)


def test_every_file_validates_unchanged() -> None:
    result = CliRunner().invoke(main, ["tasks", "validate", str(COMPAT)])
    assert result.exit_code == 0, result.output
    assert "17 valid task(s), 0 problem(s)" in result.output


def test_their_fields_mean_what_they_meant() -> None:
    catalog = load_catalog(COMPAT)
    assert not catalog.errors
    heap = catalog.get("zookeeper_heap_memory")
    assert heap is not None
    assert heap.include_data == ("system:processes.txt",)
    assert chosen_artifacts(heap, "system") == {"processes", "process_cmdline"}  # not every system file
    assert [m.value for m in heap.cluster_type_filter] == ["zookeeper"]
    assert heap.severity_keywords is not None
    assert heap.severity_keywords["exceeds the recommended"].value == "medium"
    ratio = catalog.get("jvm_heap_memory_ratio")
    assert ratio is not None and ratio.severity.value == "medium"  # default_severity: warning
    assert ratio.severity_keywords is not None and ratio.severity_keywords["exceeding 25%"].value == "medium"
    logs = catalog.get("recent_log_errors")
    assert logs is not None and effective_scope(logs) is Scope.BROKER  # per_broker_analysis: true
    assert logs.max_tokens_per_request == 80000


def _original_answer(request: dict[str, Any]) -> Any:
    """Answers as the original's prompts ask for them: info when all is well, else a warning,
    one with no severity at all (the task's severity_keywords decide)."""
    text = user_texts([request])[0]
    if "Analyze Kafka broker JVM heap memory usage relative to total system memory" in text:
        item = {"type": "jvm_heap_memory_ratio_check", "severity": "warning",
                "description": "WARNING: 1 out of 3 brokers have JVM heap memory exceeding 25% of total system RAM.",
                "brokers_analyzed": [{"broker_id": "broker-1", "exceeds_limit": True}],
                "recommendation": "Reduce heap sizes."}
    elif HEAP_PROMPT in text:
        item = {"type": "zookeeper_heap_memory_check",
                "description": "Zookeeper JVM heap memory is set to 4GB, which exceeds the recommended 2GB maximum.",
                "recommendation": "Set -Xmx2G."}
    else:
        item = {"type": "check", "severity": "info", "description": "Configuration is optimal.",
                "recommendation": "None."}
    return ok(json.dumps({"findings": [item]}))


@pytest.fixture(scope="module")
def zookeeper_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialize(cluster_spec(mode="zookeeper"), tmp_path_factory.mktemp("zk") / "snapshot")


@pytest.fixture(scope="module")
def kraft_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialize(cluster_spec(), tmp_path_factory.mktemp("kraft") / "snapshot")


def _run(snapshot: Path, fake: FakeOpenAI, tmp_path: Path) -> dict[str, Any]:
    args = [str(snapshot), "--tasks-dir", str(COMPAT), "--tasks", ",".join(IDS), "--model", "openai/test",
            "--api-base", fake.url, "--no-cache", "-r", "json", "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(analyse_main, args)
    assert result.exit_code in (0, 1), result.output
    return json.loads((tmp_path / "out" / "kafkapilot-report.json").read_text())


def test_the_seventeen_run_on_a_zookeeper_cluster(fake: FakeOpenAI, zookeeper_snapshot: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    fake.responder = _original_answer
    report = _run(zookeeper_snapshot, fake, tmp_path)
    by_id = {f["task_id"]: f for f in report["findings"]}
    assert set(by_id) == set(IDS)
    assert {f["source"] for f in by_id.values()} == {"llm"}  # the files' prompts, not the built-in checks
    # the cluster_type_filter: the KRaft task is not applicable, no call was made for it
    assert by_id["kraft_controller_ha_check"]["status"] == "skipped"
    assert not any("KRaft controller" in t and "kraft_controller" in t for t in user_texts(fake.requests))
    # a stated "warning" is medium; a missing severity comes from the keywords in the description
    ratio, heap = by_id["jvm_heap_memory_ratio"], by_id["zookeeper_heap_memory"]
    assert (ratio["status"], ratio["severity"]) == ("fail", "medium")
    assert (heap["status"], heap["severity"]) == ("fail", "medium")
    assert "exceeds the recommended 2GB" in heap["summary"]
    # the original's "info" answers are its "all is well": they pass
    assert by_id["rack_awareness"]["status"] == "pass"
    # include_data: [system:processes.txt] sends the process list and no other system file
    [heap_request] = [t for t in user_texts(fake.requests) if HEAP_PROMPT in t]
    data = heap_request.split('<data kind="system">', 1)[1].split("</data>", 1)[0]
    assert "org.apache.zookeeper.server.quorum.QuorumPeerMain" in data and "-Xmx" in data  # the JVMs' command lines
    assert "process_cmdline" in data and "MemTotal" not in data and "meminfo" not in data
    # per_broker_analysis: one call per broker for recent_log_errors, each with that broker's data only
    log_calls = [t for t in user_texts(fake.requests) if LOGS_PROMPT in t]
    assert len(log_calls) == 3


def test_on_kraft_the_zookeeper_tasks_are_not_applicable(fake: FakeOpenAI, kraft_snapshot: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    fake.responder = lambda _request: ok(answer())
    by_id = {f["task_id"]: f for f in _run(kraft_snapshot, fake, tmp_path)["findings"]}
    assert {by_id[i]["status"] for i in ZOOKEEPER_ONLY} == {"skipped"}
    assert by_id["kraft_controller_ha_check"]["status"] == "pass"
    assert not any(HEAP_PROMPT in t for t in user_texts(fake.requests))
