"""Row templates render a table's rows as the template engine would, escaped the same way,
and refuse what they cannot render (ilonet.shared.rowtemplate, issue 9)."""

from datetime import date

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils.safestring import mark_safe

from ilonet.shared.rowtemplate import compile_row, render_rows

ROW = (
    '{# a comment #}<tr><td title="{{ label }}">{{ name }}{% if note %} ({{ note }}){% endif %}</td>'
    "<td>{% if not end %}open{% else %}{{ end|short_date }}{% endif %}</td>"
    "<td>{{ html }}</td><td>{% if shown %}{% if note %}both{% else %}one{% endif %}{% endif %}</td></tr>"
)

ROWS = [
    {"name": "<b>O'Neil & co</b>", "note": "", "end": None, "html": mark_safe("<i>x</i>"), "shown": True},
    {"name": "Ana", "note": 'say "hi"', "end": date(2025, 12, 2), "html": 3, "shown": False},
    {"name": "Bo", "note": "n", "end": date(2026, 1, 5), "html": None, "shown": 1},
]


@pytest.fixture
def row_file(tmp_path, settings):
    (tmp_path / "row.html").write_text(ROW)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return "row.html"


def test_rows_render_as_the_template_engine_renders_them(row_file):
    context = {"label": "Name <of> the officer"}
    expected = "".join(Template(ROW).render(Context({**context, **row})) for row in ROWS)
    assert render_rows(row_file, ROWS, lambda key: context.get(key, "")) == expected
    assert "&lt;b&gt;O&#x27;Neil &amp; co&lt;/b&gt;" in expected and "<i>x</i>" in expected


def test_no_rows_render_nothing(row_file):
    assert render_rows(row_file, [], lambda key: "") == ""


@pytest.mark.parametrize(
    "source",
    [
        "{% for x in y %}{% endfor %}",
        '{% translate "Name" %}',
        "{{ row.name }}",
        "{{ name|upper }}",
        "{% if a %}open",
        "{% endif %}",
        "{% if a and b %}x{% endif %}",
    ],
)
def test_what_a_row_template_cannot_render_is_refused(source):
    with pytest.raises(TemplateSyntaxError):
        compile_row(source)
