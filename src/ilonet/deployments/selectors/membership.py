"""Members of networks, read from the registry for the networks app (Art. 5(1), Art. 5(2)):
plain rows and aggregates per country, never the tables."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BigIntegerField, CharField, Count, ExpressionWrapper, F, Min, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import get_language

from ilonet.shared.prepared import PreparedQuery

from ..models import Deployment, DeploymentStatus

MEMBER_ROW_FIELDS = (
    "id",
    "officer_id",
    "officer__first_name",
    "officer__last_name",
    "officer__email",
    "country",
    "start_date",
    "deploying_authority__kind",
    "deploying_authority__acronym",
    "deploying_authority__name_en",
    "deploying_authority__name_nl",
    "deploying_authority__code",
)


def _member_rows(rows: Iterable[dict]) -> list[dict]:
    dutch = (get_language() or "en")[:2] == "nl"
    result = []
    for row in rows:
        name = f"{row['officer__first_name']} {row['officer__last_name']}".strip() or row["officer__email"]
        authority = (
            row["deploying_authority__acronym"]
            or ((dutch and row["deploying_authority__name_nl"]) or row["deploying_authority__name_en"])
            or row["deploying_authority__code"]
        )
        result.append(
            {
                "deployment_id": row["id"],
                "officer_id": row["officer_id"],
                "name": name,
                "country": row["country"],
                "start_date": row["start_date"],
                "authority_kind": row["deploying_authority__kind"],
                "authority_name": authority,
            }
        )
    return result


def active_member_rows(*, countries: Iterable[str]) -> list[dict]:
    """Active deployments in ``countries`` as plain rows (no model instances): the members of
    networks (Art. 5(1)) for one network's page, read in one query."""
    rows = (
        Deployment.objects.filter(status=DeploymentStatus.ACTIVE, country__in=sorted(set(countries)))
        .order_by("start_date", "id")
        .values(*MEMBER_ROW_FIELDS)
    )
    return _member_rows(rows)


@dataclass(frozen=True)
class MemberAggregates:
    """The active deployments of some countries, summarised without reading them all (for a
    page of networks, Art. 5(1), Art. 5(2)): ``counts[country][authority kind]``, the
    longest-serving deployment (earliest start, then earliest notified) per country of each
    kind in ``first_of_kinds``, and the active deployment of each officer asked about. An
    officer's deployments never overlap (Art. 4(1), ``services._check_overlap``), so counting
    active deployments counts officers."""

    counts: dict[str, dict[str, int]]
    first: dict[tuple[str, str], dict]
    of_officer: dict[int, dict]


# Added to an id, it gives 19 digits for every id below 8 * 10**18: the text sorts as the id.
SENIORITY_OFFSET = 10**18


def _seniority() -> Concat:
    """A text that sorts as (start date, id): its minimum names the longest-serving deployment
    of a group (earliest start, then earliest notified) without a window function. The id is
    written as ``SENIORITY_OFFSET + id`` by the database itself (SQLite has no LPAD: Django's
    is a Python function called for every active deployment of the page's countries)."""
    return Concat(
        Cast("start_date", CharField()),
        Cast(
            ExpressionWrapper(F("id") + Value(SENIORITY_OFFSET), output_field=BigIntegerField()),
            CharField(),
        ),
        output_field=CharField(),
    )


def _seniority_id(senior: str) -> int:
    return int(senior[-19:]) - SENIORITY_OFFSET


def _aggregates(codes: list[str]) -> QuerySet:
    return (
        Deployment.objects.filter(status=DeploymentStatus.ACTIVE, country__in=codes)
        .order_by()
        .values("country", "deploying_authority__kind")
        .annotate(n=Count("id"), senior=Min(_seniority()))
        .values_list("country", "deploying_authority__kind", "n", "senior")
    )


def _first(ids: list[int]) -> QuerySet:
    return Deployment.objects.filter(pk__in=ids).values_list(*MEMBER_ROW_FIELDS)


def _of_officers(officers: list[int]) -> QuerySet:
    active = Deployment.objects.filter(status=DeploymentStatus.ACTIVE, officer_id__in=officers)
    return active.values_list(*MEMBER_ROW_FIELDS)


def _first_or_of_officers(ids: list[int], officers: list[int]) -> QuerySet:
    wanted = Q(pk__in=ids) | Q(status=DeploymentStatus.ACTIVE, officer_id__in=officers)
    return Deployment.objects.filter(wanted).values_list(*MEMBER_ROW_FIELDS)


# Every list of networks (page and API) reads them: compiled once per number of countries, ids
# and officers (ilonet.shared.prepared); building them through the ORM cost more than running them.
_AGGREGATES = PreparedQuery(_aggregates, codes=["~sentinel-country-"])
_FIRST = PreparedQuery(_first, ids=[-424242])
_OF_OFFICERS = PreparedQuery(_of_officers, officers=[-434343])
_FIRST_OR_OF_OFFICERS = PreparedQuery(_first_or_of_officers, ids=[-424242], officers=[-434343])


def active_member_counts(
    *, countries: Iterable[str]
) -> tuple[dict[str, dict[str, int]], dict[tuple[str, str], int]]:
    """One query whose rows are bounded by the number of countries: ``counts[country][authority
    kind]`` of the active deployments, and per (country, kind) the id of the longest-serving one
    (earliest start, then earliest notified). Unscoped: the caller authorised its use."""
    codes = sorted(set(countries))
    counts: dict[str, dict[str, int]] = {}
    senior: dict[tuple[str, str], int] = {}
    for code, kind, n, seniority in _AGGREGATES.rows(codes=codes) if codes else ():
        counts.setdefault(code, {})[kind] = n
        if seniority:
            senior[(code, kind)] = _seniority_id(seniority)
    return counts, senior


def member_rows_of(
    *, deployments: Iterable[int], officers: Iterable[int]
) -> tuple[dict[int, dict], dict[int, dict]]:
    """The member rows (``active_member_rows``'s shape) of these deployments, by id, and of the
    active deployment of each of these officers, by officer: at most one query. Unscoped."""
    ids = sorted(set(deployments))
    officer_ids = sorted({o for o in officers if o})
    if ids and officer_ids:
        found = _FIRST_OR_OF_OFFICERS.rows(ids=ids, officers=officer_ids)
    elif ids:
        found = _FIRST.rows(ids=ids)
    elif officer_ids:
        found = _OF_OFFICERS.rows(officers=officer_ids)
    else:
        return {}, {}
    wanted_ids, wanted_officers = set(ids), set(officer_ids)
    by_id: dict[int, dict] = {}
    of_officer: dict[int, dict] = {}
    for row in _member_rows(dict(zip(MEMBER_ROW_FIELDS, values, strict=True)) for values in found):
        if row["deployment_id"] in wanted_ids:
            by_id[row["deployment_id"]] = row
        if row["officer_id"] in wanted_officers:
            of_officer[row["officer_id"]] = row
    return by_id, of_officer


def active_member_aggregates(
    *, countries: Iterable[str], first_of_kinds: Iterable[str], officers: Iterable[int]
) -> MemberAggregates:
    """Two queries whose rows are bounded by the number of countries and officers asked
    about, whatever the number of deployments. Unscoped: the caller authorised its use."""
    counts, senior = active_member_counts(countries=countries)
    kinds = set(first_of_kinds)
    first_ids = {pk: key for key, pk in senior.items() if key[1] in kinds}
    by_id, of_officer = member_rows_of(deployments=first_ids, officers=officers)
    first = {first_ids[pk]: row for pk, row in by_id.items()}
    return MemberAggregates(counts=counts, first=first, of_officer=of_officer)
