"""Read-side functions of the networks app.

Membership is derived, never stored: the members of a network are the officers with an active
deployment in one of its countries (Art. 5(1)), read from the deployment registry through
``ilonet.deployments.selectors``. Every function that works on a page of networks reads the
members and agreements of the whole page in a constant number of queries.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from ilonet import policy
from ilonet.api.prepared import PreparedList
from ilonet.deployments import selectors as deployments
from ilonet.directory.models import OrganisationKind
from ilonet.shared.prepared import PreparedQuery

from . import kept
from .facilitation import Agreement, FacilitatorDecision, Member, Tier, decide, decide_facilitator
from .models import (
    Associate,
    FacilitatorAgreement,
    FacilitatorNotification,
    FacilitatorNotificationKind,
    Network,
    NetworkActivity,
    NetworkCountry,
    OfficerList,
    OfficerListEntry,
    OfficerListNetwork,
)


def _network_countries(ids: list[int]) -> QuerySet:
    return (
        NetworkCountry.objects.filter(network_id__in=ids)
        .order_by("country")
        .values_list("network_id", "country")
    )


# Every list of networks reads them: compiled once per page length (ilonet.shared.prepared).
_NETWORK_COUNTRIES = PreparedQuery(_network_countries, ids=[-424242])


def _countries_by_network(network_ids: Sequence[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {pk: [] for pk in network_ids}
    if network_ids:
        for network_id, code in _NETWORK_COUNTRIES.rows(ids=list(network_ids)):
            result[network_id].append(code)
    return result


def country_codes_by_network(network_ids: Sequence[int]) -> dict[int, list[str]]:
    """Network id -> the codes of its countries (Art. 5(1)), sorted, for a page of networks:
    one query of plain rows."""
    return _countries_by_network(network_ids)


def _prefetched_countries(networks: Sequence[Network]) -> dict[int, list[str]] | None:
    """The networks' country codes, sorted, when every network came with its countries
    prefetched (``network_detail``); else None."""
    found: dict[int, list[str]] = {}
    for network in networks:
        cached = getattr(network, "_prefetched_objects_cache", {}).get("countries")
        if cached is None:
            return None
        found[network.pk] = sorted(str(row.country.code) for row in cached)
    return found


def members_by_network(networks: Sequence[Network]) -> dict[int, list[Member]]:
    """Network id -> its members (Art. 5(1)), for a page of networks: two queries (one when
    the networks' countries were prefetched)."""
    ids = [n.pk for n in networks]
    countries = _prefetched_countries(networks)
    if countries is None:
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


def _latest_agreements(ids: list[int]) -> QuerySet:
    latest = FacilitatorAgreement.objects.filter(network_id=OuterRef("pk")).order_by("-agreed_on", "-id")
    latest_ids = Network.objects.filter(pk__in=ids).values(latest=Subquery(latest.values("id")[:1]))
    return FacilitatorAgreement.objects.filter(pk__in=latest_ids).values_list(
        "network_id", "officer_id", "agreed_on", "officer__first_name", "officer__last_name", "officer__email"
    )


_LATEST_AGREEMENTS = PreparedQuery(_latest_agreements, ids=[-424242])


def latest_agreements(network_ids: Sequence[int]) -> dict[int, Agreement]:
    """Network id -> the members' latest agreement on a facilitator (Art. 5(2)): one query,
    one row per network however long the history."""
    if not network_ids:
        return {}
    return {
        network_id: Agreement(officer_id, f"{first} {last}".strip() or email, agreed_on)
        for network_id, officer_id, agreed_on, first, last, email in _LATEST_AGREEMENTS.rows(
            ids=list(network_ids)
        )
    }


@dataclass(frozen=True)
class NetworkSummary:
    """What a list of networks shows of each: how many members (Art. 5(1)) and who
    facilitates (Art. 5(2))."""

    member_count: int
    decision: FacilitatorDecision


def _member(row: dict | None) -> Member | None:
    return Member(**{k: row[k] for k in Member.__dataclass_fields__}) if row else None


TIERS = (OrganisationKind.EU_INSTITUTION, OrganisationKind.EU_AGENCY)  # Art. 5(2), in order


def network_summaries(
    networks: Sequence[Network], countries: dict[int, list[str]] | None = None
) -> dict[int, NetworkSummary]:
    """Network id -> its member count and facilitator, for a page of networks, from
    aggregates per country (``deployments.selectors.active_member_aggregates``): a handful of
    queries whose rows are bounded by the page's countries, whatever the number of
    deployments (the network's own page lists its members: ``members_by_network``). A caller
    that has read the page's ``country_codes_by_network`` passes them as ``countries``."""
    return network_summaries_by_id([n.pk for n in networks], countries)


def network_summaries_by_id(
    ids: Sequence[int], countries: dict[int, list[str]] | None = None
) -> dict[int, NetworkSummary]:
    """``network_summaries`` of the networks with these ids (a page of plain rows).

    Art. 5(2) is decided by ``decide`` on a summary of each network's members (``Tier``): the
    counts per country and authority kind come first (one query), and only the rows that can
    decide are read: the longest-serving members of the first tier that has members (a
    Commission officer facilitates before any agency officer is looked at), and the agreed
    officer's deployment where an agreement can decide (several officers in that tier, or none
    in either tier). A page of fifty networks read every tier's and every agreed officer's row.

    The summaries are kept by the process until a write to the rows they read moves their
    generation (``ilonet.networks.kept``)."""
    ids = list(ids)
    if not ids:
        return {}
    if countries is None:
        countries = _countries_by_network(ids)
    return kept.summaries(ids, countries, _computed_summaries)


def _computed_summaries(ids: list[int], countries: dict[int, list[str]]) -> dict[int, NetworkSummary]:
    """``network_summaries_by_id`` computed from the registry (what ``kept`` keeps)."""
    agreements = latest_agreements(ids)
    counts, senior = deployments.active_member_counts(
        countries={c for codes in countries.values() for c in codes}
    )
    commission, agency = TIERS
    plans = []
    wanted_ids: set[int] = set()
    wanted_officers: set[int] = set()
    for network_id in ids:
        codes = countries[network_id]
        member_count = n_commission = n_agency = 0
        for code in codes:
            by_kind = counts.get(code)
            if by_kind:
                member_count += sum(by_kind.values())
                n_commission += by_kind.get(commission, 0)
                n_agency += by_kind.get(agency, 0)
        deciding = commission if n_commission else agency if n_agency else None
        seniors = [senior[(c, deciding)] for c in codes if (c, deciding) in senior] if deciding else []
        wanted_ids.update(seniors)
        agreement = agreements.get(network_id)
        tier_count = n_commission if deciding == commission else n_agency
        if agreement is not None and ((deciding and tier_count > 1) or (not deciding and member_count)):
            wanted_officers.add(agreement.officer_id)
        plans.append((network_id, codes, agreement, member_count, n_commission, n_agency, deciding, seniors))
    rows, of_officer = deployments.member_rows_of(deployments=wanted_ids, officers=wanted_officers)
    if not wanted_ids <= rows.keys():
        # A deployment ended between the two queries: the summaries of every tier, as Art. 5(2)
        # then reads them (rare; the page is read again with all its rows).
        return _network_summaries_of_every_tier(ids, countries, agreements)
    result = {}
    for network_id, codes, agreement, member_count, n_commission, n_agency, deciding, seniors in plans:
        agreed_row = of_officer.get(agreement.officer_id) if agreement else None
        if agreed_row is not None and agreed_row["country"] not in codes:
            agreed_row = None
        longest = (
            _member(min((rows[pk] for pk in seniors), key=lambda r: (r["start_date"], r["deployment_id"])))
            if seniors
            else None
        )
        agreed = _member(agreed_row) if agreed_row and agreed_row["authority_kind"] == deciding else None
        # Only the deciding tier is looked into by ``decide``: a tier without members is passed over.
        tiers = {
            commission: Tier(count=n_commission),
            agency: Tier(count=n_agency),
        }
        if deciding:
            tiers[deciding] = Tier(count=tiers[deciding].count, longest=longest, agreed=agreed)
        decision = decide(
            commission=tiers[commission],
            agency=tiers[agency],
            has_members=bool(member_count),
            agreement=agreement,
            agreed_member=_member(agreed_row),
        )
        result[network_id] = NetworkSummary(member_count=member_count, decision=decision)
    return result


def _network_summaries_of_every_tier(
    ids: list[int], countries: dict[int, list[str]], agreements: dict[int, Agreement]
) -> dict[int, NetworkSummary]:
    """``network_summaries_by_id`` from the rows of every tier and every agreed officer: the
    reference the cheaper path is compared with (``networks/tests/test_summaries.py``)."""
    found = deployments.active_member_aggregates(
        countries={c for codes in countries.values() for c in codes},
        first_of_kinds=TIERS,
        officers=[a.officer_id for a in agreements.values()],
    )
    result = {}
    for network_id in ids:
        codes = countries[network_id]
        agreement = agreements.get(network_id)
        agreed_row = found.of_officer.get(agreement.officer_id) if agreement else None
        if agreed_row is not None and agreed_row["country"] not in codes:
            agreed_row = None
        tiers = []
        for kind in TIERS:
            firsts = [found.first[(c, kind)] for c in codes if (c, kind) in found.first]
            longest = min(firsts, key=lambda r: (r["start_date"], r["deployment_id"]), default=None)
            agreed = agreed_row if agreed_row and agreed_row["authority_kind"] == kind else None
            count = sum(found.counts.get(c, {}).get(kind, 0) for c in codes)
            tiers.append(Tier(count=count, longest=_member(longest), agreed=_member(agreed)))
        member_count = sum(sum(found.counts.get(c, {}).values()) for c in codes)
        decision = decide(
            commission=tiers[0],
            agency=tiers[1],
            has_members=bool(member_count),
            agreement=agreement,
            agreed_member=_member(agreed_row),
        )
        result[network_id] = NetworkSummary(member_count=member_count, decision=decision)
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


def network_ids_facilitated_by(*, officer) -> set[int]:
    """Ids of the networks the officer facilitates now by the rule of Art. 5(2) (the tiers, or
    the members' agreement), among the networks they are a member of. Art. 5(2) picks a
    Commission or EU-agency officer, or the officer the members' latest agreement names: an
    officer who is neither, and whom no agreement of their networks names, facilitates none,
    which is known without the members' aggregates of every network."""
    mine = network_ids_of_officer(officer=officer)
    if not mine:
        return set()
    if not deployments.is_deployed_by_kinds(officer=officer, kinds=TIERS):
        agreements = latest_agreements(sorted(mine))
        if not any(a.officer_id == officer.pk for a in agreements.values()):
            return set()
    networks = list(Network.objects.filter(pk__in=sorted(mine)))
    decisions = facilitators_for(networks)
    return {n.pk for n in networks if decisions[n.pk].officer_id == officer.pk}


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


def network_ids_of_officer(*, officer) -> frozenset[int]:
    """Ids of ``networks_of_officer``, read once per request (``policy.request_cache``, dropped
    with the roles by ``policy.forget_roles``): the access rules of several apps ask for them."""
    return policy.request_cache(
        officer,
        "networks.of_officer",
        lambda: frozenset(networks_of_officer(officer=officer).values_list("pk", flat=True)),
    )


def countries_of_networks(network_ids) -> set[str]:
    """The countries of some networks (Art. 5(1)): what their officers report on."""
    return {code for codes in _countries_by_network(sorted(network_ids)).values() for code in codes}


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


def network_list_rows(user, **filters) -> QuerySet:
    """The networks' list as its page and its API list read it: ``network_list`` as plain rows
    (``id``, ``name``, ``kind``, ``description``), without "mine"."""
    return (
        network_list(user=user, mine=False, **filters)
        .prefetch_related(None)
        .values("id", "name", "kind", "description")
    )


# The networks' page and API list without a search or "mine", through SQL compiled once per
# shape of the request (ilonet.api.prepared): building the list's query and its capped count
# through the ORM on every request was about a tenth of the page (issue 9, rendering cost). Only
# while the networks' scope is every row for every reader (``policy.scope_is_every_row``).
NETWORKS = PreparedList(
    network_list_rows,
    Network,
    # Each filter only a parameter of the SQL: a value no request gives, and what
    # network_list makes of a value before it queries.
    sentinels={
        "kind": ("~kind~", lambda value: value),
        "country": ("~COUNTRY~", lambda value: value.strip().upper()),
    },
    every_row=lambda: policy.scope_is_every_row(Network, policy.Action.VIEW_NETWORKS),
)


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
    since: datetime | None = None,
) -> QuerySet[FacilitatorNotification]:
    """Notifications to the steering board of facilitator appointments, changes, or that none
    was appointed (Art. 5(3)), newest first; ``since``: notified at or after that moment."""
    qs = policy.scope(user, policy.Action.VIEW_NETWORKS, FacilitatorNotification.objects.all())
    if since:
        qs = qs.filter(notified_at__gte=since)
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


def networks_without_facilitator(*, user) -> QuerySet[Network]:
    """The networks the user works in (members, Art. 5(1); the chair and secretariat: every
    network) whose last notification to the board says that no facilitator was appointed
    (Art. 5(3)): the members agree on one (Art. 5(2), third sentence). The notifications follow
    every change that can move the facilitator, so the last one is the current state. One query."""
    latest = FacilitatorNotification.objects.filter(network=OuterRef("pk")).order_by("-notified_at", "-id")
    qs = policy.scope(user, policy.Action.CONTRIBUTE_TO_NETWORK, Network.objects.all())
    return (
        qs.annotate(
            last_kind=Subquery(latest.values("kind")[:1]),
            none_since=Subquery(latest.values("notified_at")[:1]),
        )
        .filter(last_kind=FacilitatorNotificationKind.NONE)
        .order_by("name", "id")
    )


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


def officer_list_last_taken_at() -> datetime | None:
    """When the board's list of deployed ILOs (Art. 8(2)(d)) was last drawn up: for the
    reminders before each meeting, run by the system (no user, no rows read)."""
    return OfficerList.objects.order_by("-created_at").values_list("created_at", flat=True).first()


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


def facilitation_summary(*, period_start: date, period_end: date) -> dict:
    """For the Commission's report on the regulation (Art. 12(2)), counts only: the networks
    now (local, regional, countries), who facilitates them now by the rule of Art. 5(2), the
    notifications to the board in the period (Art. 5(3)) and the activities in the period by
    task of Art. 5(1). Unscoped: the caller authorises; no names leave this function."""
    all_networks = list(Network.objects.all())
    decisions = facilitators_for(all_networks)
    by_basis = Counter(str(decision.basis) for decision in decisions.values())
    kinds = Counter(network.kind for network in all_networks)
    notified = Counter(
        FacilitatorNotification.objects.filter(
            notified_at__date__gte=period_start, notified_at__date__lte=period_end
        ).values_list("kind", flat=True)
    )
    activities = Counter(
        NetworkActivity.objects.filter(date__gte=period_start, date__lte=period_end).values_list(
            "kind", flat=True
        )
    )
    return {
        "networks": len(all_networks),
        "by_kind": dict(kinds),
        "countries": NetworkCountry.objects.values("country").distinct().count(),
        "facilitators_by_basis": dict(by_basis),
        "notifications_by_kind": dict(notified),
        "activities_by_kind": dict(activities),
    }


def grantable_networks(actor) -> list[tuple[int, str]]:
    """(id, name) of the networks a facilitator's role may be scoped to by ``actor`` (Art. 5(2))."""
    networks = policy.scope(actor, policy.Action.MANAGE_ROLES, Network.objects.all())
    return list(networks.order_by("name").values_list("pk", "name"))


def network_names(ids) -> dict[int, str]:
    """Network id -> name, for showing a role scoped to a network."""
    return dict(Network.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
