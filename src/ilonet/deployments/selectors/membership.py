"""Members of networks, read from the registry for the networks app (Art. 5(1), Art. 5(2)):
plain rows and aggregates per country, never the tables."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language

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


def active_member_aggregates(
    *, countries: Iterable[str], first_of_kinds: Iterable[str], officers: Iterable[int]
) -> MemberAggregates:
    """Three queries whose rows are bounded by the number of countries and officers asked
    about, whatever the number of deployments. Unscoped: the caller authorised its use."""
    codes = sorted(set(countries))
    kinds = sorted(set(first_of_kinds))
    active = Deployment.objects.filter(status=DeploymentStatus.ACTIVE, country__in=codes)
    counts: dict[str, dict[str, int]] = {}
    for code, kind, n in (
        active.order_by()
        .values("country", "deploying_authority__kind")
        .annotate(n=Count("id"))
        .values_list("country", "deploying_authority__kind", "n")
    ):
        counts.setdefault(code, {})[kind] = n
    first_rows = (
        active.filter(deploying_authority__kind__in=kinds)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("country"), F("deploying_authority__kind")],
                order_by=[F("start_date").asc(), F("id").asc()],
            )
        )
        .filter(rank=1)
        .values(*MEMBER_ROW_FIELDS)
    )
    first = {(row["country"], row["authority_kind"]): row for row in _member_rows(first_rows)}
    officer_ids = sorted({o for o in officers if o})
    of_officer = {}
    if officer_ids:
        rows = Deployment.objects.filter(status=DeploymentStatus.ACTIVE, officer_id__in=officer_ids)
        of_officer = {row["officer_id"]: row for row in _member_rows(rows.values(*MEMBER_ROW_FIELDS))}
    return MemberAggregates(counts=counts, first=first, of_officer=of_officer)
