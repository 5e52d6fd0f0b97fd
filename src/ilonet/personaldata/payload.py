"""The personal fields of a record: checked, then sealed as one document (``vault.seal``).

Bad input is refused with the reason, per field: a date of birth in the future, an unknown
nationality, a list of passengers outside a passenger list (Art. 10(3)(b)), the content about
criminal networks outside category (e) (Art. 10(3)(e)).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ilonet.shared.text import single_line_problem

from .law import SMUGGLING_FIELDS, Category, Field

SCRIPTS = ("latin", "arabic", "cyrillic", "greek", "chinese", "devanagari", "ethiopic", "other")
DOCUMENT_KINDS = ("passport", "identity_card", "birth_certificate", "travel_document", "other")
MAX_TEXT = 4000
MAX_ITEMS = 500


def _text(value: Any, field: str, errors: dict, *, single_line: bool = True, limit: int = 200) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        errors[field] = _("At most %(limit)d characters.") % {"limit": limit}
        return ""
    if single_line and text:
        problem = single_line_problem(text)
        if problem:
            errors[field] = problem
            return ""
    return text


def _country(value: Any, field: str, errors: dict) -> str:
    code = str(value or "").strip().upper()
    # ``alpha2`` looks the code up in the list as configured (overrides included): the same
    # answer as ``code in dict(countries)`` without building and sorting the list each time (it
    # was half the time of a record's preparation); a three-letter or numeric code is refused.
    if code and countries.alpha2(code) != code:
        errors[field] = _("Unknown country or nationality: choose one from the list (ISO 3166).")
        return ""
    return code


def clean_payload(category: str, data: dict[str, Any]) -> dict[str, Any]:
    """The checked document to seal, or a ``ValidationError`` naming each wrong field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    names = []
    for index, item in enumerate(data.get("names") or []):
        family = _text(item.get("family"), f"names.{index}.family", errors)
        given = _text(item.get("given"), f"names.{index}.given", errors)
        script = str(item.get("script") or "latin")
        if script not in SCRIPTS:
            errors[f"names.{index}.script"] = _("Unknown script.")
        if family or given:
            names.append({"script": script, "family": family, "given": given})
    out[Field.NAMES] = names[:20]

    birth = data.get("birth_date")
    if birth:
        try:
            born = birth if isinstance(birth, date) else date.fromisoformat(str(birth))
        except ValueError:
            errors["birth_date"] = _("Give the date of birth as a date (YYYY-MM-DD).")
        else:
            if born > timezone.localdate():
                errors["birth_date"] = _("A date of birth cannot be in the future.")
            elif born.year < 1900:
                errors["birth_date"] = _("A date of birth before 1900 is not plausible.")
            else:
                out[Field.BIRTH_DATE] = born.isoformat()
    out[Field.BIRTH_PLACE] = _text(data.get("birth_place"), "birth_place", errors)
    out[Field.NATIONALITY] = _country(data.get("nationality"), "nationality", errors)

    documents = []
    for index, item in enumerate((data.get("documents") or [])[:20]):
        kind = str(item.get("kind") or "passport")
        if kind not in DOCUMENT_KINDS:
            errors[f"documents.{index}.kind"] = _("Unknown kind of document.")
        number = _text(item.get("number"), f"documents.{index}.number", errors, limit=60)
        issuer = _country(item.get("country"), f"documents.{index}.country", errors)
        if number:
            documents.append({"kind": kind, "number": number, "country": issuer})
    out[Field.DOCUMENTS] = documents

    passengers = []
    for index, item in enumerate((data.get("passengers") or [])[:MAX_ITEMS]):
        name = _text(item.get("name"), f"passengers.{index}.name", errors)
        document = _text(item.get("document"), f"passengers.{index}.document", errors, limit=60)
        if name:
            passengers.append({"name": name, "document": document})
    if passengers and category != Category.PASSENGER_LIST:
        errors["passengers"] = _("A list of passengers belongs to a record of category (b) (Art. 10(3)(b)).")
    out[Field.PASSENGERS] = passengers

    for field in SMUGGLING_FIELDS:
        text = _text(data.get(field), str(field), errors, single_line=False, limit=MAX_TEXT)
        if text and category != Category.SMUGGLING:
            errors[str(field)] = _(
                "Data on criminal networks, transport, intermediaries and financial flows belongs to "
                "category (e), for the purpose of Art. 3(6)(d) only (Art. 10(3) last paragraph)."
            )
        out[field] = text

    if category == Category.PASSENGER_LIST:
        if not passengers:
            errors["passengers"] = _("A passenger list names at least one passenger (Art. 10(3)(b)).")
    elif not any(name["family"] for name in names):
        errors["names"] = _("Give the data subject's family name.")
    if errors:
        raise ValidationError(errors)
    return out


def searchable_names(payload: dict[str, Any]) -> list[str]:
    """The names the blind index is built from: every script of the subject, every passenger."""
    names = [f"{n['given']} {n['family']}".strip() for n in payload.get(Field.NAMES, [])]
    names += [n["family"] for n in payload.get(Field.NAMES, []) if n["family"]]
    names += [p["name"] for p in payload.get(Field.PASSENGERS, [])]
    return names


def fields_present(payload: dict[str, Any], files: list[str]) -> list[str]:
    """The names of the fields that hold something (what a share or transfer can choose from)."""
    present = [key for key, value in payload.items() if value]
    return present + [kind for kind in files if kind not in present]


def only(payload: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if key in fields}
