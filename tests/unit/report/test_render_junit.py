"""-r junit: one testcase per task and subject, failures with the message, skips with the reason."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from kafkapilot.findings import Evidence, Status, Subject, SubjectKind
from kafkapilot.report.render_junit import render_junit
from tests.unit.report.sample import finding, make_report, sample_report


def _parse(xml: str) -> ET.Element:
    return ET.fromstring(xml)  # noqa: S314 - the renderer's own output, not untrusted input


def _cases(xml: str) -> dict[tuple[str, str], ET.Element]:
    root = _parse(xml)
    return {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}


def test_a_failed_task_is_one_failing_testcase_per_subject_with_its_message_and_severity() -> None:
    cases = _cases(render_junit(sample_report()))
    orders = cases[("kafkapilot.durability.broker.min_isr", "orders")]
    (failure,) = orders.findall("failure")
    assert failure.get("message") == "orders allows min_isr 1" and failure.get("type") == "critical"
    assert "expected: min.insync.replicas=2" in failure.text and "[kafka-1:kafka-topics.sh --describe]" in failure.text
    # the second subject of the same finding is a testcase of its own, its script text only escaped
    group = cases[("kafkapilot.durability.broker.min_isr", "billing <script>alert('x')</script>")]
    assert group.find("failure").get("message") == "unicode and <script>alert('x')</script>"


def test_a_subject_not_evaluated_is_a_skipped_testcase_with_the_reason() -> None:
    cases = _cases(render_junit(sample_report()))
    skipped = cases[("kafkapilot.durability.broker.min_isr", "kafka-3")].find("skipped")
    assert skipped.get("message").startswith("not collected: server_properties denied")


def test_passes_skips_errors_and_llm_findings_each_have_a_testcase() -> None:
    cases = _cases(render_junit(sample_report()))
    passed = cases[("kafkapilot.broker.broker.version", "Kafka versions agree")]
    assert list(passed) == []
    assert cases[("kafkapilot.broker.os.swappiness", "vm.swappiness")].find("error").get("message").startswith(
        "could not parse sysctl output")
    assert cases[("kafkapilot.broker.os.ulimit", "Open-file limit")].find("skipped").get("message") == (
        "not collected: ulimit on kafka-3 (host unreachable)")
    # an LLM finding has no subject: it is named by its hosts
    assert cases[("kafkapilot.logs.llm.log_review", "kafka-3")].find("failure").get("type") == "high"
    # evidence beyond what the report keeps is said
    assert "… and 3 more" in cases[("kafkapilot.broker.broker.heap", "kafka-2/kafka-b")].find("failure").text


def test_counts_per_suite_and_in_all_agree_with_the_testcases() -> None:
    root = _parse(render_junit(sample_report()))
    for suite in [root, *root.iter("testsuite")]:
        cases = list(suite.iter("testcase"))
        assert int(suite.get("tests")) == len(cases)
        for outcome, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            found = sum(c.find(outcome) is not None for c in cases)
            assert int(suite.get(attribute)) == found, (suite.get("name"), outcome)
    assert [s.get("name") for s in root.iter("testsuite")] == ["broker", "durability", "logs"]
    assert root.get("tests") == "10" and root.get("failures") == "5" and root.get("skipped") == "3"


def test_control_characters_from_logs_still_give_well_formed_xml() -> None:
    evidence = Evidence(subject=Subject(kind=SubjectKind.HOST, host="kafka-1"), host="kafka-1",
                        message="kafka-1 logged \x1b[31mERROR\x1b[0m and \x00")
    xml = render_junit(make_report([finding("logs.errors", evidence=(evidence,))]))
    (case,) = _parse(xml).iter("testcase")
    assert case.find("failure").get("message") == "kafka-1 logged \ufffd[31mERROR\ufffd[0m and \ufffd"


def test_same_report_same_bytes_and_status_names_are_the_models() -> None:
    assert render_junit(sample_report()) == render_junit(sample_report())
    assert {s.value for s in Status} == {"fail", "pass", "error", "skipped", "waived"}
