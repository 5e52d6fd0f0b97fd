"""Charts: the period labels never overlap, however many periods; every chart is named for
assistive technology (role img with its title as label)."""

import re

import pytest

from ilonet.indicators import charts

pytestmark = pytest.mark.django_db  # the rendered SVG is cached


def _labels(svg: str) -> list[tuple[float, str]]:
    group = re.search(r'class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg, flags=re.S).group(1)
    return [
        (float(x), t) for x, t in re.findall(r'translate\(([-\d.]+),[-\d.]+\)"[^>]*>([^<]+)</text>', group)
    ]


def _quarters(first_year: int, count: int) -> list[str]:
    return [f"{first_year + i // 4}-Q{i % 4 + 1}" for i in range(count)]


def test_period_labels_never_overlap_however_many_periods():
    for periods in (
        _quarters(2020, 8),
        _quarters(2010, 20),
        _quarters(2000, 80),
        [str(y) for y in range(1980, 2026)],
    ):
        rows = [{"period": p, "value": 1.0, "series": "EU27_2020"} for p in periods]
        svg = charts.render_svg(charts.trend_spec(rows, title="Return rate", y_title="%"))
        labels = _labels(svg)
        assert labels, periods[0]
        for (x1, t1), (x2, t2) in zip(labels, labels[1:], strict=False):
            assert x2 - x1 > (len(t1) + len(t2)) / 2 * 6.5, (t1, t2, x2 - x1)


def test_few_periods_show_every_label_and_many_quarters_show_years():
    rows = [{"period": p, "value": 1.0, "series": "EU"} for p in _quarters(2020, 8)]
    assert [t for _x, t in _labels(charts.render_svg(charts.trend_spec(rows, title="t", y_title="%")))] == [
        *_quarters(2020, 8)
    ]
    rows = [{"period": p, "value": 1.0, "series": "EU"} for p in _quarters(2020, 20)]
    assert [t for _x, t in _labels(charts.render_svg(charts.trend_spec(rows, title="t", y_title="%")))] == [
        "2020", "2021", "2022", "2023", "2024"
    ]  # fmt: skip


def test_every_chart_is_an_image_named_by_its_title():
    rows = [{"period": "2023", "value": 1.0, "series": "EU"}]
    svg = charts.render_svg(charts.trend_spec(rows, title="Share of “voluntary” returns", y_title="%"))
    assert svg.startswith('<svg role="img" aria-label="Share of “voluntary” returns"')


def test_a_chart_remembered_by_this_process_changes_with_its_figures_and_the_memo_stays_bounded(
    monkeypatch,
):
    """The SVGs a process keeps are found by the hash of their specification: other figures are
    another chart, never the one remembered; the memo keeps at most ``MEMO_SIZE`` charts."""
    charts.forget()
    one = charts.trend_spec([{"period": "2023", "value": 1.0, "series": "EU"}], title="t", y_title="%")
    two = charts.trend_spec([{"period": "2023", "value": 2.0, "series": "EU"}], title="t", y_title="%")
    first = charts.render_svg(one)
    assert charts.render_svg(one) == first
    assert charts.render_svg(two) != first
    assert charts.render_many([two, one]) == [charts.render_svg(two), first]
    monkeypatch.setattr(charts, "MEMO_SIZE", 2)
    for value in (3.0, 4.0, 5.0):
        charts.render_svg(
            charts.trend_spec([{"period": "2023", "value": value, "series": "EU"}], title="t", y_title="%")
        )
    assert len(charts._memo) == 2
    charts.forget()
    assert charts.render_svg(one) == first  # from the shared cache, the same SVG


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_panel_table_writes_each_cell_as_the_template_language_would(language, settings):
    """``Panel.rows_html`` (integers written directly) gives what ``{{ cell }}`` gives, in
    every language, with and without thousand separators."""
    from django.template import Context, Template
    from django.utils import translation

    from ilonet.indicators.dashboard import Panel

    rows = [["2023-Q1", "A<B", 0, -12, 1234567, 12.5, None, True, "7.0"]]
    template = Template(
        '{% for row in rows %}<tr class="ecl-table__row">{% for cell in row %}<td class="ecl-table__cell">'
        "{% if cell is None %}:{% else %}{{ cell }}{% endif %}</td>{% endfor %}</tr>{% endfor %}"
    )
    for grouping in (False, True):
        settings.USE_THOUSAND_SEPARATOR = grouping
        with translation.override(language):
            panel = Panel(key="t", title="t", definition="", columns=[], rows=rows)
            assert str(panel.rows_html) == template.render(Context({"rows": rows}))
