"""Checks over typed facts: fact paths validated at load, vars:, compiled expressions cached on disk."""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest

from kafkapilot import expression_cache
from kafkapilot.analysis import Selection, analyse
from kafkapilot.catalog.load import load_catalog, load_task_file
from kafkapilot.engine import EngineOptions
from kafkapilot.expressions import ExpressionError, evaluate, render
from kafkapilot.facts import build_facts
from kafkapilot.findings import Status
from kafkapilot.snapshot.load import load_snapshot
from kafkapilot.snapshot.write import materialize
from tests.factory.fixtures import build_fixture, fixture_spec

TASK = """\
id: {id}
name: A test check
category: configuration
severity: low
applies_to: {scope}
requires: {requires}
check:
{check}
remediation: fix it
"""


def _task(tmp_path: Path, check: str, *, task_id: str = "test_check", scope: str = "broker",
          requires: str = "[node.config]") -> Path:
    path = tmp_path / "tasks" / f"{task_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TASK.format(id=task_id, scope=scope, requires=requires, check=textwrap.indent(check, "  ")))
    return path


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialize(fixture_spec({"base": "kraft3"}), tmp_path_factory.mktemp("s") / "snapshot")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(expression_cache.CACHE_DIR_ENV, str(tmp_path / "cache"))


def test_an_unknown_fact_in_requires_is_a_load_error_with_its_line(tmp_path: Path) -> None:
    path = _task(tmp_path, "fail_when: true\nmessage: m", requires="[node.config, node.jvm.xmx]")
    task, error = load_task_file(path)
    assert task is None
    assert error == f"{path}:6: requires.1: unknown fact node.jvm.xmx (Jvm has no field 'xmx'; see docs/facts.md)"


def test_a_scope_variable_the_scope_does_not_have_is_a_load_error(tmp_path: Path) -> None:
    _, error = load_task_file(_task(tmp_path, "fail_when: true\nmessage: m", scope="cluster", requires="[node.config]"))
    assert error is not None
    assert error.endswith("requires.0: node is not a variable of this scope (it has: cluster)")


def test_an_unknown_fact_read_by_an_expression_or_template_is_a_load_error_with_its_line(tmp_path: Path) -> None:
    check = "fail_when: node.jvm.xmx_bytes > 1\nmessage: '{{ node.lable }} is big'"
    path = _task(tmp_path, check)
    _, error = load_task_file(path)
    assert error == (f"{path}:9: check.message: unknown fact node.lable "
                     "(KafkaNode has no field 'lable'; see docs/facts.md)")


def test_keys_of_dict_facts_and_loop_variables_are_not_taken_for_facts(tmp_path: Path) -> None:
    check = (
        "fail_when: node.config['anything.at.all'] is defined and node.logs.patterns.oom > 0\n"
        "message: '{% for node in cluster.nodes %}{{ node.whatever }}{% endfor %}'"
    )
    task, error = load_task_file(_task(tmp_path, check))
    assert error is None and task is not None


def test_an_expression_that_does_not_compile_is_a_load_error(tmp_path: Path) -> None:
    path = _task(tmp_path, "fail_when: node.pid >\nmessage: m")
    _, error = load_task_file(path)
    assert error == f"{path}:8: check.fail_when: cannot compile 'node.pid >': unexpected 'end of template'"


def test_vars_are_evaluated_once_per_subject_or_per_item(tmp_path: Path, snapshot: Path) -> None:
    check = """\
vars:
  io: node.config['num.io.threads'] | int
  doubled: setting.factor * io
for_each: "[{'name': 'one', 'factor': 1}, {'name': 'two', 'factor': 2}]"
as: setting
fail_when: doubled > 8
message: "{{ node.label }}: {{ setting.name }} gives {{ doubled }} from {{ io }}"
"""
    path = _task(tmp_path, check)
    catalog = load_catalog(path.parent)
    assert catalog.errors == ()
    (finding,) = analyse(snapshot, catalog, Selection(task_ids=("test_check",)), EngineOptions()).findings
    assert finding.status is Status.FAIL
    assert [e.message for e in finding.evidence] == [f"kafka-{i}: two gives 16 from 8" for i in (1, 2, 3)]


def test_a_var_may_not_shadow_a_scope_variable(tmp_path: Path) -> None:
    _, error = load_task_file(_task(tmp_path, "vars:\n  node: 1\nfail_when: true\nmessage: m"))
    assert error is not None
    assert "vars: 'node' must be a new variable name" in error


def test_compiled_expressions_are_kept_on_disk_and_reused(tmp_path: Path) -> None:
    path = _task(tmp_path, "fail_when: node.pid > 1000000\nmessage: '{{ node.label }}'", task_id="cached_check")
    task, error = load_task_file(path)
    assert error is None and task is not None
    (stored,) = (tmp_path / "cache" / "expressions").glob("*.bin")
    bundle = expression_cache.read_bundle(stored.stem)
    assert bundle is not None
    assert set(bundle["codes"]) == {("expression", "node.pid > 1000000"), ("template", "{{ node.label }}")}
    path.write_text(path.read_text().replace("1000000", "1000001"))  # another content: another file
    load_task_file(path)
    assert len(list((tmp_path / "cache" / "expressions").glob("*.bin"))) == 2


def test_a_corrupt_or_read_only_cache_never_breaks_a_run(tmp_path: Path, snapshot: Path) -> None:
    path = _task(tmp_path, "fail_when: node.pid == 812\nmessage: '{{ node.label }} runs'", task_id="robust_check")
    load_task_file(path)
    (stored,) = (tmp_path / "cache" / "expressions").glob("*.bin")
    stored.write_bytes(b"\x00 not marshal")
    directory = tmp_path / "cache" / "expressions"
    directory.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        catalog = load_catalog(path.parent)
        (finding,) = analyse(snapshot, catalog, Selection(task_ids=("robust_check",)), EngineOptions()).findings
    finally:
        directory.chmod(stat.S_IRWXU)
    assert catalog.errors == ()
    assert finding.status is Status.FAIL
    assert os.environ[expression_cache.CACHE_DIR_ENV] == str(tmp_path / "cache")


def test_models_read_as_attributes_keys_and_get_but_reach_only_facts(snapshot: Path) -> None:
    facts = build_facts(load_snapshot(snapshot))
    node = facts.nodes[0]
    variables = {"node": node, "cluster": facts.cluster}
    assert evaluate("node.jvm.xmx_bytes == node['jvm']['xmx_bytes'] == node.get('jvm').xmx_bytes", variables) is True
    assert render("{{ cluster.partitions | length }} {{ cluster.topics_by_name['orders'].partitions[1].replicas }}",
                  variables) == "71 [3, 1, 2]"
    assert evaluate("node['__class__'] is defined or node.get('__class__') is not none", variables) is False
    with pytest.raises(ExpressionError):
        render("{{ node['__class__'].__name__ }}", variables)
    assert node.get("__class__") is None
    assert sorted(node.keys()) == sorted(f.name for f in node.__dataclass_fields__.values())


def test_the_items_of_partition_sizes_larger_than_are_partition_subjects(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "tasks" / "huge_partition" / "fires.yaml"
    snapshot = build_fixture(fixture, tmp_path / "snapshot")
    catalog = load_catalog(Path(__file__).resolve().parents[2] / "analysis_tasks")
    (finding,) = analyse(snapshot, catalog, Selection(task_ids=("huge_partition",)), EngineOptions()).findings
    assert finding.status is Status.FAIL
    assert {(e.subject.kind.value, e.subject.topic) for e in finding.evidence} == {("partition", "orders")}


def test_the_facts_a_prompt_task_shows_are_checked_like_requires(tmp_path: Path) -> None:
    path = tmp_path / "root.yaml"
    path.write_text("id: root\nname: Root cause\nprompt: 'look {facts}'\ninclude_data: [facts]\n"
                    "facts: [node.logs, host.df, node.jvm.xmx]\n")
    task, error = load_task_file(path)
    assert task is None
    assert error == f"{path}:5: facts.2: unknown fact node.jvm.xmx (Jvm has no field 'xmx'; see docs/facts.md)"
    path.write_text(path.read_text().replace("node.jvm.xmx]", "node.jvm.xmx_bytes, cluster.partition_count]"))
    task, error = load_task_file(path)
    assert error is None and task is not None and task.facts[-1] == "cluster.partition_count"
