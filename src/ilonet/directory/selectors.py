"""Read-side functions of the directory. Other apps use these, not the tables."""

import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache, partial

from django.conf import settings
from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django_countries import countries

from ilonet import policy

from . import reference
from .models import Organisation, OrganisationKind, ParticipationChange, PriorityCountry


def is_known_country(country_code: str) -> bool:
    """An ISO 3166-1 alpha-2 code that django-countries knows (upper case)."""
    return bool(country_code) and country_code == country_code.upper() and country_code in countries


# Lists show the member states first, then the EU bodies, then the rest.
KIND_ORDER = Case(
    *[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(OrganisationKind.values)],
    output_field=IntegerField(),
)


def is_member_state(country_code: str) -> bool:
    return country_code.upper() in reference.EU_MEMBER_STATES


def eu_member_state_codes() -> frozenset[str]:
    """The codes of the EU's member states (ISO 3166-1, Greece GR), participating or not."""
    return frozenset(reference.EU_MEMBER_STATES)


def is_schengen_associated(country_code: str) -> bool:
    return country_code.upper() in reference.SCHENGEN_ASSOCIATED


display_code = reference.display_code


def member_state_of_part(country_code: str) -> str | None:
    """The member state an ISO-coded territory is part of (an outermost region, Art. 349 TFEU,
    or the Åland Islands, Art. 355(4) TFEU), else None."""
    return reference.PARTS_OF_MEMBER_STATES.get(country_code.upper())


def is_third_country(country_code: str) -> bool:
    """A country outside the EU and the Schengen area: where ILOs are deployed (Art. 2(1)).
    Territories that are part of a member state and of the Union are not (Art. 349 TFEU)."""
    code = country_code.upper()
    return not (is_member_state(code) or is_schengen_associated(code) or member_state_of_part(code))


def not_third_country_reason(country_code: str) -> str:
    """Why a code is not a third country, in the active language (Art. 2(1))."""
    code = country_code.upper()
    state = member_state_of_part(code)
    if state and code in reference.OUTERMOST_REGIONS:
        return _("%(country)s is an outermost region of %(state)s and part of the EU (Art. 349 TFEU).") % {
            "country": countries.name(code), "state": countries.name(state)}  # fmt: skip
    if state:
        return _("%(country)s is part of %(state)s and of the EU (Art. 355(4) TFEU).") % {
            "country": countries.name(code), "state": countries.name(state)}  # fmt: skip
    if is_member_state(code):
        return _("%(country)s is an EU member state.") % {"country": countries.name(code)}
    return _("%(country)s is a Schengen-associated country.") % {"country": countries.name(code)}


@lru_cache(maxsize=8)
def _country_names(language: str) -> dict[str, str]:
    # Translating a name costs a gettext call and django-countries' lookups: once per process
    # and language, not once per table cell.
    with override(language):
        return {code: str(name) for code, name in countries}


def _name_in(names: dict[str, str], country_code: str) -> str:
    code = str(country_code or "")
    found = names.get(code)
    return found if found is not None else (str(countries.name(code)) or code)


def country_name(country_code: str) -> str:
    """The country's name in the active language, or the code if unknown."""
    return _name_in(_country_names(get_language() or settings.LANGUAGE_CODE), country_code)


def country_names(codes: Iterable[str]) -> list[str]:
    """Names of countries in the active language, sorted by name (e.g. a region of
    responsibility, Art. 9(2)(d))."""
    return sorted((country_name(code) for code in codes), key=_name_key)


def country_namer() -> Callable[[str], str]:
    """``country_name`` bound to the active language, for a table that names a country per row
    (the language looked up once, not once per cell)."""
    return partial(_name_in, _country_names(get_language() or settings.LANGUAGE_CODE))


def countries_text(codes: Iterable[str]) -> str:
    """``", ".join(country_names(codes))``: a region of responsibility as a table shows it, kept
    per language and list of codes (a page of fifty rows names the same regions again)."""
    return _countries_text(get_language() or settings.LANGUAGE_CODE, tuple(codes))


@lru_cache(maxsize=4096)
def _countries_text(language: str, codes: tuple[str, ...]) -> str:
    with override(language):
        return ", ".join(country_names(codes))


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    # Sort "Åland" with the A and "Česko" with the C, as people read them.
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def sorted_by_name(organisations: Iterable[Organisation], *, by_kind: bool = False) -> list[Organisation]:
    """Organisations sorted by their name in the active language (not by ISO code), optionally
    grouped by kind first (member states, then EU bodies, then the rest)."""
    rank = {kind: i for i, kind in enumerate(OrganisationKind.values)}
    if by_kind:
        return sorted(organisations, key=lambda o: (rank.get(o.kind, len(rank)), _name_key(o.name)))
    return sorted(organisations, key=lambda o: _name_key(o.name))


def deployable_third_countries() -> list[str]:
    """ISO codes of the third countries where liaison officers can be deployed (Art. 2(2)):
    every country outside the EU and Schengen area, less uninhabited territories."""
    return [
        code for code, _name in countries if is_third_country(code) and code not in reference.NON_DEPLOYABLE
    ]


def with_participation(queryset: QuerySet[Organisation], *, on: date | None = None) -> QuerySet[Organisation]:
    """Annotate ``participates``: the participation on a day (today by default), from the
    latest change effective by then, else the organisation's flag (recital 31, 33)."""
    day = on or timezone.localdate()
    latest = (
        ParticipationChange.objects.filter(organisation=OuterRef("pk"), effective_from__lte=day)
        .order_by("-effective_from")
        .values("takes_part")[:1]
    )
    return queryset.annotate(participates=Coalesce(Subquery(latest), "takes_part_in_ilo_regulation"))


def takes_part_on(organisation: Organisation, *, on: date | None = None) -> bool:
    """Whether a member state takes part in Reg. 2019/1240 on a day (recital 31, 33)."""
    return bool(
        with_participation(Organisation.objects.filter(pk=organisation.pk), on=on)
        .values_list("participates", flat=True)  # type: ignore[misc]  # annotated above
        .first()
    )


def participation_changes(organisation: Organisation) -> QuerySet[ParticipationChange]:
    return ParticipationChange.objects.filter(organisation=organisation).order_by("effective_from")


def participating_member_states(*, on: date | None = None) -> QuerySet[Organisation]:
    """Member states that take part in Reg. 2019/1240 on a day, today by default (Denmark
    not, unless it opts in: recital 31)."""
    return with_participation(
        Organisation.objects.filter(kind=OrganisationKind.MEMBER_STATE, is_active=True), on=on
    ).filter(participates=True)  # type: ignore[misc]  # annotated by with_participation


def schengen_associated_countries() -> QuerySet[Organisation]:
    """Non-voting steering board members (Art. 7(3))."""
    return Organisation.objects.filter(kind=OrganisationKind.SCHENGEN_ASSOCIATED, is_active=True)


def get_by_code(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def organisation_names(codes: Iterable[str]) -> dict[str, str]:
    """Directory code -> the organisation's name in the active language (one query), for
    records that keep codes, such as the history of a deployment."""
    return {org.code: org.name for org in Organisation.objects.filter(code__in=sorted(set(codes)))}


def organisation_list(*, user, kind: str | None = None, search: str | None = None) -> QuerySet[Organisation]:
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
    return with_participation(qs.select_related("parent")).order_by(KIND_ORDER, "code")


def priority_country_list(
    *,
    user,
    on: date | None = None,
    set_by: str | None = None,
    country: str | None = None,
) -> QuerySet[PriorityCountry]:
    """Priority third countries the user may see (Art. 8(2)(e); RS 1), optionally only those
    in force on a day."""
    qs = policy.scope(user, policy.Action.VIEW_PRIORITY_COUNTRIES, PriorityCountry.objects.all())
    if on is not None:
        qs = qs.filter(period_start__lte=on).filter(Q(period_end__isnull=True) | Q(period_end__gte=on))
    if set_by:
        qs = qs.filter(set_by=set_by)
    if country:
        qs = qs.filter(country=country.strip().upper())
    return qs.select_related("created_by").order_by("-period_start", "country", "pk")


def priorities_on(*, on: date) -> dict[str, list[str]]:
    """Country code -> the bodies (``PrioritySetter`` values) for which it is a priority on a
    day (Art. 8(2)(e); RS 1). Unscoped: callers authorise their own use (the gap analysis)."""
    result: dict[str, list[str]] = {}
    rows = (
        PriorityCountry.objects.filter(period_start__lte=on)
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=on))
        .order_by("country", "set_by")
        .values_list("country", "set_by")
    )
    for code, set_by in rows:
        bodies = result.setdefault(code, [])
        if set_by not in bodies:
            bodies.append(set_by)
    return result


def member_state_codes(organisation_ids: Iterable[int]) -> set[str]:
    """ISO codes of the member states (or associated countries) the organisations are, or
    belong to: the scope of a role such as a member state's return officer (RS 2(c))."""
    found: set[str] = set()
    for org in Organisation.objects.filter(pk__in=sorted(set(organisation_ids))).select_related("parent"):
        state = org.member_state
        if state is not None and state.country:
            found.add(state.country.code)
    return found
