"""The data a prompt task sees, per placeholder, for the hosts in scope (never any other host).

{config} the node's configuration files; {system} its host's OS and process files;
{logs} a bounded sample of its log files; {metrics} its Prometheus scrape; {admin} the
cluster-wide command output; {facts} the parsed facts (kafkapilot.llm.facts_view). Which
artifact goes to which placeholder is the artifact registry's `llm` (meta/artifacts.yml).
Each piece is a Section of lines that the budget may trim: logs lose their oldest lines first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from kafkapilot import artifacts
from kafkapilot.catalog.schema import Scope, Task
from kafkapilot.facts import Facts
from kafkapilot.facts.logs import LEVELS, LogFile, classify, line_level, log_files
from kafkapilot.findings import NotEvaluated
from kafkapilot.llm.facts_view import cluster_view, fact_lines, host_view, node_view, required_view
from kafkapilot.subject_ids import CLUSTER, scope_subject
from kafkapilot.subjects import Subject, missing_requirement, subjects_for

__all__ = [
    "PLACEHOLDERS", "Section", "chosen_artifacts", "data_kinds", "effective_scope", "sample_log", "sections_for",
    "subjects_of",
]

PLACEHOLDERS: Final = ("config", "system", "logs", "admin", "metrics", "facts")
_TAIL_CONTEXT: Final = 20  # last lines of each log file always sampled
_TRACE_LINES: Final = 3  # continuation lines kept after a sampled line (stack traces)


@dataclass
class Section:
    """One block of data: its kind, the host it belongs to (None: cluster), a title, its lines."""

    kind: str
    host: str | None
    title: str
    lines: list[str]
    trim: Literal["oldest", "newest", "never"] = "newest"
    total: int = 0  # lines before the budget trimmed any
    note: str = ""  # how the lines were chosen (log sampling)

    def __post_init__(self) -> None:
        self.total = self.total or len(self.lines)

    @property
    def dropped(self) -> int:
        """Lines left out to fit the budget."""
        return self.total - len(self.lines)


def effective_scope(task: Task) -> Scope:
    """A task's scope; the original's tasks have none, and per_broker_analysis means brokers."""
    if task.applies_to is not Scope.CLUSTER:
        return task.applies_to
    return Scope.BROKER if task.per_broker_analysis else Scope.CLUSTER


def data_kinds(task: Task) -> list[str]:
    """Kinds of data the task needs: its placeholders, then include_data, in a stable order."""
    prompt = task.prompt or ""
    wanted = {k for k in PLACEHOLDERS if "{" + k + "}" in prompt} | {d.partition(":")[0] for d in task.include_data}
    return [k for k in PLACEHOLDERS if k in wanted]


def chosen_artifacts(task: Task, kind: str) -> frozenset[str] | None:
    """The artifacts of section `kind` the task asks for by the original's file names
    (`include_data: [system:processes.txt]`), or None for all of them."""
    files = [d.partition(":")[2] for d in task.include_data if d.startswith(kind + ":")]
    if not files or kind in task.include_data:
        return None
    return frozenset(name for file in files for name in artifacts.for_kcpilot_file(file))


def subjects_of(task: Task, facts: Facts) -> tuple[list[Subject], list[NotEvaluated]]:
    """(subjects the task can evaluate, [(subject, why not)] for those whose required facts are unknown).

    For a cluster-wide task the subjects are every Kafka and ZooKeeper node: their data is the
    cluster's. Hosts without a Kafka or ZooKeeper process (a bastion) are never subjects.
    """
    scope = effective_scope(task)
    if scope is Scope.CLUSTER:
        nodes = facts.nodes + facts.zookeepers
        subjects = [Subject(n["label"], n["host"],
                            {"node": n, "host": n["os"], "cluster": facts.cluster}) for n in nodes]
        cluster_paths = [p for p in task.requires if p.startswith("cluster.")]
        reason = next((r for p in cluster_paths if (r := missing_requirement(p, {"cluster": facts.cluster}))), None)
        return ([], [NotEvaluated(subject=CLUSTER, reason=reason)]) if reason else (subjects, [])
    chosen, skipped = [], []
    for subject in subjects_for(scope, facts):
        reason = next((r for p in task.requires if (r := missing_requirement(p, subject.variables))), None)
        if reason:
            skipped.append(NotEvaluated(subject=scope_subject(subject.variables), reason=reason))
        else:
            chosen.append(subject)
    return chosen, skipped


def sections_for(
    task: Task, facts: Facts, subjects: list[Subject], *, cluster_wide: bool, max_log_lines: int
) -> list[Section]:
    """All data sections of one call, for these subjects only."""
    builders = {
        "config": lambda s: _registry_sections(facts, s, "config", chosen_artifacts(task, "config")),
        "system": lambda s: _registry_sections(facts, s, "system", chosen_artifacts(task, "system")),
        "logs": lambda s: _log_sections(facts, s, max_log_lines),
        "metrics": lambda s: _registry_sections(facts, s, "metrics", chosen_artifacts(task, "metrics")),
    }
    sections: list[Section] = []
    for kind in data_kinds(task):
        if kind == "admin":
            sections += _admin_sections(facts)
        elif kind == "facts":
            sections.append(_facts_section(task, facts, subjects, cluster_wide=cluster_wide))
        else:
            sections += [section for subject in subjects for section in builders[kind](subject)]
    return sections


def _node(subject: Subject) -> dict[str, Any]:
    return subject.variables.get("node") or {}


def _registry_sections(facts: Facts, subject: Subject, kind: str, chosen: frozenset[str] | None) -> list[Section]:
    """The subject's artifacts the registry sends to placeholder `kind` (those chosen, when the task
    chose): its host's, then its node's."""
    def named(scope: Literal["host", "process"]) -> tuple[str, ...]:
        return tuple(n for n in artifacts.names(scope=scope, llm=kind) if chosen is None or n in chosen)

    return _artifact_sections(facts, subject, kind, named("host"), node_level=False) + \
        _artifact_sections(facts, subject, kind, named("process"), node_level=True)


def _artifact_sections(
    facts: Facts, subject: Subject, kind: str, names: tuple[str, ...], *, node_level: bool
) -> list[Section]:
    instance = _node(subject).get("instance") if node_level else None
    if node_level and instance is None:
        return []
    sections = []
    for name in names:
        for artifact in facts.snapshot.host_artifacts(subject.host or "", name, instance=instance):
            text = facts.snapshot.text(artifact)
            if text is not None:
                title = f"{subject.host} {name} ({artifact.key or artifact.source})"
                sections.append(Section(kind, subject.host, title, text.splitlines(), trim="newest"))
    return sections


def _admin_sections(facts: Facts) -> list[Section]:
    sections = []
    admin = set(artifacts.names(scope="cluster", llm="admin"))
    for artifact in facts.snapshot.manifest.cluster_artifacts:
        if artifact.name not in admin:
            continue
        text = facts.snapshot.text(artifact)
        if text is not None:
            sections.append(Section("admin", None, f"{artifact.name} ({artifact.source})", text.splitlines()))
    return sections


def _facts_section(task: Task, facts: Facts, subjects: list[Subject], *, cluster_wide: bool) -> Section:
    lines = []
    if task.requires and all(p.startswith("cluster.") for p in task.requires):
        lines += fact_lines("cluster", required_view(task.requires, {"cluster": facts.cluster}))
        return Section("facts", None, "facts", lines, trim="never")
    lines += fact_lines("cluster", cluster_view(facts.cluster, brief=not cluster_wide))
    shown = tuple(p for p in task.facts if not p.startswith("cluster.")) or task.requires
    for subject in subjects:
        if shown:
            view = required_view(shown, subject.variables)
        else:
            view = node_view(_node(subject)) if _node(subject) else host_view(subject.variables.get("host") or {})
        lines += fact_lines(subject.label, view)
    return Section("facts", None, "facts", lines, trim="never")


def _log_sections(facts: Facts, subject: Subject, max_lines: int) -> list[Section]:
    node = _node(subject)
    files = list(log_files(facts.snapshot, subject.host or "", node.get("instance") or ""))
    per_file = max(1, max_lines // max(1, len(files)))
    sections = []
    for log in files:
        kept = sample_log(log, per_file)
        note = (
            f"{len(kept)} of {len(log.lines)} lines (WARN and above, known error patterns, stack traces, "
            f"the last {_TAIL_CONTEXT} lines{'; the file was truncated by the collection' if log.truncated else ''})"
        )
        sections.append(Section("logs", subject.host, f"{subject.host} log {log.path}: {note}", kept, trim="oldest",
                                note=note))
    return sections


def sample_log(log: LogFile, limit: int) -> list[str]:
    """The lines worth reading, in order: WARN/ERROR/FATAL and known patterns with their stack
    trace, and the last lines for context; at most `limit`, the newest kept."""
    keep: set[int] = set(range(max(0, len(log.lines) - _TAIL_CONTEXT), len(log.lines)))
    follow = 0
    for index, line in enumerate(log.lines):
        stamp, level = line_level(line)
        if level in LEVELS or classify(line):
            keep.add(index)
            follow = _TRACE_LINES
        elif stamp is None and follow:
            keep.add(index)
            follow -= 1
        else:
            follow = 0
    return [log.lines[i] for i in sorted(keep)][-limit:]
