"""The person of a return case: identity fields, validated, sealed with the person's own key.

The document (JSON, sealed whole with ``personaldata.vault.seal``)::

    {"names": [{"family": "Benali", "given": "Karim", "script": "latin"},
               {"family": "بنعلي", "given": "كريم", "script": "arabic"}],
     "birth_date": "1990-04-01", "birth_place": "Casablanca",
     "nationalities": ["MA"],
     "documents": [{"type": "passport", "number": "X1234567", "issuing_country": "MA",
                    "valid_until": "2030-01-31"}]}

At least one name with a family name; dates as ISO strings, not in the future; countries as
ISO 3166 codes the directory knows. Names are searchable only through keyed digests
(``vault.name_digests``), never stored in clear.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet.directory import selectors as directory
from ilonet.personaldata import vault
from ilonet.shared.text import single_line_problem

SCRIPTS = ("latin", "arabic", "cyrillic", "greek", "chinese", "devanagari", "other")
DOCUMENT_TYPES = ("passport", "identity_card", "residence_permit", "other")
FIELDS = ("names", "birth_date", "birth_place", "nationalities", "documents")
CONTEXT = "returns.identity"


def _text(
    value: Any, field: str, errors: dict[str, list[str]], *, required: bool = False, limit: int = 100
) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(field, []).append(_("At most %(n)s characters.") % {"n": limit})
    elif problem := single_line_problem(text):
        errors.setdefault(field, []).append(problem)
    return text


def _date(value: Any, field: str, errors: dict[str, list[str]], *, past: bool) -> str | None:
    if value in (None, ""):
        return None
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append(_("Give a date as YYYY-MM-DD."))
        return None
    if past and day > timezone.localdate():
        errors.setdefault(field, []).append(_("This date is in the future."))
    return day.isoformat()


def _country(value: Any, field: str, errors: dict[str, list[str]]) -> str:
    code = str(value or "").strip().upper()
    if not directory.is_known_country(code):
        errors.setdefault(field, []).append(_("Unknown country code: %(code)s.") % {"code": code or "—"})
    return code


def clean_identity(data: dict[str, Any] | None) -> dict[str, Any]:
    """The identity document, validated; a ``ValidationError`` naming each bad field."""
    data = dict(data or {})
    errors: dict[str, list[str]] = {}
    for unknown in sorted(set(data) - set(FIELDS)):
        errors.setdefault(unknown, []).append(_("Unknown identity field."))
    names = []
    for i, item in enumerate(data.get("names") or []):
        item = item if isinstance(item, dict) else {}
        script = str(item.get("script") or "latin")
        if script not in SCRIPTS:
            errors.setdefault(f"names.{i}.script", []).append(_("Choose one of the listed values."))
        names.append(
            {
                "family": _text(item.get("family"), f"names.{i}.family", errors, required=True),
                "given": _text(item.get("given"), f"names.{i}.given", errors),
                "script": script,
            }
        )
    if not names:
        errors.setdefault("names", []).append(_("Give at least one name."))
    documents = []
    for i, item in enumerate(data.get("documents") or []):
        item = item if isinstance(item, dict) else {}
        kind = str(item.get("type") or "")
        if kind not in DOCUMENT_TYPES:
            errors.setdefault(f"documents.{i}.type", []).append(_("Choose one of the listed values."))
        documents.append(
            {
                "type": kind,
                "number": _text(item.get("number"), f"documents.{i}.number", errors, required=True, limit=40),
                "issuing_country": _country(
                    item.get("issuing_country"), f"documents.{i}.issuing_country", errors
                ),
                "valid_until": _date(
                    item.get("valid_until"), f"documents.{i}.valid_until", errors, past=False
                ),
            }
        )
    cleaned = {
        "names": names,
        "birth_date": _date(data.get("birth_date"), "birth_date", errors, past=True),
        "birth_place": _text(data.get("birth_place"), "birth_place", errors),
        "nationalities": sorted(
            {_country(c, "nationalities", errors) for c in data.get("nationalities") or []}
        ),
        "documents": documents,
    }
    if errors:
        raise ValidationError(errors)
    return cleaned


def digests(identity: dict[str, Any], *, key: bytes | None = None) -> set[str]:
    """The blind index of every name (family, given, both), in every script. ``key``: the
    index key, when the caller has it (``vault.index_key``)."""
    found: set[str] = set()
    for name in identity.get("names", []):
        for value in (name.get("family", ""), f"{name.get('given', '')} {name.get('family', '')}"):
            found |= vault.name_digests(value, key=key)
    return found


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [f for f in FIELDS if before.get(f) != after.get(f)]


def seal(data_key: bytes, ref: str, identity: dict[str, Any]) -> str:
    return vault.seal(data_key, ref, identity, context=CONTEXT)


def seal_with(data_key: bytes, nonce: bytes, ref: str, identity: dict[str, Any]) -> str:
    """``seal`` with the nonce given (a bulk import's: ``interchange.persons.seal_people``)."""
    return vault.seal_with(data_key, nonce, ref, identity, context=CONTEXT)


def open_identity(ref: str, sealed: str) -> dict[str, Any]:
    """The identity in clear; ``vault.KeyDestroyed`` once erased."""
    if not sealed:
        raise vault.KeyDestroyed(ref)
    return vault.open_sealed(vault.load_key(ref), ref, sealed, context=CONTEXT)
