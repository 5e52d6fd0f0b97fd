"""The case-indicator page's panels (the app's chart path: ``dashboard.Panel``, Vega-Lite to
SVG, a table and a CSV for each): every case indicator's quarterly trend for the EU total or a
member state, the readmission answers by third country, and the reconciliation with Eurostat."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import dashboard, selectors
from ..dashboard import Panel, _fmt
from . import reconcile
from .definitions import CASE_RULES, DATES

__all__ = ["DATES", "page", "reconciliation_panel", "third_country_panels", "trend_panels"]

BY_THIRD_COUNTRY = (
    "case_readmission_answer_rate",
    "case_readmission_answer_days",
    "case_rd_after_negative_asylum",
)


def trend_panels(*, geo: str, render: bool = True) -> list[Panel]:
    """Every case indicator's quarterly trend: their figures in one query (``render=False``: the
    charts are left to ``dashboard.render_charts``)."""
    found = selectors.trends(indicators=list(CASE_RULES), quarterly=True, geo=geo)
    panels = [
        dashboard.trend_panel(code, quarterly=True, geo=geo, found=found[code], render=False)
        for code in CASE_RULES
    ]
    return dashboard.render_charts(panels) if render else panels


def third_country_panels(*, period: str, render: bool = True) -> list[Panel]:
    found = selectors.by_third_countries(indicators=list(BY_THIRD_COUNTRY), period=period)
    panels = [
        dashboard.map_panel(code, period=period, found=found[code], render=False) for code in BY_THIRD_COUNTRY
    ]
    return dashboard.render_charts(panels) if render else panels


def page(*, geo: str, period: str | None) -> tuple[list[Panel], list[Panel], Panel]:
    """The case page's panels (every trend of ``geo``, the tables by third country of ``period``,
    the reconciliation of ``period``) from one read of their figures (``selectors.case_page``),
    the charts left to ``dashboard.render_charts``."""
    found = selectors.case_page(
        trend_indicators=list(CASE_RULES),
        geo=geo,
        country_indicators=list(BY_THIRD_COUNTRY),
        period=period,
        pair_indicators=reconcile.INDICATORS,
    )
    trends = [
        dashboard.trend_panel(code, quarterly=True, geo=geo, found=found.trends[code], render=False)
        for code in CASE_RULES
    ]
    countries = (
        [
            dashboard.map_panel(code, period=period, found=found.by_third_country[code], render=False)
            for code in BY_THIRD_COUNTRY
        ]
        if period
        else []
    )
    return trends, countries, reconciliation_panel(period=period, found=reconcile.paired(found.pairs))


def reconciliation_panel(
    *, period: str | None = None, geo: str | None = None, found: list[reconcile.Line] | None = None
) -> Panel:
    """``found``: the lines paired already (``page``)."""
    if found is None:
        found = reconcile.lines(period=period, geo=geo)
    return Panel(
        key="reconciliation",
        title=_("Case data and Eurostat side by side"),
        definition=_(
            "Where both case data and Eurostat's figures exist for a member state and period. Eurostat "
            "counts a person once per period (two return decisions of one person in a year are one order "
            "to leave) and member states round and revise their national figures: a difference is "
            "expected and is not an error."
        ),
        columns=[
            _("Member state"),
            _("Period"),
            _("Figure"),
            _("Case data"),
            _("Eurostat"),
            _("Difference"),
            _("Flags"),
        ],
        rows=[
            [x.geo, x.period, x.figure, _fmt(x.cases), _fmt(x.eurostat), _fmt(x.difference), x.flags]
            for x in found
        ],
        query={"period": period or "", "geo": geo or ""},
    )
