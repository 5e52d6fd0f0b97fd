"""Read-side functions of return coordination: the dashboards, the API and other apps read these.

Every figure comes from the precomputed ``IndicatorFigure`` table (``compute``); the register
and the targets are small and read directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.utils import timezone

from ilonet import policy

from .compute import state_on
from .definitions import INDICATORS, REGISTER_RULES, STRATEGY_TARGETS
from .eurostat.datasets import EU_TOTAL, MEMBER_STATES
from .models import (
    Capability,
    CapabilityEntry,
    EurostatLoad,
    IndicatorFigure,
    NetworkMeeting,
    Obstacle,
    ProgressReport,
    QuarterPriority,
    Target,
)
from .periods import previous_quarters, quarter_end


def figures(
    *,
    indicator: str,
    period: str | None = None,
    geo: str | None = None,
    citizen: str | None = None,
    source: str | None = None,
) -> QuerySet[IndicatorFigure]:
    qs = IndicatorFigure.objects.filter(indicator=indicator)
    if period:
        qs = qs.filter(period=period)
    if geo is not None:
        qs = qs.filter(geo=geo)
    if citizen is not None:
        qs = qs.filter(citizen=citizen)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("year", "quarter", "geo", "citizen")


def periods(*, indicator: str, quarterly: bool) -> list[str]:
    qs = IndicatorFigure.objects.filter(indicator=indicator)
    qs = qs.exclude(quarter=0) if quarterly else qs.filter(quarter=0)
    return list(qs.order_by("year", "quarter").values_list("period", flat=True).distinct())


def trend(
    *, indicator: str, quarterly: bool = False, geo: str = EU_TOTAL, citizen: str = "TOTAL"
) -> list[IndicatorFigure]:
    """The EU total (or one member state) over time."""
    qs = figures(indicator=indicator, geo=geo, citizen=citizen)
    return list(qs.exclude(quarter=0) if quarterly else qs.filter(quarter=0))


def trends(
    *, indicators: list[str], quarterly: bool = False, geo: str = EU_TOTAL, citizen: str = "TOTAL"
) -> dict[str, list[IndicatorFigure]]:
    """``trend`` of several indicators in one query, by indicator."""
    qs = IndicatorFigure.objects.filter(indicator__in=indicators, geo=geo, citizen=citizen)
    qs = qs.exclude(quarter=0) if quarterly else qs.filter(quarter=0)
    out: dict[str, list[IndicatorFigure]] = {code: [] for code in indicators}
    for f in qs.order_by("indicator", "year", "quarter", "geo", "citizen"):
        out[f.indicator].append(f)
    return out


@dataclass(frozen=True)
class View:
    """What one indicator view shows: the figures of a period, area and third country, the trend
    of that area and the member-state comparison of that period."""

    figures: list[IndicatorFigure]
    trend: list[IndicatorFigure]
    comparison: list[IndicatorFigure]


def view(*, indicator: str, period: str, geo: str, citizen: str = "TOTAL") -> View:
    """``figures``, ``trend`` (quarterly) and ``comparison`` in one statement (one round trip
    instead of three: on a busy server each round trip waits for the database process's turn):
    the three selections joined by ``UNION ALL``, each read by its own index, each row marked
    with the part it answers."""
    from django.db.models import IntegerField, Value

    def part(number: int, qs: QuerySet[IndicatorFigure]) -> QuerySet[IndicatorFigure]:
        return qs.annotate(part=Value(number, output_field=IntegerField()))

    base = IndicatorFigure.objects.filter(indicator=indicator)
    parts = part(0, base.filter(period=period, geo=geo, citizen=citizen)).union(
        part(1, base.filter(geo=geo, citizen="TOTAL").exclude(quarter=0)),
        part(2, base.filter(period=period, citizen="TOTAL", geo__in=MEMBER_STATES)),
        all=True,
    )
    found: dict[int, list[IndicatorFigure]] = {0: [], 1: [], 2: []}
    for f in parts.order_by("year", "quarter", "geo", "citizen"):
        found[f.part].append(f)  # type: ignore[attr-defined]  # the annotation above
    return View(figures=found[0], trend=found[1], comparison=sorted(found[2], key=lambda f: f.geo))


def comparison(*, indicator: str, period: str, citizen: str = "TOTAL") -> list[IndicatorFigure]:
    """Every member state in a period; geographic aggregates stay apart (not listed)."""
    return list(
        figures(indicator=indicator, period=period, citizen=citizen)
        .filter(geo__in=MEMBER_STATES)
        .order_by("geo")
    )


def by_third_countries(
    *, indicators: list[str], period: str, geo: str = EU_TOTAL
) -> dict[str, list[IndicatorFigure]]:
    """``by_third_country`` of several indicators in one query, by indicator."""
    out: dict[str, list[IndicatorFigure]] = {code: [] for code in indicators}
    qs = IndicatorFigure.objects.filter(indicator__in=indicators, period=period, geo=geo).exclude(
        citizen="TOTAL"
    )
    for f in qs.order_by("indicator", "year", "quarter", "geo", "citizen"):
        if len(f.citizen) == 2:
            out[f.indicator].append(f)
    return out


class FigureRow(NamedTuple):
    """A figure as the pages read it: the columns of ``IndicatorFigure`` they show, as a tuple
    (a model instance costs several times more to build, and a page reads hundreds)."""

    indicator: str
    source: str
    geo: str
    citizen: str
    period: str
    year: int
    quarter: int
    numerator: int | None
    denominator: int | None
    value: float | None
    flags: str


FIGURE_ROW = FigureRow._fields


@dataclass(frozen=True)
class CasePage:
    """The figures of the case-indicator page: every trend of an area, the tables by third
    country of a period, and the figures the reconciliation pairs."""

    trends: dict[str, list[FigureRow]]
    by_third_country: dict[str, list[FigureRow]]
    pairs: list[FigureRow]


def case_page(
    *,
    trend_indicators: list[str],
    geo: str,
    country_indicators: list[str],
    period: str | None,
    pair_indicators: list[str],
) -> CasePage:
    """``trends`` (quarterly) of ``geo``, ``by_third_countries`` of ``period`` (none without a
    period) and the reconciliation's figures (``cases.reconcile.figures``: citizen TOTAL, of
    ``period`` or of every period) in one statement: the three selections joined by ``UNION
    ALL``, each read by its index, each row marked with the part it answers (one round trip
    instead of three), read as tuples, in each part the order of the three reads."""
    from django.db.models import IntegerField, Value

    def part(number: int, qs: QuerySet[IndicatorFigure]) -> QuerySet[Any]:
        return qs.annotate(part=Value(number, output_field=IntegerField())).values_list(
            *FIGURE_ROW, "id", "part"
        )

    base = IndicatorFigure.objects
    trend = base.filter(indicator__in=trend_indicators, geo=geo, citizen="TOTAL").exclude(quarter=0)
    parts = [part(0, trend)]
    if period:
        parts.append(
            part(
                1,
                base.filter(indicator__in=country_indicators, period=period, geo=EU_TOTAL).exclude(
                    citizen="TOTAL"
                ),
            )
        )
    pairs = base.filter(citizen="TOTAL", indicator__in=pair_indicators)
    parts.append(part(2, pairs.filter(period=period) if period else pairs))
    union = parts[0].union(*parts[1:], all=True)
    trends: dict[str, list[FigureRow]] = {code: [] for code in trend_indicators}
    countries: dict[str, list[FigureRow]] = {code: [] for code in country_indicators}
    paired: list[FigureRow] = []
    make = FigureRow._make
    for row in union.order_by("part", "indicator", "year", "quarter", "geo", "citizen", "id"):
        number, figure = row[-1], make(row[:-2])
        if number == 0:
            trends[figure.indicator].append(figure)
        elif number == 1:
            if len(figure.citizen) == 2:  # a country, not a group
                countries[figure.indicator].append(figure)
        else:
            paired.append(figure)
    return CasePage(trends=trends, by_third_country=countries, pairs=paired)


def by_third_country(*, indicator: str, period: str, geo: str = EU_TOTAL) -> list[IndicatorFigure]:
    """One figure per third country of citizenship (a country code, not a group)."""
    qs = figures(indicator=indicator, period=period, geo=geo).exclude(citizen="TOTAL")
    return [f for f in qs if len(f.citizen) == 2]


def register_count(indicator: str, *, on: date, entries: list[CapabilityEntry] | None = None) -> float | None:
    """The register indicator on a day, computed from the dated entries (as it was then); a
    caller asking for several (the targets) passes the entries it read once."""
    state = state_on(list(CapabilityEntry.objects.all()) if entries is None else entries, on)
    if indicator == "tc_jrs_covered":
        return float(sum(1 for (_c, cap), has in state.items() if cap == Capability.JRS_COVERED and has))
    if indicator not in REGISTER_RULES:
        return None
    required, any_of = REGISTER_RULES[indicator]
    countries = {c for (c, _cap) in state}
    return float(
        sum(
            1
            for c in countries
            if all(state.get((c, r), False) for r in required)
            and (not any_of or any(state.get((c, a), False) for a in any_of))
        )
    )


def register_entries(*, country: str | None = None) -> QuerySet[CapabilityEntry]:
    qs = CapabilityEntry.objects.all()
    return qs.filter(country=country) if country else qs


def register_state(*, on: date) -> dict[tuple[str, str], bool]:
    return state_on(list(CapabilityEntry.objects.all()), on)


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    label: str
    current: float | None
    expected: float | None  # where a straight line from baseline to target would be today
    status: str  # met, on_track, behind, missed


def target_status(
    target: Target, *, today: date | None = None, entries: list[CapabilityEntry] | None = None
) -> TargetStatus:
    """Met when the current value reaches the target; missed when the deadline passed without
    it; otherwise on track when the value is at least where a straight line from the baseline
    (on its date) to the target (on the deadline) stands today."""
    today = today or timezone.localdate()
    current = register_count(
        target.indicator,
        on=min(today, target.deadline) if today > target.deadline else today,
        entries=entries,
    )
    label = str(STRATEGY_TARGETS.get(target.code, ("", "", INDICATORS[target.indicator].label))[2])
    span = (target.deadline - target.baseline_date).days or 1
    elapsed = min(max((today - target.baseline_date).days, 0), span)
    expected = target.baseline + (target.target - target.baseline) * elapsed / span
    if current is not None and current >= target.target:
        status = "met"
    elif today > target.deadline:
        status = "missed"
    elif current is not None and current >= expected:
        status = "on_track"
    else:
        status = "behind"
    return TargetStatus(target, label, current, round(expected, 2), status)


def targets(*, today: date | None = None) -> list[TargetStatus]:
    targets = list(Target.objects.all())
    entries = list(CapabilityEntry.objects.all()) if targets else []  # read once for every target
    return [target_status(t, today=today, entries=entries) for t in targets]


def meetings() -> QuerySet[NetworkMeeting]:
    return NetworkMeeting.objects.all()


def priorities(*, year: int | None = None, quarter: int | None = None) -> QuerySet[QuarterPriority]:
    qs = QuarterPriority.objects.select_related("meeting").prefetch_related("actions")
    if year:
        qs = qs.filter(year=year)
    if quarter:
        qs = qs.filter(quarter=quarter)
    return qs


def priority_quarters() -> list[tuple[int, int]]:
    return list(
        QuarterPriority.objects.order_by("-year", "-quarter").values_list("year", "quarter").distinct()
    )


def priority_view(*, year: int, quarter: int, history: int = 4) -> dict[str, Any]:
    """RS 1: at the end of a quarter, the indicators of its priority countries against the
    previous quarters (return rate and effective return rate, EU total, by citizenship)."""
    quarters = [*previous_quarters(year, quarter, history), (year, quarter)]
    labels = [f"{y}-Q{q}" for y, q in quarters]
    rows = []
    for priority in priorities(year=year, quarter=quarter):
        found = {
            (f.indicator, f.period): f
            for f in IndicatorFigure.objects.filter(
                indicator__in=("return_rate", "effective_return_rate"),
                geo=EU_TOTAL,
                citizen=priority.country,
                period__in=labels,
            )
        }
        rows.append(
            {
                "priority": priority,
                "return_rate": [found.get(("return_rate", p)) for p in labels],
                "effective_return_rate": [found.get(("effective_return_rate", p)) for p in labels],
                "covered": register_state(on=min(quarter_end(year, quarter), timezone.localdate())).get(
                    (priority.country, Capability.JRS_COVERED), False
                ),
            }
        )
    return {"periods": labels, "rows": rows}


def obstacles(*, user: Any, status: str | None = None) -> QuerySet[Obstacle]:
    qs = policy.scope(user, policy.Action.VIEW_RETURN_INDICATORS, Obstacle.objects.all())
    return qs.filter(status=status) if status else qs


def loads() -> QuerySet[EurostatLoad]:
    return EurostatLoad.objects.select_related("loaded_by")


def reports() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.all()


def case_obstacles(*, user: Any) -> list[dict[str, Any]]:
    """Open obstacles flagged on return cases, counted by member state, third country and kind
    (the returns core's ``selectors.obstacle_rollup``): no case, no person. The coordinator and the
    board office see every member state's; a return officer their own member state's."""
    from ilonet.returns import selectors as returns_selectors
    from ilonet.returns.models import ObstacleKind

    from .policies import COORDINATOR, officer_member_states

    rows = returns_selectors.obstacle_rollup(user=user)
    if not policy.role_names(user) & {COORDINATOR, "chair", "secretariat"}:
        own = officer_member_states(user)
        rows = [r for r in rows if r["member_state"] in own]
    labels = dict(ObstacleKind.choices)
    return [{**r, "label": labels.get(r["kind"], r["kind"])} for r in rows]
