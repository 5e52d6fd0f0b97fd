"""Members of networks, read from the registry for the networks app (Art. 5(1), Art. 5(2)):
plain rows and aggregates per country, never the tables."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, Count, F, Min, Q, QuerySet, Value
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


# Ids are written as ``ID_OFFSET + id``: text of one width (19 digits) that sorts as the id does,
# computed by the database itself (``LPad`` is a Python function on SQLite, called for every
# active deployment of the page's countries: most of the networks page's aggregate query).
ID_OFFSET = 10**18
ID_WIDTH = 19


def _seniority() -> Concat:
    """A text that sorts as (start date, id): its minimum names the longest-serving deployment
    of a group (earliest start, then earliest notified) without a window function."""
    return Concat(
        Cast("start_date", CharField()),
        Cast(Value(ID_OFFSET) + F("id"), CharField()),
        output_field=CharField(),
    )


def _senior_id(senior: str) -> int:
    return int(senior[-ID_WIDTH:]) - ID_OFFSET


def _aggregates(codes: list[str]) -> QuerySet:
    return (
        Deployment.objects.filter(status=DeploymentStatus.ACTIVE, country__in=codes)
        .order_by()
        .values("country", "deploying_authority__kind")
        .annotate(n=Count("id"), senior=Min(_seniority()))
        .values_list("country", "deploying_authority__kind", "n", "senior")
    )


def _first(ids: list[int]) -> QuerySet:
    return Deployment.objects.filter(pk__in=ids).order_by().values_list(*MEMBER_ROW_FIELDS)


def _of_officers(officers: list[int]) -> QuerySet:
    active = Deployment.objects.filter(status=DeploymentStatus.ACTIVE, officer_id__in=officers)
    return active.order_by().values_list(*MEMBER_ROW_FIELDS)


def _first_or_of_officers(ids: list[int], officers: list[int]) -> QuerySet:
    wanted = Q(pk__in=ids) | Q(status=DeploymentStatus.ACTIVE, officer_id__in=officers)
    return Deployment.objects.filter(wanted).order_by().values_list(*MEMBER_ROW_FIELDS)


# Unordered: the rows are looked up by id and officer (the model's ordering sorted them for nothing).
# Every list of networks (page and API) reads them: compiled once per number of countries, ids
# and officers (ilonet.shared.prepared); building them through the ORM cost more than running them.
_AGGREGATES = PreparedQuery(_aggregates, codes=["~sentinel-country-"])
_FIRST = PreparedQuery(_first, ids=[-424242])
_OF_OFFICERS = PreparedQuery(_of_officers, officers=[-434343])
_FIRST_OR_OF_OFFICERS = PreparedQuery(_first_or_of_officers, ids=[-424242], officers=[-434343])


def active_member_aggregates(
    *, countries: Iterable[str], first_of_kinds: Iterable[str], officers: Iterable[int]
) -> MemberAggregates:
    """Two queries whose rows are bounded by the number of countries and officers asked
    about, whatever the number of deployments. Unscoped: the caller authorised its use."""
    codes = sorted(set(countries))
    kinds = set(first_of_kinds)
    counts: dict[str, dict[str, int]] = {}
    first_ids: dict[int, tuple[str, str]] = {}
    for code, kind, n, senior in _AGGREGATES.rows(codes=codes) if codes else ():
        counts.setdefault(code, {})[kind] = n
        if kind in kinds and senior:
            first_ids[_senior_id(senior)] = (code, kind)
    officer_ids = sorted({o for o in officers if o})
    first: dict[tuple[str, str], dict] = {}
    of_officer: dict[int, dict] = {}
    if first_ids or officer_ids:
        if first_ids and officer_ids:
            found = _FIRST_OR_OF_OFFICERS.rows(ids=sorted(first_ids), officers=officer_ids)
        elif first_ids:
            found = _FIRST.rows(ids=sorted(first_ids))
        else:
            found = _OF_OFFICERS.rows(officers=officer_ids)
        for row in _member_rows(dict(zip(MEMBER_ROW_FIELDS, values, strict=True)) for values in found):
            if row["deployment_id"] in first_ids:
                first[first_ids[row["deployment_id"]]] = row
            if row["officer_id"] in officer_ids:
                of_officer[row["officer_id"]] = row
    return MemberAggregates(counts=counts, first=first, of_officer=of_officer)
