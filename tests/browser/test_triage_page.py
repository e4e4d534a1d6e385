"""The triage page in headless Chromium at 1400 and 400 px: no horizontal overflow, every finding reachable, the
table filtered and sorted by the page's own script (allowed by its CSP hash), the page far shorter than the old one.

Headless Chromium will not make a window narrower than 500 px, so the page is measured inside an iframe of the
wanted width (a harness page, in the test's temporary directory, reads the report's DOM through
--allow-file-access-from-files). The report itself is the unmodified page, with its Content-Security-Policy.
Screenshots are written under the test's temporary directory (their paths printed; -s shows them), and copied
to KAFKAPILOT_SCREENSHOTS when that is set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest

from kafkapilot.cli import _example_dir
from kafkapilot.findings import Report, Status
from kafkapilot.report.outline import outline
from kafkapilot.report.render_html import render_html
from tests.browser.png import PNG_SIGNATURE, read_png

pytestmark = pytest.mark.browser

CHROMIUM: Final = shutil.which("chromium") or "/usr/bin/chromium"
WIDTHS: Final = (1400, 400)
FLAGS: Final = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--allow-file-access-from-files", "--virtual-time-budget=5000")
OLD_EXAMPLE_HEIGHT: Final = {1400: 76_719, 400: 99_318}
"""The example's page height before the triage page (main at 2026-12-02, measured the same way)."""

HARNESS: Final = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="page" src="REPORT" style="border:0;width:WIDTHpx;height:HEIGHTpx"></iframe>
<script>
document.getElementById("page").addEventListener("load", function () {
  var win = document.getElementById("page").contentWindow, doc = win.document, root = doc.documentElement;
  var rows = function () { return Array.prototype.slice.call(doc.querySelectorAll("#findings-table tbody tr")); };
  var visible = function () { return rows().filter(function (r) { return !r.hidden; }).length; };
  var out = {height: root.scrollHeight, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
             js: root.classList.contains("js"), rows: rows().length,
             filterShown: !doc.getElementById("findings-filter").hidden,
             openedByHash: Array.prototype.slice.call(doc.querySelectorAll("details[open]")).map(function (d) {
               var h = d.querySelector("h3"); return h ? h.id : d.className; })};
  var severity = doc.getElementById("filter-severity");
  severity.value = "critical"; severity.dispatchEvent(new win.Event("input"));
  out.criticalShown = visible();
  severity.value = ""; severity.dispatchEvent(new win.Event("input"));
  var text = doc.getElementById("filter-text");
  text.value = "KAFKA-2"; text.dispatchEvent(new win.Event("input"));
  out.kafka2Shown = visible();
  text.value = ""; text.dispatchEvent(new win.Event("input"));
  doc.querySelector("th.col-title button").click();
  out.sortedTitles = rows().map(function (r) { return r.cells[1].textContent; });
  out.ariaSort = doc.querySelector("th.col-title").getAttribute("aria-sort");
  document.body.setAttribute("data-result", JSON.stringify(out));
});
</script></body></html>
"""


def _chromium(tmp_path: Path, *args: str) -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip("headless Chromium is not installed (Debian package: chromium)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def _example_report() -> Report:
    from kafkapilot.analysis import Selection, analyse  # noqa: PLC0415
    from kafkapilot.catalog.load import default_tasks_dir, load_catalog  # noqa: PLC0415
    from kafkapilot.engine import EngineOptions  # noqa: PLC0415

    return analyse(_example_dir(), load_catalog(default_tasks_dir()), Selection(), EngineOptions())


@pytest.fixture(name="example", scope="module")
def _example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Report, Path]]:
    report = _example_report()
    path = tmp_path_factory.mktemp("example") / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    yield report, path


def _measure(tmp_path: Path, page: Path, width: int, fragment: str = "", height: int = 900) -> dict[str, Any]:
    harness = tmp_path / f"harness-{width}.html"
    target = page.name + (f"#{fragment}" if fragment else "")
    harness.write_text(HARNESS.replace("REPORT", target).replace("WIDTH", str(width)).replace("HEIGHT", str(height)),
                       encoding="utf-8")
    if harness.parent != page.parent:  # the harness names the page relatively
        shutil.copy(page, harness.parent / page.name)
    dom = _chromium(tmp_path, f"--window-size={max(width, 500) + 100},{height}", "--dump-dom", harness.as_uri())
    found = re.search(r'data-result="([^"]*)"', dom)
    assert found, "the harness did not run"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                      .replace("&gt;", ">"))


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_overflow_and_far_shorter_than_before(tmp_path: Path, example: tuple[Report, Path],
                                                            width: int) -> None:
    report, page = example
    result = _measure(tmp_path, page, width)
    print(f"example page at {width} px: {result['height']} px tall (before: {OLD_EXAMPLE_HEIGHT[width]} px)")
    assert result["clientWidth"] == width
    assert result["scrollWidth"] <= result["clientWidth"], "the page scrolls sideways"
    assert result["height"] < OLD_EXAMPLE_HEIGHT[width] / 3
    failed = [f for f in report.findings if f.status is Status.FAIL]
    assert result["js"] and result["filterShown"], "the page's script did not run under its own CSP"
    assert result["rows"] == len(failed) + sum(f.status is Status.ERROR for f in report.findings)


def test_the_script_filters_and_sorts_the_table(tmp_path: Path, example: tuple[Report, Path]) -> None:
    report, page = example
    result = _measure(tmp_path, page, 1400)
    failed = [f for f in report.findings if f.status is Status.FAIL]
    assert result["criticalShown"] == sum(f.severity.value == "critical" for f in failed) == 4
    assert result["kafka2Shown"] == sum("kafka-2" in f.hosts for f in failed) >= 1
    titles = result["sortedTitles"]
    assert titles == sorted(titles, key=str.casefold)
    assert titles != [f.title for f in failed]  # it did reorder
    assert result["ariaSort"] == "ascending"


def test_a_link_to_a_finding_opens_it(tmp_path: Path, example: tuple[Report, Path]) -> None:
    report, page = example
    plan = outline(report)
    anchor = next(s.anchor for s in plan.sections if s.kind == "finding" and s.severity and s.severity.value == "low")
    result = _measure(tmp_path, page, 400, fragment=anchor)
    assert result["openedByHash"] == [anchor]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_finding_is_reachable_in_the_dom(tmp_path: Path, example: tuple[Report, Path], width: int) -> None:
    report, page = example
    dom = _chromium(tmp_path, f"--window-size={max(width, 500)},900", "--dump-dom", page.as_uri())
    assert dom.count("<script>") == 1 and '<html lang="en" class="js">' in dom  # it ran, allowed by its hash
    plan = outline(report)
    ids = set(re.findall(r' id="([^"]+)"', dom))
    links = set(re.findall(r' href="#([^"]+)"', dom))
    for finding in report.findings:
        anchor = plan.link(finding)
        assert anchor in ids, finding.task_id
        if finding.status is Status.FAIL:
            assert f'id="{anchor}"' in dom and anchor in links, finding.task_id  # in the table, and its details
    assert links <= ids


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_are_real_pictures(tmp_path: Path, example: tuple[Report, Path], width: int) -> None:
    _, page = example
    harness = tmp_path / "shot.html"
    shutil.copy(page, tmp_path / page.name)
    harness.write_text(f'<!DOCTYPE html><body style="margin:0"><iframe src="{page.name}" style="border:0;'
                       f'width:{width}px;height:2400px"></iframe></body>', encoding="utf-8")
    png = tmp_path / f"triage-{width}.png"
    _chromium(tmp_path, f"--screenshot={png}", f"--window-size={max(width, 500)},2400", harness.as_uri())
    print(f"screenshot: {png}")
    keep = os.environ.get("KAFKAPILOT_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / png.name)
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    image = read_png(data)
    assert len(image.colours(step=3)) > 50, "the page looks blank"
