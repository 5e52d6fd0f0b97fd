"""Read-side functions of the situation reports (Art. 3(4), Art. 5(1)(b)). Every list is scoped
by the policy: a user sees the reports they may read, and the overview and the map count only
those."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from ilonet import policy
from ilonet.deployments import selectors as deployments
from ilonet.networks import selectors as networks
from ilonet.networks.models import Network

from . import figures
from .models import ReportCountry, ReportSection, SituationReport, Status

A = policy.Action


def report_list(
    *,
    user: Any,
    status: str | None = None,
    subject: str | None = None,
    country: str | None = None,
    topic: str | None = None,
    network: int | None = None,
    mine: bool = False,
    since: date | None = None,
    until: date | None = None,
    search: str | None = None,
) -> QuerySet[SituationReport]:
    """The reports the user may read, newest period first. ``since``/``until``: the period
    overlaps that range. ``mine``: the reports the user may write."""
    qs = policy.scope(user, A.VIEW_SITUATION_REPORTS, SituationReport.objects.all())
    if status:
        qs = qs.filter(status=status)
    if subject:
        qs = qs.filter(subject=subject)
    if country:
        qs = qs.filter(
            pk__in=ReportCountry.objects.filter(country=country.strip().upper()).values("report_id")
        )
    if topic:
        qs = qs.filter(pk__in=ReportSection.objects.filter(topic=topic).values("report_id"))
    if network:
        qs = qs.filter(network_id=network)
    if mine:
        from .policies import writable_network_ids

        qs = qs.filter(Q(officer_id=user.pk) | Q(network_id__in=sorted(writable_network_ids(user))))
    if since:
        qs = qs.filter(period_end__gte=since)
    if until:
        qs = qs.filter(period_start__lte=until)
    if search:
        term = search.strip()
        qs = qs.filter(
            Q(summary__icontains=term)
            | Q(network__name__icontains=term)
            | Q(pk__in=ReportSection.objects.filter(text__icontains=term).values("report_id"))
        )
    return (
        qs.select_related("network", "officer", "deploying_authority")
        .prefetch_related(
            Prefetch("countries", queryset=ReportCountry.objects.order_by("country")),
            Prefetch(
                "sections", queryset=ReportSection.objects.only("id", "report_id", "topic").order_by("topic")
            ),
        )
        .order_by("-period_end", "-id")
    )


def report_detail(*, user: Any, pk: int) -> SituationReport:
    qs = policy.scope(user, A.VIEW_SITUATION_REPORTS, SituationReport.objects.all())
    return (
        qs.select_related("network", "officer", "deploying_authority", "created_by")
        .prefetch_related(
            Prefetch("countries", queryset=ReportCountry.objects.order_by("country")),
            Prefetch("sections", queryset=ReportSection.objects.order_by("topic")),
        )
        .get(pk=pk)
    )


def writable_networks(*, user: Any) -> list[Network]:
    """The networks whose report the user may write (Art. 5(1), Art. 5(2))."""
    from .policies import writable_network_ids

    return list(networks.network_list(user=user).filter(pk__in=sorted(writable_network_ids(user))))


def drafts_of(*, user: Any) -> QuerySet[SituationReport]:
    """The user's own drafts and returned reports, for the home page."""
    return report_list(user=user, mine=True).filter(status__in=(Status.DRAFT, Status.RETURNED))


def _submitted_rows(
    user: Any, *, country: str | None, since: date, until: date
) -> tuple[list[tuple[int, date]], dict[int, set[str]]]:
    qs = policy.scope(user, A.VIEW_SITUATION_REPORTS, SituationReport.objects.all()).filter(
        status=Status.SUBMITTED, period_start__gte=since, period_start__lte=until
    )
    if country:
        qs = qs.filter(pk__in=ReportCountry.objects.filter(country=country.upper()).values("report_id"))
    reports = list(qs.values_list("pk", "period_start"))
    topics: dict[int, set[str]] = defaultdict(set)
    for report_id, topic in ReportSection.objects.filter(report_id__in=[r[0] for r in reports]).values_list(
        "report_id", "topic"
    ):
        topics[report_id].add(topic)
    return reports, topics


def overview(
    *, user: Any, since: date, until: date, country: str | None = None, topic: str | None = None
) -> figures.Overview:
    """Submitted reports per quarter and topic of Art. 3(4) (a report counts in the quarter its
    period starts), for one country or all: three queries."""
    reports, topics = _submitted_rows(user, country=country, since=since, until=until)
    return figures.overview(reports=reports, topics=topics, since=since, until=until, topic=topic)


def coverage(*, user: Any, today: date, recent_days: int = figures.RECENT_DAYS) -> figures.Coverage:
    """Per country: the last submitted report's end and how many ended in the last year, with
    the countries where officers are deployed now (for the gaps): three queries."""
    year_ago = today - timedelta(days=365)
    qs = policy.scope(user, A.VIEW_SITUATION_REPORTS, SituationReport.objects.all()).filter(
        status=Status.SUBMITTED
    )
    rows = list(
        ReportCountry.objects.filter(report__in=qs.values("pk")).values_list("country", "report__period_end")
    )
    deployed = set(deployments.active_deployments().values_list("country", flat=True))
    return figures.coverage(
        rows=rows, deployed=deployed, today=today, recent_days=recent_days, year_ago=year_ago
    )
