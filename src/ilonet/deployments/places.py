"""Where a deployment serves and for whom: the region of responsibility (Art. 9(2)(d)) and joint
representation of other member states (Art. 6(1), Art. 6(2)). Checks used by ``services``; each
adds its refusal to ``errors`` under the field's name."""

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from ilonet.directory import selectors as directory
from ilonet.directory.models import Organisation, OrganisationKind

from .selectors import country_problem

MAX_REGION_COUNTRIES = 60


def clean_region(country: str, region: Iterable[str], errors: dict[str, str]) -> list[str]:
    """Art. 9(2)(d): the region of responsibility is a set of third countries that includes
    the country of deployment."""
    codes: list[str] = []
    for raw in region or ():
        code = str(raw).strip().upper()
        if code and code not in codes:
            codes.append(code)
    for code in codes:
        problem = country_problem(code, what=_("Every country of the region of responsibility"))
        if problem:
            errors["region"] = problem
            break
    if len(codes) > MAX_REGION_COUNTRIES:
        errors["region"] = _("A region of responsibility has at most %(max)d countries.") % {
            "max": MAX_REGION_COUNTRIES
        }
    if country and country not in codes:
        codes.insert(0, country)
    return codes


def clean_representations(
    authority: Organisation, represented: Sequence[tuple[str, str]], errors: dict[str, str]
) -> list[tuple[Organisation, str]]:
    """Art. 6(1), Art. 6(2): a member state's officer may also represent other member states, with
    tasks divided between them. The Commission and the agencies do not deploy jointly."""
    if not represented:
        return []
    if authority.kind != OrganisationKind.NATIONAL_AUTHORITY or authority.member_state is None:
        errors["represented"] = _(
            "Only officers deployed by a member state can also represent other member states (Art. 6(1))."
        )
        return []
    own = authority.member_state
    states = {
        o.code: o
        for o in directory.participating_member_states().filter(
            code__in=[str(code).strip().lower() for code, _tasks in represented]
        )
    }
    result: list[tuple[Organisation, str]] = []
    seen: set[str] = set()
    for code, tasks in represented:
        key = str(code).strip().lower()
        state = states.get(key)
        if state is None:
            errors["represented"] = _(
                "“%(code)s” is not a member state taking part in Regulation (EU) 2019/1240."
            ) % {"code": code}
            return []
        if state.pk == own.pk:
            errors["represented"] = _(
                "The officer already represents %(state)s, the deploying member state."
            ) % {"state": state.name}
            return []
        if key in seen:
            continue
        seen.add(key)
        tasks = (tasks or "").strip()
        if len(tasks) > 2000:
            errors["represented"] = _("The tasks for one member state are at most 2000 characters.")
            return []
        result.append((state, tasks))
    return result
