"""A small factory of Reports for renderer tests: every status, every awkward character."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from kafkapilot.findings import (
    Evidence,
    Finding,
    NotEvaluated,
    Report,
    Severity,
    SnapshotInfo,
    Status,
    Subject,
    SubjectKind,
    TaskRun,
    summarize,
)

__all__ = ["SCRIPT", "finding", "make_report", "sample_findings", "sample_report"]

SCRIPT: Final = "<script>alert('x')</script>"


def finding(
    task_id: str, status: Status = Status.FAIL, severity: Severity = Severity.MEDIUM, **fields: object
) -> Finding:
    """Return a finding with plausible defaults; ``fields`` override any of them."""
    values: dict[str, object] = {
        "title": f"Title of {task_id}",
        "category": "broker",
        "summary": f"Summary of {task_id}.",
    }
    values.update(fields)
    return Finding(task_id=task_id, status=status, severity=severity, **values)  # type: ignore[arg-type]


def sample_findings() -> tuple[Finding, ...]:
    """Failed findings of four severities (one from an LLM), a pass, an error and two skips, deliberately unsorted."""
    return (
        finding("topic.rf_one", severity=Severity.LOW, title="Topics with replication factor 1", hosts=("kafka-1",)),
        finding(
            "broker.min_isr",
            severity=Severity.CRITICAL,
            title="min.insync.replicas | acks mismatch",
            category="durability",
            hosts=("kafka-1", "kafka-2"),
            summary="Topic orders accepts writes with a single in-sync replica.\nData is lost when that broker dies.",
            evidence=(
                Evidence(
                    subject=Subject(kind=SubjectKind.TOPIC, topic="orders"),
                    host="kafka-1",
                    artifact="topic_describe",
                    source="kafka-topics.sh --describe",
                    item="orders | payments",
                    actual="min.insync.replicas=1\nacks=1",
                    expected="min.insync.replicas=2",
                    message="orders allows min_isr 1",
                ),
                Evidence(
                    subject=Subject(kind=SubjectKind.GROUP, group=f"billing {SCRIPT}"),
                    host=None,
                    item="Zürich → 東京 ✓",
                    actual=SCRIPT,
                    expected="*bold* _em_ [link](http://evil.example)",
                    message=f"unicode and {SCRIPT}",
                ),
            ),
            not_evaluated=(
                NotEvaluated(
                    subject=Subject(kind=SubjectKind.NODE, host="kafka-3", node_id=3),
                    reason=f"not collected: server_properties denied: {SCRIPT}",
                ),
            ),
            impact="Acknowledged writes can be lost.",
            remediation="1. Set min.insync.replicas=2 on the topic.\n2. Use acks=all in producers.\n\n# not a heading",
            references=("https://kafka.apache.org/documentation/#topicconfigs_min.insync.replicas", "KIP-101"),
        ),
        finding(
            "llm.log_review",
            severity=Severity.HIGH,
            title=f"Broker logs show repeated ISR shrinks {SCRIPT}",
            category="logs",
            hosts=("kafka-3",),
            summary=f"The model says: {SCRIPT} **not bold**",
            remediation=f"Check the network. {SCRIPT}",
            source="llm",
            model="ollama/llama3.1:8b",
        ),
        finding(
            "broker.heap",
            severity=Severity.MEDIUM,
            title="Broker heap below 4 GiB",
            hosts=("kafka-2",),
            evidence=(
                Evidence(
                    subject=Subject(kind=SubjectKind.NODE, host="kafka-2", instance="kafka-b", node_id=2),
                    host="kafka-2",
                    actual="1 GiB",
                    expected=">= 4 GiB",
                    message="kafka-2/kafka-b runs with a 1 GiB heap",
                ),
            ),
            evidence_omitted=3,
        ),
        finding("broker.version", status=Status.PASS, severity=Severity.INFO, title="Kafka versions agree"),
        finding("os.swappiness", Status.ERROR, Severity.LOW, title="vm.swappiness",
                summary="could not parse sysctl output: unexpected token '|'"),
        finding("llm.config_review", Status.SKIPPED, Severity.MEDIUM, title="Configuration review",
                summary="needs an LLM: run with --model …", source="llm"),
        finding("os.ulimit", Status.SKIPPED, Severity.HIGH, title="Open-file limit",
                summary="not collected: ulimit on kafka-3 (host unreachable)"),
    )


def make_report(findings: Iterable[Finding], *, errors: tuple[str, ...] = ()) -> Report:
    """Wrap findings in a Report whose summary is counted the way the analyser counts it."""
    findings = tuple(findings)
    return Report(
        kafkapilot_version="0.1.0",
        generated_at="2026-11-26T13:45:00Z",
        snapshot=SnapshotInfo(
            path="/var/tmp/kafka-snapshot-20261126T133000Z",
            format_version="1.0",
            collected_at="2026-11-26T13:30:00Z",
            cluster_name="prod-east",
            cluster_mode="kraft",
            kafka_versions=("3.7.0",),
            hosts=("kafka-1", "kafka-2", "kafka-3", "ctl-1"),
            unreachable_hosts=("kafka-3",),
            broker_count=3,
            controller_count=1,
        ),
        summary=summarize(findings),
        findings=findings,
        task_runs=tuple(TaskRun(task_id=f.task_id, duration_s=0.25) for f in reversed(findings)),
        errors=errors,
    )


def sample_report() -> Report:
    """Return the sample findings in a Report with one task-loading error."""
    return make_report(sample_findings(), errors=(f"tasks/bad.yaml: unknown key 'whn' {SCRIPT}",))
