"""Read-side functions of the directory. Other apps use these, not the tables."""

from django.db.models import Q, QuerySet

from ilonet import policy

from . import reference
from .models import Organisation, OrganisationKind


def is_member_state(country_code: str) -> bool:
    return country_code.upper() in reference.EU_MEMBER_STATES


def is_schengen_associated(country_code: str) -> bool:
    return country_code.upper() in reference.SCHENGEN_ASSOCIATED


def is_third_country(country_code: str) -> bool:
    """A country outside the EU and the Schengen area: where ILOs are deployed (Art. 2(1))."""
    code = country_code.upper()
    return not (is_member_state(code) or is_schengen_associated(code))


def participating_member_states() -> QuerySet[Organisation]:
    """Member states that take part in Reg. 2019/1240 (Denmark not, recital 31)."""
    return Organisation.objects.filter(
        kind=OrganisationKind.MEMBER_STATE, takes_part_in_ilo_regulation=True, is_active=True
    )


def schengen_associated_countries() -> QuerySet[Organisation]:
    """Non-voting steering board members (Art. 7(3))."""
    return Organisation.objects.filter(
        kind=OrganisationKind.SCHENGEN_ASSOCIATED, is_active=True
    )


def get_by_code(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def organisation_list(
    *, user, kind: str | None = None, search: str | None = None
) -> QuerySet[Organisation]:
    """Organisations the user may see, filtered; permission applies at the queryset."""
    qs = policy.scope(user, policy.Action.VIEW_DIRECTORY, Organisation.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        search = search.strip()
        qs = qs.filter(
            Q(name_en__icontains=search)
            | Q(name_nl__icontains=search)
            | Q(acronym__icontains=search)
            | Q(code__iexact=search)
            | Q(country__iexact=search)
        )
    return qs.select_related("parent").order_by("kind", "code")
