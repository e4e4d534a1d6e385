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
{% for section in plan.sections if section.level == 2 %}<li><a href="#{{ section.anchor }}">{{ section.title }}</a>
{%- set children = plan.sections | selectattr("kind", "eq", "finding") | selectattr("severity", "eq", section.severity)
    | list if section.kind == "severity" else [] %}
{%- if children %}
<ul>
{% for child in children %}<li><a href="#{{ child.anchor }}">{{ child.title }}</a></li>
{% endfor %}</ul>
{% endif %}</li>
{% endfor %}</ul>
{% for section in plan.sections %}
<h{{ section.level }} id="{{ section.anchor }}"
{%- if section.severity %} class="sev sev-{{ section.severity.value }}"{% endif %}>{{ section.title }}</h{{ section.level }}>
{% if section.kind == "summary" %}{{ table(summary) }}{{ table(severities) }}{% if categories.rows %}{{ table(categories) }}{% endif %}
{%- elif section.kind == "snapshot" %}{{ table(snapshot) }}
{%- elif section.kind == "severity" %}<p>{{ section.findings | length | failed_count }}.</p>
{% elif section.kind == "finding" %}{{ finding_body(section.finding) }}
{%- elif section.kind == "errors" %}
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
{%- else %}{{ table(section | task_table) }}
{%- endif %}
{%- endfor %}
</main>
</body>
</html>
"""  # noqa: E501 - the markup; a line break inside would change the page's whitespace
