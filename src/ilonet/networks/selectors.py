"""Read-side functions of the networks app.

Membership is derived, never stored: the members of a network are the officers with an active
deployment in one of its countries (Art. 5(1)), read from the deployment registry through
``ilonet.deployments.selectors``. Every function that works on a page of networks reads the
members and agreements of the whole page in a constant number of queries.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from ilonet import policy
from ilonet.deployments import selectors as deployments

from .facilitation import Agreement, FacilitatorDecision, Member, Tier, decide, decide_facilitator
from .models import (
    Associate,
    FacilitatorAgreement,
    FacilitatorNotification,
    Network,
    NetworkActivity,
    NetworkCountry,
    OfficerList,
    OfficerListEntry,
    OfficerListNetwork,
)


def _countries_by_network(network_ids: Sequence[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {pk: [] for pk in network_ids}
    for network_id, code in (
        NetworkCountry.objects.filter(network_id__in=list(network_ids))
        .order_by("country")
        .values_list("network_id", "country")
    ):
        result[network_id].append(code)
    return result


def members_by_network(networks: Sequence[Network]) -> dict[int, list[Member]]:
    """Network id -> its members (Art. 5(1)), for a page of networks: two queries."""
    ids = [n.pk for n in networks]
    countries = _countries_by_network(ids)
    wanted = {code for codes in countries.values() for code in codes}
    by_country: dict[str, list[Member]] = {}
    for row in deployments.active_member_rows(countries=wanted):
        by_country.setdefault(row["country"], []).append(
            Member(
                officer_id=row["officer_id"],
                name=row["name"],
                deployment_id=row["deployment_id"],
                authority_name=row["authority_name"],
                authority_kind=row["authority_kind"],
                country=row["country"],
                start_date=row["start_date"],
            )
        )
    result: dict[int, list[Member]] = {}
    for network_id, codes in countries.items():
        seen: set[int] = set()
        members = []
        for code in codes:
            for member in by_country.get(code, ()):
                if member.officer_id not in seen:
                    seen.add(member.officer_id)
                    members.append(member)
        members.sort(key=lambda m: (m.start_date, m.deployment_id))
        result[network_id] = members
    return result


def latest_agreements(network_ids: Sequence[int]) -> dict[int, Agreement]:
    """Network id -> the members' latest agreement on a facilitator (Art. 5(2)): one query,
    one row per network however long the history."""
    latest = FacilitatorAgreement.objects.filter(network_id=OuterRef("pk")).order_by("-agreed_on", "-id")
    rows = (
        Network.objects.filter(pk__in=list(network_ids))
        .annotate(agreement_id=Subquery(latest.values("id")[:1]))
        .exclude(agreement_id=None)
        .values_list("agreement_id", flat=True)
    )
    return {
        row.network_id: Agreement(row.officer_id, str(row.officer), row.agreed_on)
        for row in FacilitatorAgreement.objects.filter(pk__in=rows).select_related("officer")
    }


@dataclass(frozen=True)
class NetworkSummary:
    """What a list of networks shows of each: how many members (Art. 5(1)) and who
    facilitates (Art. 5(2))."""

    member_count: int
    decision: FacilitatorDecision


def _member(row: dict | None) -> Member | None:
    return Member(**{k: row[k] for k in Member.__dataclass_fields__}) if row else None


def network_summaries(networks: Sequence[Network]) -> dict[int, NetworkSummary]:
    """Network id -> its member count and facilitator, for a page of networks, from
    aggregates (``deployments.selectors.active_member_summary``): three queries that read one
    row per network and the few members the rule names, whatever the number of deployments."""
    ids = [n.pk for n in networks]
    if not ids:
        return {}
    agreements = latest_agreements(ids)
    agreed = Subquery(
        FacilitatorAgreement.objects.filter(network_id=OuterRef("pk"))
        .order_by("-agreed_on", "-id")
        .values("officer_id")[:1]
    )
    countries = NetworkCountry.objects.filter(network_id=OuterRef(OuterRef("pk"))).values("country")
    rows = list(
        Network.objects.filter(pk__in=ids)
        .annotate(agreed_officer=agreed)
        .annotate(**deployments.active_member_summary(countries=countries, officer=OuterRef("agreed_officer")))
        .values(
            "pk", "member_count", "agreed_member", "commission_count", "commission_first",
            "commission_agreed", "agency_count", "agency_first", "agency_agreed",
        )
    )  # fmt: skip
    named = deployments.member_rows_by_id(
        row[key]
        for row in rows
        for key in ("agreed_member", "commission_first", "commission_agreed", "agency_first", "agency_agreed")
        if row[key]
    )
    result = {}
    for row in rows:

        def member(key: str, row: dict = row) -> Member | None:
            return _member(named.get(row[key])) if row[key] else None

        decision = decide(
            commission=Tier(row["commission_count"], member("commission_first"), member("commission_agreed")),
            agency=Tier(row["agency_count"], member("agency_first"), member("agency_agreed")),
            has_members=bool(row["member_count"]),
            agreement=agreements.get(row["pk"]),
            agreed_member=member("agreed_member"),
        )
        result[row["pk"]] = NetworkSummary(member_count=row["member_count"], decision=decision)
    return result


def facilitators_for(
    networks: Sequence[Network], members: dict[int, list[Member]] | None = None
) -> dict[int, FacilitatorDecision]:
    """Network id -> who facilitates it and why (Art. 5(2)), for a page of networks: from the
    members when the caller has them (one network's page), else from aggregates."""
    if members is None:
        return {pk: summary.decision for pk, summary in network_summaries(networks).items()}
    agreements = latest_agreements([n.pk for n in networks])
    return {
        n.pk: decide_facilitator(members=members.get(n.pk, []), agreement=agreements.get(n.pk))
        for n in networks
    }


def is_member(*, officer, network: Network) -> bool:
    """Is the officer deployed now in one of the network's countries (Art. 5(1))?"""
    countries = deployments.active_countries_of(officer=officer)
    return bool(countries) and NetworkCountry.objects.filter(network=network, country__in=countries).exists()


def networks_of_officer(*, officer, queryset: QuerySet[Network] | None = None) -> QuerySet[Network]:
    """The networks the officer is a member of now (Art. 5(1))."""
    qs = queryset if queryset is not None else Network.objects.all()
    countries = deployments.active_countries_of(officer=officer)
    if not countries:
        return qs.none()
    return qs.filter(pk__in=NetworkCountry.objects.filter(country__in=countries).values("network_id"))


def network_list(
    *,
    user,
    search: str | None = None,
    kind: str | None = None,
    country: str | None = None,
    mine: bool = False,
) -> QuerySet[Network]:
    """Networks the user may see (Art. 5(1)), filtered and searched."""
    qs = policy.scope(user, policy.Action.VIEW_NETWORKS, Network.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(
            pk__in=NetworkCountry.objects.filter(country=country.strip().upper()).values("network_id")
        )
    if mine:
        qs = networks_of_officer(officer=user, queryset=qs)
    if search:
        search = search.strip()
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(pk__in=NetworkCountry.objects.filter(country__iexact=search).values("network_id"))
        )
    return qs.prefetch_related(
        Prefetch("countries", queryset=NetworkCountry.objects.order_by("country"))
    ).order_by("name", "id")


def network_detail(*, user, pk: int) -> Network:
    qs = policy.scope(user, policy.Action.VIEW_NETWORKS, Network.objects.all())
    return qs.prefetch_related(
        Prefetch("countries", queryset=NetworkCountry.objects.order_by("country")),
        Prefetch("associates", queryset=Associate.objects.order_by("left_on", "name")),
    ).get(pk=pk)


def agreement_history(*, network: Network, limit: int = 10) -> list[FacilitatorAgreement]:
    return list(
        network.agreements.select_related("officer", "recorded_by").order_by("-agreed_on", "-id")[:limit]
    )


def facilitator_notification_list(
    *,
    user,
    network: int | None = None,
    kind: str | None = None,
    basis: str | None = None,
    search: str | None = None,
) -> QuerySet[FacilitatorNotification]:
    """Notifications to the steering board of facilitator appointments, changes, or that none
    was appointed (Art. 5(3)), newest first."""
    qs = policy.scope(user, policy.Action.VIEW_NETWORKS, FacilitatorNotification.objects.all())
    if network:
        qs = qs.filter(network_id=network)
    if kind:
        qs = qs.filter(kind=kind)
    if basis:
        qs = qs.filter(basis=basis)
    if search:
        search = search.strip()
        qs = qs.filter(Q(network__name__icontains=search) | Q(officer_name__icontains=search))
    return qs.select_related("network").order_by("-notified_at", "-id")


def activity_list(
    *,
    user,
    network: int | None = None,
    kind: str | None = None,
    topic: str | None = None,
    since: date | None = None,
    until: date | None = None,
    search: str | None = None,
) -> QuerySet[NetworkActivity]:
    """Network activities (Art. 5(1)), newest first."""
    qs = policy.scope(user, policy.Action.VIEW_NETWORKS, NetworkActivity.objects.all())
    if network:
        qs = qs.filter(network_id=network)
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        qs = qs.filter(topics__topic=topic)
    if since:
        qs = qs.filter(date__gte=since)
    if until:
        qs = qs.filter(date__lte=until)
    if search:
        search = search.strip()
        qs = qs.filter(
            Q(title__icontains=search) | Q(summary__icontains=search) | Q(network__name__icontains=search)
        )
    return qs.select_related("network", "recorded_by").prefetch_related("topics").order_by("-date", "-id")


def activity_detail(*, user, pk: int) -> NetworkActivity:
    qs = policy.scope(user, policy.Action.VIEW_NETWORKS, NetworkActivity.objects.all())
    return (
        qs.select_related("network", "recorded_by")
        .prefetch_related("topics", "participants__officer", "participants__associate")
        .get(pk=pk)
    )


def officer_list_list(*, user, search: str | None = None, since: date | None = None) -> QuerySet[OfficerList]:
    """The board's lists of deployed ILOs (Art. 8(2)(d)), newest first."""
    qs = policy.scope(user, policy.Action.VIEW_OFFICER_LISTS, OfficerList.objects.all())
    if search:
        qs = qs.filter(Q(title__icontains=search.strip()) | Q(meeting__icontains=search.strip()))
    if since:
        qs = qs.filter(taken_on__gte=since)
    return qs.select_related("created_by").order_by("-taken_on", "-id")


def officer_list_detail(*, user, pk: int) -> OfficerList:
    return officer_list_list(user=user).get(pk=pk)


def officer_list_entries(
    *, user, officer_list: OfficerList, search: str | None = None, country: str | None = None
) -> QuerySet[OfficerListEntry]:
    qs = policy.scope(user, policy.Action.VIEW_OFFICER_LISTS, OfficerListEntry.objects.all()).filter(
        officer_list=officer_list
    )
    if country:
        qs = qs.filter(country=country.strip().upper())
    if search:
        search = search.strip()
        qs = qs.filter(
            Q(officer_name__icontains=search) | Q(city__icontains=search) | Q(networks__icontains=search)
        )
    return qs.order_by("country", "officer_name", "id")


def officer_list_networks(
    *, user, officer_list: OfficerList, search: str | None = None
) -> QuerySet[OfficerListNetwork]:
    qs = policy.scope(user, policy.Action.VIEW_OFFICER_LISTS, OfficerListNetwork.objects.all()).filter(
        officer_list=officer_list
    )
    if search:
        qs = qs.filter(Q(name__icontains=search.strip()) | Q(countries__icontains=search.strip()))
    return qs.order_by("name", "id")
