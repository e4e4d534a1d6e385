"""The style of the HTML report's page: one self-contained document with inline CSS, no scripts and no fetches."""

from __future__ import annotations

from typing import Final

from kafkapilot.report.labels import SEVERITY_COLOURS
from kafkapilot.severity import SEVERITIES

__all__ = ["CONTENT_SECURITY_POLICY", "PAGE_CSS"]

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)
"""Nothing may be fetched and nothing may run, whatever text ends up in the page."""

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
@media print { body { background: #fff; } main { border: 0; margin: 0; max-width: none; } }
"""
    + _SEVERITY_CSS
    + "\n"
)
