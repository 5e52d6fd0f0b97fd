"""Checks shared by the services: third countries, the personal-data guard, member states."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ilonet.directory import selectors as directory
from ilonet.returns import selectors as returns
from ilonet.shared.personal_data_guard import ExtractionError, scan_text


def _third_country_errors(codes: Iterable[str], *, own_state: str | None) -> list[str]:
    """Why codes are not third countries a programme or flight can serve: unknown codes, the
    offering member state's own territory (its outermost regions included, Art. 349 TFEU), an
    EU member state or a Schengen-associated country (Art. 2(1))."""
    errors = []
    for code in codes:
        if not directory.is_known_country(code):
            errors.append(_("%(code)s is not a country code (ISO 3166-1).") % {"code": code})
        elif own_state and (code == own_state or directory.member_state_of_part(code) == own_state):
            errors.append(
                _("%(country)s is the territory of the member state itself, not a third country of return.")
                % {"country": directory.country_name(code)}
            )
        elif not directory.is_third_country(code):
            errors.append(str(directory.not_third_country_reason(code)))
    return errors


def check_third_countries(field: str, codes: Iterable[str], *, own_state: str | None) -> list[str]:
    codes = [c.strip().upper() for c in codes if c and c.strip()]
    if not codes:
        raise ValidationError({field: _("Name at least one third country.")})
    errors = _third_country_errors(codes, own_state=own_state)
    if errors:
        raise ValidationError({field: errors})
    return sorted(set(codes))


def check_member_state(field: str, code: str) -> str:
    code = (code or "").strip().upper()
    if not directory.is_member_state(code):
        raise ValidationError({field: _("%(code)s is not an EU member state.") % {"code": code or "–"}})
    return code


def check_member_states(field: str, codes: Iterable[str]) -> list[str]:
    found = sorted({(c or "").strip().upper() for c in codes if (c or "").strip()})
    wrong = [c for c in found if not directory.is_member_state(c)]
    if wrong:
        raise ValidationError({field: _("Not EU member states: %(codes)s.") % {"codes": ", ".join(wrong)}})
    return found


def no_personal_data(**fields: str) -> None:
    """RS 2(b): the cooperation is about places, seats and programmes, never about a returnee:
    free text with personal data is refused (the guard's report names the kind and a masked
    value, never the value)."""
    errors: dict[str, list[str]] = {}
    for name, text in fields.items():
        if not (text or "").strip():
            continue
        try:
            report = scan_text(text, name)
        except ExtractionError as error:
            errors[name] = [str(error.message)]
            continue
        if not report.clean:
            errors[name] = [_("Not saved: remove the personal data first."), *report.lines()]
    if errors:
        raise ValidationError(errors)


# A case reference of the requesting state's return case management (RS 2(c)): letters, digits
# and separators, never a name.
CASE_REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9./_-]{2,63}")


def case_reference_problem(member_state: str, reference: str) -> str | None:
    """A case reference of ``member_state`` (RS 2(b): the link carries the reference, never a
    person). A state that manages its return cases on the platform names one of its own cases
    (``ilonet.returns``); a state that keeps its own case system names its own reference, of
    which only the form is checked (letters, digits, separators: no name, no date of birth)."""
    if not CASE_REFERENCE.fullmatch(reference):
        return str(_("A case reference has 3 to 64 capital letters, digits and . / _ - (never a name)."))
    if returns.keeps_cases_here(member_state) and not returns.is_case_of(member_state, reference):
        return str(
            _("%(state)s manages its return cases here, and none of them has the reference %(reference)s.")
            % {"state": member_state.upper(), "reference": reference}
        )
    return None
