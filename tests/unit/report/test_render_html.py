"""The HTML report: one safe, self-contained page."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser

import pytest

from kafkapilot.findings import Evidence, NotEvaluated, Severity, Status, Subject, SubjectKind
from kafkapilot.report.html_page import PAGE_SCRIPT, script_hash
from kafkapilot.report.render_html import render_html
from kafkapilot.report.render_markdown import render_markdown
from tests.unit.report.sample import SCRIPT, finding, make_report, sample_report


class _Page(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def named(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


@pytest.fixture(name="page")
def _page() -> str:
    return render_html(sample_report())


def test_phone_friendly_head(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n")
    metas = _parse(page).named("meta")
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas
    assert {"charset": "utf-8"} in metas
    assert "<title>KafkaPilot report — prod-east</title>" in page


def test_chart_counts_failed_findings_per_severity() -> None:
    report = make_report(
        [finding(f"c{i}", severity=Severity.CRITICAL) for i in range(3)] + [finding("l", severity=Severity.LOW)]
    )
    page = render_html(report)
    svg = page[page.index("<svg") : page.index("</svg>")]
    bars = re.findall(r'data-severity="(\w+)" data-count="(\d+)">.*?<text class="count"[^>]*>(\d+)</text>', svg)
    assert [(name, int(a), int(b)) for name, a, b in bars] == [
        ("critical", 3, 3),
        ("high", 0, 0),
        ("medium", 0, 0),
        ("low", 1, 1),
        ("info", 0, 0),
    ]
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths == [220, 0, 0, 73, 0]  # longest bar for the largest count, the rest in proportion


def _without_own_script(page: str) -> str:
    """The page without its one script (the page's own, allowed by its hash): what text could have injected."""
    own = f"<script>{PAGE_SCRIPT}</script>"
    assert page.count(own) == 1
    return page.replace(own, "")


def test_content_cannot_inject_html(page: str) -> None:
    assert "<script" not in _without_own_script(page).lower()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "**not bold**" in page  # Markdown in finding text is shown, not interpreted
    assert all(tag not in {"script", "iframe", "object", "embed", "form"}
               for tag, _ in _parse(_without_own_script(page)).tags)


def test_nothing_is_fetched(page: str) -> None:
    parser = _parse(page)
    assert not parser.named("link")
    assert not parser.named("img")
    assert all("src" not in attrs for _, attrs in parser.tags)
    assert "url(" not in page
    assert "@import" not in page
    assert not re.search(r"""(src|srcset|data|poster)\s*=\s*["']?https?:""", page)
    csp = next(m for m in parser.named("meta") if m.get("http-equiv") == "Content-Security-Policy")
    assert (csp["content"] or "").startswith("default-src 'none'")


def test_only_references_are_links_and_every_anchor_exists(page: str) -> None:
    parser = _parse(page)
    hrefs = [attrs["href"] or "" for attrs in parser.named("a")]
    ids = {attrs["id"] for _, attrs in parser.tags if "id" in attrs}
    assert [h for h in hrefs if not h.startswith("#")] == [
        "https://kafka.apache.org/documentation/#topicconfigs_min.insync.replicas"
    ]
    assert all(h[1:] in ids for h in hrefs if h.startswith("#"))
    ids_in_order = [attrs["id"] for _, attrs in parser.tags if "id" in attrs]
    assert len(ids_in_order) == len(set(ids_in_order))


def test_severity_sections_and_findings_carry_their_colour_class(page: str) -> None:
    parser = _parse(page)
    classes = {(tag, attrs["id"]): attrs.get("class") for tag, attrs in parser.tags if tag in ("h2", "h3")}
    assert classes[("h2", "critical")] == "sev sev-critical"
    assert classes[("h3", "mininsyncreplicas--acks-mismatch")] == "sev sev-critical"
    assert classes[("h2", "low")] == "sev sev-low"
    assert classes[("h2", "errors")] is None


def test_score_card_shows_the_reports_score(page: str) -> None:
    assert '<p class="score score-poor"><strong>41</strong>' in page


def test_same_report_same_bytes() -> None:
    report = sample_report()
    shuffled = report.model_copy(update={"findings": tuple(reversed(report.findings))})
    assert render_html(report) == render_html(shuffled)


def test_finding_titles_and_unicode_survive(page: str) -> None:
    for text in ("min.insync.replicas | acks mismatch", "Broker heap below 4 GiB", "Zürich → 東京 ✓"):
        assert text in page


HOSTILE = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "</textarea></style></title><script>x</script>",
    "javascript:alert(1)",
    "<!-- comment --> <![CDATA[ x ]]> &amp; &#60;",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_anywhere_stays_text(text: str) -> None:
    """Whatever a snapshot or a model puts in any field, the page holds it as text and gains no element."""
    hostile = finding(
        text, title=text, category=text, summary=text, impact=text, remediation=text, hosts=(text,),
        references=(text, f"https://example.com/{text}"),
        evidence=(Evidence(subject=Subject(kind=SubjectKind.GROUP, group=text), host=text, artifact=text,
                           source=text, item=text, actual=text, expected=text, message=text),),
        not_evaluated=(NotEvaluated(subject=Subject(kind=SubjectKind.HOST, host=text), reason=text),),
    )
    skipped = finding("s", Status.SKIPPED, summary=text, title=text)
    report = make_report([hostile, skipped], errors=(text,))
    report = report.model_copy(update={"snapshot": report.snapshot.model_copy(update={"cluster_name": text})})
    page = render_html(report)
    plain = render_html(make_report([finding("a"), finding("s", Status.SKIPPED)]))
    assert sorted({tag for tag, _ in _parse(page).tags}) == sorted({tag for tag, _ in _parse(plain).tags})
    assert "<script" not in _without_own_script(page).lower()
    assert all(not name.startswith("on") for _, attrs in _parse(page).tags for name in attrs)
    assert text in unescape(page)
    hrefs = [attrs["href"] or "" for attrs in _parse(page).named("a")]
    external = [h for h in hrefs if not h.startswith("#")]
    assert set(external) <= {f"https://example.com/{text}"}  # the reference that is a web address, and only it
    assert text not in external  # javascript: and anything else is never a link


def test_not_evaluated_subjects_and_left_out_evidence_are_shown(page: str) -> None:
    assert "kafka-3: not collected: server_properties denied: &lt;script&gt;" in page
    assert '<p class="omitted">… 3 more not shown</p>' in page


def test_html_and_markdown_share_sections_and_anchors(page: str) -> None:
    """Both are rendered from the same outline: the Markdown table of contents links the HTML's headings."""
    markdown = render_markdown(sample_report())
    contents = markdown[markdown.index("## Contents"): markdown.index("## Findings")]
    markdown_anchors = re.findall(r"\]\(#([^)]+)\)", contents)
    html_headings = [attrs["id"] for tag, attrs in _parse(page).tags
                     if tag in ("h2", "h3") and attrs["id"] != "contents"]
    assert markdown_anchors == html_headings


@pytest.mark.integration
def test_rendering_html_imports_no_markdown_parser() -> None:
    code = (
        "import sys\n"
        "from tests.unit.report.sample import sample_report\n"
        "from kafkapilot.report.render_html import render_html\n"
        "render_html(sample_report())\n"
        "print('markdown_it' in sys.modules, 'kafkapilot.report.render_markdown' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.split() == ["False", "False"]


def test_the_csp_allows_the_pages_one_script_by_its_hash_and_nothing_else(page: str) -> None:
    csp = next(m for m in _parse(page).named("meta") if m.get("http-equiv") == "Content-Security-Policy")
    policy = dict(part.strip().split(" ", 1) for part in (csp["content"] or "").split(";"))
    assert policy["script-src"] == script_hash(PAGE_SCRIPT)
    assert policy["default-src"] == "'none'" and "unsafe-inline" not in policy["script-src"]
    import base64  # noqa: PLC0415
    import hashlib  # noqa: PLC0415

    body = page[page.index("<script>") + len("<script>"): page.index("</script>")]
    assert script_hash(body) == f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
    assert script_hash(body) == policy["script-src"]


def test_findings_table_comes_first_with_a_row_and_a_link_per_finding_to_look_at(page: str) -> None:
    parser = _parse(page)
    h2 = [attrs["id"] for tag, attrs in parser.tags if tag == "h2"]
    assert h2[:3] == ["contents", "findings", "by-host"]
    table = page[page.index('<table id="findings-table"'): page.index("</table>", page.index('id="findings-table"'))]
    rows = re.findall(r'<tr data-severity="(\w+)" data-status="(\w+)"', table)
    assert rows == [("critical", "fail"), ("high", "fail"), ("medium", "fail"), ("low", "fail"), ("low", "error")]
    headers = re.findall(r"<th class=\"col-\w+\"><button type=\"button\">(\w+)</button></th>", table)
    assert headers == ["Severity", "Title", "Hosts", "Category", "Status"]
    links = re.findall(r'<td class="col-title"><a href="#([^"]+)">', table)
    ids = {attrs["id"] for _, attrs in parser.tags if "id" in attrs}
    assert links[-1] == "errors" and all(link in ids for link in links)
    assert '<div id="findings-filter" class="filter" hidden>' in page  # shown by the script only


def test_each_finding_is_collapsed_in_details_under_its_heading(page: str) -> None:
    details = re.findall(
        r'<details class="finding sev-(\w+)"><summary><span class="badge">\w+</span>\n<h3 id="([^"]+)"', page)
    assert details == [("critical", "mininsyncreplicas--acks-mismatch"),
                       ("high", "broker-logs-show-repeated-isr-shrinks-scriptalertxscript"),
                       ("medium", "broker-heap-below-4-gib"), ("low", "topics-with-replication-factor-1")]
    assert "<details open" not in page


def test_by_host_lists_each_hosts_failed_findings(page: str) -> None:
    view = page[page.index('id="by-host"'): page.index('id="summary"')]
    hosts = re.findall(r"<summary><strong>([^<]+)</strong> <span class=\"muted\">([^<]+)</span>", view)
    assert hosts == [("kafka-1", "2 failed findings: 1 critical, 1 low"),
                     ("kafka-2", "2 failed findings: 1 critical, 1 medium"),
                     ("kafka-3", "1 failed finding: 1 high")]
    assert view.count('href="#mininsyncreplicas--acks-mismatch"') == 2
