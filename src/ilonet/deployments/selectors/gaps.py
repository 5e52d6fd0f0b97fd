"""Deployment gaps (Art. 8(2)(e)): coverage of every third country against the priority
countries, from aggregates of the registry."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django_countries import countries

from ilonet import policy
from ilonet.directory import selectors as directory
from ilonet.directory.models import OrganisationKind
from ilonet.shared.aggregates import DistinctConcat, split_codes

from .. import geo
from ..models import Deployment, DeploymentStatus, RegionCountry, Representation


class Coverage:
    """The coverage level of a third country, each shown with its own CSS class on the map."""

    COVERED = "covered"
    PRIORITY_COVERED = "priority_covered"
    PRIORITY_GAP = "priority_gap"
    NOT_COVERED = "not_covered"
    ALL = (PRIORITY_GAP, PRIORITY_COVERED, COVERED, NOT_COVERED)


@dataclass
class GapRow:
    """Per third country: who covers it, and whether it is a priority (Art. 8(2)(e))."""

    country: str
    name: str
    continent: str
    officers: int = 0
    resident_officers: int = 0
    member_states: list[str] = field(default_factory=list)
    eu_bodies: list[str] = field(default_factory=list)
    priority_by: list[str] = field(default_factory=list)

    @property
    def is_priority(self) -> bool:
        return bool(self.priority_by)

    @property
    def level(self) -> str:
        if self.is_priority:
            return Coverage.PRIORITY_COVERED if self.officers else Coverage.PRIORITY_GAP
        return Coverage.COVERED if self.officers else Coverage.NOT_COVERED


def gap_analysis(
    *,
    user,
    on: date | None = None,
    continent: str | None = None,
    priority: bool | None = None,
    level: str | None = None,
    search: str | None = None,
) -> list[GapRow]:
    """Deployment gaps (Art. 8(2)(e)): for every third country, the officers and member
    states that cover it (deployed there, or with it in their region of responsibility),
    compared with the priority countries set by the board or the return coordinator.

    Three queries of one row per country (aggregates), whatever the size of the registry.
    Empty for a user without the right."""
    if not policy.can(user, policy.Action.VIEW_DEPLOYMENT_GAPS):
        return []
    day = on or timezone.localdate()
    under_way = Deployment.objects.filter(
        status__in=(DeploymentStatus.ACTIVE, DeploymentStatus.ENDED), start_date__lte=day
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    national = Q(deployment__deploying_authority__kind=OrganisationKind.NATIONAL_AUTHORITY) & Q(
        deployment__deploying_authority__parent__isnull=False
    )
    # One row per covered country, however many deployments cover it: officers (deployed
    # there, or with it in their region), residents, member states and EU bodies.
    covered = {
        row["country"]: row
        for row in RegionCountry.objects.filter(deployment__in=under_way)
        .values("country")
        .annotate(
            officers=Count("deployment__officer", distinct=True),
            residents=Count(
                Case(When(deployment__country=F("country"), then="deployment__officer")), distinct=True
            ),
            states=DistinctConcat(
                Case(
                    When(national, then="deployment__deploying_authority__parent__code"),
                    output_field=CharField(),
                )
            ),
            bodies=DistinctConcat(
                Case(
                    When(national, then=Value(None)),
                    default=Coalesce(
                        NullIf("deployment__deploying_authority__acronym", Value("")),
                        "deployment__deploying_authority__code",
                        output_field=CharField(),
                    ),
                    output_field=CharField(),
                )
            ),
        )
        .order_by()
    }
    # The member states a joint deployment also represents (Art. 6(1)) cover its region too.
    represented = dict(
        Representation.objects.filter(deployment__in=under_way)
        .values("deployment__region__country")
        .annotate(states=DistinctConcat("member_state__code"))
        .order_by()
        .values_list("deployment__region__country", "states")
    )
    priorities = directory.priorities_on(on=day)
    wanted_continent = geo.countries_in(continent) if continent else None
    needle = (search or "").strip().lower()
    result = []
    for code in directory.deployable_third_countries():
        if wanted_continent is not None and code not in wanted_continent:
            continue
        cover = covered.get(code) or {}
        row = GapRow(
            country=code,
            name=str(countries.name(code)),
            continent=geo.continent_of(code),
            officers=cover.get("officers", 0),
            resident_officers=cover.get("residents", 0),
            member_states=sorted(
                {c.upper() for c in split_codes(cover.get("states")) + split_codes(represented.get(code))}
            ),
            eu_bodies=split_codes(cover.get("bodies")),
            priority_by=priorities.get(code, []),
        )
        if priority is not None and row.is_priority != priority:
            continue
        if level and row.level != level:
            continue
        if needle and needle not in row.name.lower() and needle != code.lower():
            continue
        result.append(row)
    order = {lvl: i for i, lvl in enumerate(Coverage.ALL)}
    result.sort(key=lambda r: (order[r.level], r.name))
    return result
