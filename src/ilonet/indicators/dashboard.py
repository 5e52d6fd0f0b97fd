"""What the dashboards and the PDF report show: one ``Panel`` per chart, with its definition,
its table (the same figures as the chart, flags included) and the name of its CSV export.

Panels: the trend of each indicator (EU total), the member-state comparison of a period,
the tile map of third countries (return rate by citizenship), the register counts and the
targets. The PDF report uses the same panels, so the same SVG.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import charts, selectors
from .definitions import COUNT, INDICATORS, PERCENT
from .eurostat.datasets import EU_TOTAL

TREND_INDICATORS = (
    "return_rate",
    "effective_return_rate",
    "voluntary_share",
    "assisted_share",
    "orders_per_negative_asylum",
)
REGISTER_INDICATORS = (
    "ms_case_management_it",
    "ms_return_counselling",
    "ms_frontex_services",
    "ms_frontex_reintegration",
    "tc_jrs_covered",
)


@dataclass
class Panel:
    key: str  # the CSV export's name: /indicators/export/<key>.csv?...
    title: str
    definition: str
    columns: list[str]
    rows: list[list[Any]]
    svg: SafeString | None = None
    query: dict[str, str] = field(default_factory=dict)
    spec: dict[str, Any] | None = None  # the chart, until ``render_charts`` turns it into ``svg``

    @property
    def rows_html(self) -> SafeString:
        """The table's body rows, as ``indicators/_panel_table.html`` writes them: each cell
        localised and escaped as the template language does, ":" for a missing figure (a
        dashboard's tables hold over a thousand cells: the template language's cost per cell
        was a third of the page). A plain string is escaped directly (what ``localize`` and
        ``conditional_escape`` do to it, without their lazy-string wrappers: most cells are
        periods, areas, formatted values and flags); a number once per distinct value."""
        cell = '<td class="ecl-table__cell">{}</td>'
        numbers: dict[Any, str] = {}
        # an integer without thousand separators is its digits in every language (what
        # ``localize`` gives it then): most numbers here are numerators and denominators, each
        # distinct, and ``localize`` was a third of the page's table time
        plain_ints = not settings.USE_THOUSAND_SEPARATOR
        out = []
        for row in self.rows:
            out.append('<tr class="ecl-table__row">')
            for value in row:
                if value is None:
                    text = ":"
                elif type(value) is str:
                    text = html.escape(value)
                elif type(value) is int and plain_ints:
                    text = str(value)
                else:
                    key = (type(value), value)
                    if key not in numbers:
                        numbers[key] = conditional_escape(localize(value))
                    text = numbers[key]
                out.append(cell.format(text))
            out.append("</tr>")
        return mark_safe("".join(out))  # noqa: S308  (fixed markup, every value escaped above)

    def html(self, counter: int = 0) -> SafeString:
        """The panel as ``indicators/_panel.html`` writes it (title, definition, chart, table, CSV
        link), without the template language: a page of fifteen panels spent about 900 template
        nodes on their includes and loops. ``counter``: the include's ``forloop_counter``."""
        title, key = conditional_escape(self.title), conditional_escape(self.key)
        anchor = f"panel-{key}-{counter or 0}"
        if not self.rows:
            body = (
                f'<tr class="ecl-table__row"><td class="ecl-table__cell" colspan="{len(self.columns)}">'
                f"{conditional_escape(_('No figures yet.'))}</td></tr>"
            )
        else:
            body = self.rows_html
        heads = "".join(
            f'<th class="ecl-table__header" scope="col">{conditional_escape(c)}</th>' for c in self.columns
        )
        query = "&amp;".join(
            f"{conditional_escape(k)}={conditional_escape(urlencode(v))}" for k, v in self.query.items()
        )
        chart = f'<figure class="ilonet-chart" aria-label="{title}">{self.svg}</figure>' if self.svg else ""
        return mark_safe(  # noqa: S308  (fixed markup, every value escaped above; the SVG is ours)
            f'<section class="ilonet-panel" aria-labelledby="{anchor}">\n'
            f'  <h2 class="ecl-u-type-heading-3" id="{anchor}">{title}</h2>\n'
            '  <p class="ecl-u-type-paragraph-s ilonet-panel__definition">'
            f"{conditional_escape(self.definition)}</p>\n"
            f"  {chart}\n"
            f"  <details><summary>{conditional_escape(_('Table'))}</summary>"
            '<table class="ecl-table ecl-table--zebra ilonet-figures"><thead class="ecl-table__head">'
            f'<tr class="ecl-table__row">{heads}</tr></thead>\n<tbody class="ecl-table__body">{body}'
            "</tbody></table>\n</details>\n"
            f'  <p><a class="ecl-link ecl-link--standalone" href="{_export_url(self.key)}?{query}">'
            f"{conditional_escape(_('Download as CSV'))}</a></p>\n"
            "</section>\n"
        )


def panels_html(panels: list[Panel], *, first: int = 1) -> SafeString:
    """``Panel.html`` of several panels, counted from ``first`` (a template's
    ``{% for %}{% include "indicators/_panel.html" ... %}{% endfor %}``)."""
    return mark_safe("".join(panel.html(first + i) for i, panel in enumerate(panels)))  # noqa: S308


def _export_url(key: str) -> str:
    return conditional_escape(reverse("indicators:export", args=[key]))


def _y_title(code: str) -> str:
    unit = INDICATORS[code].unit
    if unit == "days":
        return _("days")
    return "%" if unit == PERCENT else _("number") if unit == COUNT else _("ratio")


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}" if value % 1 else f"{value:.0f}"


def render_charts(panels: list[Panel]) -> list[Panel]:
    """The SVG of every panel whose chart was deferred (``render=False``), one cache read for all."""
    waiting = [p for p in panels if p.spec is not None]
    for panel, svg in zip(waiting, charts.render_many([p.spec for p in waiting]), strict=True):
        panel.svg, panel.spec = svg, None
    return panels


def trend_panel(
    code: str,
    *,
    quarterly: bool,
    geo: str = EU_TOTAL,
    found: list[Any] | None = None,
    render: bool = True,
) -> Panel:
    """The trend of one indicator; ``found``: its figures read already (a page of several trends
    reads them in one query); ``render=False``: the chart is rendered by ``render_charts``."""
    if found is None:
        found = selectors.trend(indicator=code, quarterly=quarterly, geo=geo)
    ind = INDICATORS[code]
    rows = [[f.period, f.geo, f.numerator, f.denominator, _fmt(f.value), f.flags] for f in found]
    chart = [{"period": f.period, "value": f.value, "series": f.geo} for f in found if f.value is not None]
    spec = charts.trend_spec(chart, title=str(ind.label), y_title=_y_title(code)) if chart else None
    svg = charts.render_svg(spec) if spec is not None and render else None
    return Panel(
        key="trend",
        title=str(ind.label),
        definition=str(ind.definition),
        columns=[_("Period"), _("Area"), _("Numerator"), _("Denominator"), _("Value"), _("Flags")],
        rows=rows,
        svg=svg,
        query={"indicator": code, "quarterly": "1" if quarterly else "", "geo": geo},
        spec=None if render else spec,
    )


def comparison_panel(code: str, *, period: str) -> Panel:
    found = selectors.comparison(indicator=code, period=period)
    ind = INDICATORS[code]
    rows = [[f.geo, f.numerator, f.denominator, _fmt(f.value), f.flags] for f in found]
    chart = [{"geo": f.geo, "value": f.value} for f in found if f.value is not None]
    title = _("%(indicator)s by member state, %(period)s") % {"indicator": ind.label, "period": period}
    svg = (
        charts.render_svg(charts.comparison_spec(chart, title=title, x_title=_y_title(code)))
        if chart
        else None
    )
    return Panel(
        key="comparison",
        title=title,
        definition=str(ind.definition),
        columns=[_("Member state"), _("Numerator"), _("Denominator"), _("Value"), _("Flags")],
        rows=rows,
        svg=svg,
        query={"indicator": code, "period": period},
    )


def map_panel(code: str, *, period: str, found: list[Any] | None = None, render: bool = True) -> Panel:
    """The figures of one indicator by third country (EU total); ``found`` and ``render`` as for
    ``trend_panel``."""
    if found is None:
        found = selectors.by_third_country(indicator=code, period=period)
    ind = INDICATORS[code]
    rows = [[f.citizen, f.numerator, f.denominator, _fmt(f.value), f.flags] for f in found]
    title = _("%(indicator)s by third country of citizenship, EU total, %(period)s") % {
        "indicator": ind.label,
        "period": period,
    }
    data = charts.country_rows(found)
    spec = charts.tile_map_spec(data, title=title, legend=_y_title(code)) if data else None
    svg = charts.render_svg(spec) if spec is not None and render else None
    return Panel(
        key="map",
        title=title,
        definition=str(ind.definition),
        columns=[_("Citizenship"), _("Numerator"), _("Denominator"), _("Value"), _("Flags")],
        rows=rows,
        svg=svg,
        query={"indicator": code, "period": period},
        spec=None if render else spec,
    )


def register_panel(*, quarterly: bool = True) -> Panel:
    chart, rows = [], []
    for code in REGISTER_INDICATORS:
        for f in selectors.trend(indicator=code, quarterly=quarterly):
            chart.append({"period": f.period, "value": f.value, "series": str(INDICATORS[code].label)})
            rows.append([f.period, str(INDICATORS[code].label), _fmt(f.value)])
    title = _("Member-state capabilities and Frontex coverage")
    svg = charts.render_svg(charts.trend_spec(chart, title=title, y_title=_("number"))) if chart else None
    definition = " ".join(str(INDICATORS[c].definition) for c in REGISTER_INDICATORS)
    return Panel(
        key="register",
        title=title,
        definition=definition,
        columns=[_("Period"), _("Indicator"), _("Value")],
        rows=rows,
        svg=svg,
        query={"quarterly": "1" if quarterly else ""},
    )


def latest_period(code: str, *, quarterly: bool) -> str | None:
    found = selectors.periods(indicator=code, quarterly=quarterly)
    return found[-1] if found else None
