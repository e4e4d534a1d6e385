"""The style and the one script of the HTML report's page: a self-contained document that fetches nothing.

The script only filters and sorts the findings table and opens the finding a link points at; the page reads the
same without it. The Content-Security-Policy allows that script alone, by its SHA-256 hash, and no other.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Final

from kafkapilot.report.labels import SEVERITY_COLOURS
from kafkapilot.severity import SEVERITIES

__all__ = ["CONTENT_SECURITY_POLICY", "PAGE_CSS", "PAGE_SCRIPT", "content_security_policy", "script_hash"]

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)
"""Nothing may be fetched and nothing may run, whatever text ends up in the page (a page without a script)."""

PAGE_SCRIPT: Final = """
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? doc.getElementById(id) : null;
    if (!target) { return; }
    var next = target.nextElementSibling;
    var box = target.closest("details") || (next && next.tagName === "DETAILS" ? next : null);
    if (box) { box.open = true; }
  }
  addEventListener("hashchange", openTarget);
  openTarget();
  var table = doc.getElementById("findings-table");
  var controls = doc.getElementById("findings-filter");
  if (!table || !controls) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = doc.getElementById("filter-text");
  var severity = doc.getElementById("filter-severity");
  var status = doc.getElementById("filter-status");
  var count = doc.getElementById("filter-count");
  controls.hidden = false;
  function apply() {
    var words = text.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var hay = row.textContent.toLowerCase();
      var keep = (!severity.value || row.dataset.severity === severity.value) &&
        (!status.value || row.dataset.status === status.value) &&
        words.every(function (word) { return hay.indexOf(word) >= 0; });
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " shown";
  }
  [text, severity, status].forEach(function (input) { input.addEventListener("input", apply); });
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (head, column) {
    var button = head.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = head.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
      head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-sort") || a.cells[column].textContent;
        var y = b.cells[column].getAttribute("data-sort") || b.cells[column].textContent;
        var order = x.localeCompare(y, undefined, {numeric: true}) || (a.dataset.order - b.dataset.order);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
}());
"""
"""Filters and sorts the findings table, opens the finding a link points at. Only its hash is allowed to run."""


def script_hash(script: str) -> str:
    """The CSP source that allows exactly ``script`` (the text between ``<script>`` and ``</script>``)."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def content_security_policy(script: str) -> str:
    """The page's policy: nothing fetched, only ``script`` may run (by its hash), whatever text the page holds."""
    return (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {script_hash(script)}; "
            "base-uri 'none'; form-action 'none'")

_SEVERITY_CSS: Final = "\n".join(f".sev-{s.value} {{ --sev: {SEVERITY_COLOURS[s]}; }}" for s in SEVERITIES)

PAGE_CSS: Final = (
    """
:root { color-scheme: light; --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --head: #f3f4f6;
  --page: #f8fafc; --link: #1d4ed8; --good: #15803d; --fair: #a16207; --poor: #b91c1c; --sev: var(--fg); }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; background: #fff; }
@media (min-width: 48rem) {
  main { margin: 1.5rem auto; padding: 2rem 2.5rem; border: 1px solid var(--line); border-radius: 10px; }
}
h1 { font-size: 1.55rem; line-height: 1.25; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h1 + p { color: var(--muted); margin-top: 0; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 .75rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.08rem; margin: 1.75rem 0 .5rem; overflow-wrap: anywhere; }
h2.sev { color: var(--sev); border-bottom-color: var(--sev); }
h3.sev { border-left: 5px solid var(--sev); padding: .15rem 0 .15rem .6rem; }
p, li { overflow-wrap: anywhere; }
ul { padding-left: 1.4rem; }
li + li { margin-top: .15rem; }
a { color: var(--link); }
code { font: .88em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--head);
  padding: .1em .3em; border-radius: 4px; overflow-wrap: anywhere; }
table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin: .75rem 0;
  font-size: .92rem; -webkit-overflow-scrolling: touch; }
th, td { border: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--head); white-space: nowrap; }
td { min-width: 8.5rem; max-width: 24rem; overflow-wrap: break-word; }
td:first-child { min-width: 0; white-space: nowrap; }
.scorecard { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem 2.5rem; margin: 1rem 0;
  padding: 1rem 1.25rem; border: 1px solid var(--line); border-radius: 10px; }
.score { margin: 0; line-height: 1.1; }
.score strong { display: block; font-size: 2.75rem; }
.score span { color: var(--muted); }
.score-good strong { color: var(--good); }
.score-fair strong { color: var(--fair); }
.score-poor strong { color: var(--poor); }
.chart { width: 100%; max-width: 24rem; height: auto; fill: var(--fg); }
.omitted { color: var(--muted); font-style: italic; }
.contents { columns: 12rem; }
@media (max-width: 36rem) { .contents { padding: 0; } .contents li { display: inline; margin-right: .75rem; } }
.badge { display: inline-block; padding: 0 .45em; border-radius: 4px; color: #fff; background: var(--sev);
  font-size: .82em; font-weight: 600; line-height: 1.5; white-space: nowrap; }
table.findings { display: table; width: 100%; }
table.findings td { min-width: 0; max-width: none; }
table.findings td:first-child { white-space: nowrap; }
table.findings tr[hidden] { display: none; }
th button { all: unset; cursor: pointer; }
html.js th button::after { content: " \\2195"; color: var(--muted); }
html.js th[aria-sort="ascending"] button::after { content: " \\25B2"; }
html.js th[aria-sort="descending"] button::after { content: " \\25BC"; }
@media (max-width: 36rem) {
  table.findings, table.findings tbody, table.findings tr { display: block; }
  table.findings thead, table.findings .col-category { display: none; }
  table.findings tr { border-bottom: 1px solid var(--line); padding: .45rem 0; }
  table.findings td { display: inline; border: 0; padding: 0 .4rem 0 0; }
  table.findings td.col-title { display: block; padding: .15rem 0; }
  table.findings td.col-hosts, table.findings td.col-status { color: var(--muted); }
}
.filter { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: .5rem 0; }
.filter[hidden] { display: none; }
.filter input, .filter select { font: inherit; padding: .2rem .4rem; max-width: 100%; }
.filter input { width: 14rem; }
details.finding, details.host, details.more { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0;
  padding: .3rem .75rem; }
details.finding { border-left: 5px solid var(--sev); }
details > summary { cursor: pointer; overflow-wrap: anywhere; }
details.finding > summary h3 { display: inline; margin: 0; padding: 0; border: 0; font-size: 1.02rem; }
details[open] > summary { margin-bottom: .5rem; }
.muted { color: var(--muted); }
@media print { body { background: #fff; } main { border: 0; margin: 0; max-width: none; } }
"""
    + _SEVERITY_CSS
    + "\n"
)
