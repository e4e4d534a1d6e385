"""The Jinja template of the HTML report. Autoescaped: every value is text unless it is marked Markup here.

Kept as a Python string, so the package needs no data file for it.
"""

from __future__ import annotations

from typing import Final

__all__ = ["TEMPLATE"]

TEMPLATE: Final = """\
{%- macro table(data) -%}
<table>
<thead><tr>{% for header in data.headers %}<th>{{ header }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in data.rows %}<tr>{% for cell in row %}<td>
{%- if loop.first and data.code_first %}<code>{{ cell }}</code>{% else %}{{ cell | cell }}{% endif -%}
</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
{% endmacro -%}

{%- macro text(value) -%}
{% for lines in value | paragraphs %}<p>{% for line in lines %}{{ line }}{% if not loop.last %}<br>{% endif %}{% endfor %}</p>
{% endfor %}
{%- endmacro -%}

{%- macro finding_body(finding) -%}
<ul class="facts">
<li><strong>Task:</strong> <code>{{ finding.task_id }}</code></li>
<li><strong>Severity:</strong> {{ finding.severity.value }}</li>
<li><strong>Category:</strong> {{ finding.category | one_line }}</li>
<li><strong>Hosts:</strong> {{ finding | hosts }}</li>
<li><strong>Source:</strong> {% if finding | origin %}{{ finding | origin }} — {{ llm_note }}{% else %}rule{% endif %}</li>
</ul>
{{ text(finding.summary) }}
{%- if finding.evidence %}
<p><strong>Evidence</strong></p>
{{ table(finding | evidence_table) }}
{%- endif %}
{%- if finding.evidence_omitted %}
<p class="omitted">{{ finding.evidence_omitted | omitted }}</p>
{% endif %}
{%- if finding.not_evaluated %}
<p><strong>Not evaluated</strong></p>
<ul>
{% for item in finding.not_evaluated %}<li>{{ item | not_evaluated }}</li>
{% endfor %}</ul>
{% endif %}
{%- if finding.impact.strip() %}
<p><strong>Impact</strong></p>
{{ text(finding.impact) }}
{%- endif %}
{%- if finding.remediation.strip() %}
<p><strong>Remediation</strong></p>
{{ text(finding.remediation) }}
{%- endif %}
{%- if finding.references %}
<p><strong>References</strong></p>
<ul>
{% for reference in finding.references %}<li>
{%- if reference | is_url %}<a href="{{ reference }}" rel="noreferrer">{{ reference }}</a>
{%- else %}{{ reference | one_line }}{% endif -%}
</li>
{% endfor %}</ul>
{% endif %}
{%- endmacro -%}

{%- macro findings_table(section) -%}
<div id="findings-filter" class="filter" hidden>
<label>Filter <input id="filter-text" type="search" placeholder="words in any column"></label>
<label>Severity <select id="filter-severity"><option value="">all</option>
{% for severity in severities_all %}<option value="{{ severity.value }}">{{ severity.value }}</option>
{% endfor %}</select></label>
<label>Status <select id="filter-status"><option value="">all</option>
{% for status in statuses_all if status in section.findings | map(attribute="status") %}<option value="{{ status.value }}">{{ status.value }}</option>
{% endfor %}</select></label>
<span id="filter-count" class="muted" aria-live="polite"></span>
</div>
<table id="findings-table" class="findings">
<thead><tr>{% for header in finding_columns %}<th class="col-{{ header | lower }}"><button type="button">{{ header }}</button></th>{% endfor %}</tr></thead>
<tbody>
{% for finding in section.findings %}<tr data-severity="{{ finding.severity.value }}" data-status="{{ finding.status.value }}" data-order="{{ loop.index0 }}">
<td data-sort="{{ finding.severity.rank }}"><span class="badge sev-{{ finding.severity.value }}">{{ finding.severity.value }}</span></td>
<td class="col-title"><a href="#{{ plan.link(finding) }}">{{ finding | title_origin }}</a></td>
<td class="col-hosts">{{ finding | hosts }}</td>
<td class="col-category">{{ finding.category | one_line }}</td>
<td class="col-status" data-sort="{{ finding.status | status_rank }}">{{ finding.status.value }}</td>
</tr>
{% endfor %}</tbody>
</table>
{% endmacro -%}

{%- macro hosts_view() -%}
{% for host, group in plan.host_groups() %}<details class="host"><summary><strong>{{ host }}</strong> <span class="muted">{{ group | length | failed_count }}: {{ group | severity_mix }}</span></summary>
<ul>
{% for finding in group %}<li><span class="badge sev-{{ finding.severity.value }}">{{ finding.severity.value }}</span> <a href="#{{ plan.link(finding) }}">{{ finding.title | one_line }}</a></li>
{% endfor %}</ul>
</details>
{% endfor %}
{%- endmacro -%}

{%- macro more(data, what) -%}
<details class="more"><summary>{{ data.rows | length }} {{ what }}</summary>
{{ table(data) }}</details>
{%- endmacro -%}

<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="generator" content="kafkapilot">
<title>{{ plan.title }}</title>
<style>{{ css }}</style>
</head>
<body>
<main>
<h1 id="{{ plan.title_anchor }}">{{ plan.title }}</h1>
<p>{{ intro }}</p>
<div class="scorecard"><p class="score score-{{ band }}"><strong>{{ report.summary.health_score }}</strong>
<span>health score / 100 · {{ band }}</span></p>{{ chart }}</div>
<h2 id="{{ plan.contents_anchor }}">Contents</h2>
<ul class="contents">
{% for section in plan.sections if section.level == 2 %}<li><a href="#{{ section.anchor }}">{{ section.title }}</a></li>
{% endfor %}</ul>
{% for section in plan.sections %}
{% if section.kind == "finding" %}
<details class="finding sev-{{ section.severity.value }}"><summary><span class="badge">{{ section.severity.value }}</span>
<h3 id="{{ section.anchor }}" class="sev sev-{{ section.severity.value }}">{{ section.title }}</h3>
<span class="muted">· {{ section.finding | hosts }}</span></summary>
{{ finding_body(section.finding) }}</details>
{% else %}
<h{{ section.level }} id="{{ section.anchor }}"
{%- if section.severity %} class="sev sev-{{ section.severity.value }}"{% endif %}>{{ section.title }}</h{{ section.level }}>
{% if section.kind == "findings" %}{{ findings_table(section) }}
{%- elif section.kind == "hosts" %}{{ hosts_view() }}
{%- elif section.kind == "summary" %}{{ table(summary) }}{{ table(severities) }}{% if categories.rows %}{{ table(categories) }}{% endif %}
{%- elif section.kind == "snapshot" %}{{ table(snapshot) }}
{%- elif section.kind == "severity" %}<p>{{ section.findings | length | failed_count }}.</p>
{% elif section.kind == "errors" %}
{%- if section.findings %}{{ table(section | task_table) }}{% endif %}
{%- if report.errors %}<p>{{ load_errors_note }}</p>
<ul>
{% for error in report.errors %}<li>{{ error | one_line }}</li>
{% endfor %}</ul>
{% endif %}
{%- elif section.kind == "notes" %}
<ul>
{% for note in report.notes %}<li>{{ note | one_line }}</li>
{% endfor %}</ul>
{%- elif section.kind == "llm_usage" %}{{ table(llm_usage) }}
{%- elif section.kind == "skipped" %}{{ more(section | task_table, "skipped tasks, with the reason") }}
{%- elif section.kind == "passed" %}{{ more(section | task_table, "passed tasks") }}
{%- else %}{{ table(section | task_table) }}
{%- endif %}
{% endif %}
{%- endfor %}
</main>
<script>{{ script }}</script>
</body>
</html>
"""  # noqa: E501 - the markup; a line break inside would change the page's whitespace
