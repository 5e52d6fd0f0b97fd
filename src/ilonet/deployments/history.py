"""The history of a deployment as people read it (Art. 4(1), Art. 4(2)).

A notification stores the fields that changed since the previous version under their machine
keys, with the values as stored (``{"status": ["planned", "active"], "start_date": [...]}``).
``describe_changes`` turns them into what a reader understands, in the active language: the
field's name (the model's verbose name), status and place labels from their choices, dates in
the display format, countries and organisations by name. The page, the API and any export use
this one function; the stored record is left as notified.

Contact details (Art. 9(2)(d)) are never in a notification: a change of them is noted by its
name only, and shown as "changed".
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ilonet.directory import selectors as directory

from .models import Deployment, DeploymentStatus, PlaceKind, RegionCountry, Representation

# The order in which changes are read: that of the detail page.
ORDER = (
    "status", "deploying_authority", "officer_name", "officer_id", "country", "city", "place_kind",
    "place_name", "region", "task_summary", "start_date", "planned_end_date", "end_date",
    "represented", "eu_funding_reference", "phone", "email",
)  # fmt: skip
DATE_FIELDS = frozenset({"start_date", "planned_end_date", "end_date"})
CONTACT_FIELDS = frozenset({"phone", "email"})


@dataclass(frozen=True)
class FieldChange:
    """One changed field of a notification: ``field`` is the stored key, ``label`` its name
    for people; ``before`` and ``after`` are readable text ("" when there was no value).
    ``only_changed`` marks a contact detail, whose values are never kept."""

    field: str
    label: str
    before: str
    after: str
    only_changed: bool = False


def field_label(field: str) -> str:
    """The name of a notified field in the active language (the model's verbose name)."""
    if field in ("officer_id", "officer_name"):
        field = "officer"
    if field == "region":
        return str(capfirst(RegionCountry._meta.verbose_name_plural))
    if field == "represented":
        return str(capfirst(Representation._meta.verbose_name_plural))
    try:
        return str(capfirst(Deployment._meta.get_field(field).verbose_name))
    except FieldDoesNotExist:  # a key of an older record: shown as stored rather than hidden
        return field


def _display_date(value: Any) -> str:
    if not value:
        return ""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_format(day, "DATE_FORMAT")


def _choice_label(choices: Any, value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _organisation_codes(changes: Iterable[Mapping[str, Any]]) -> set[str]:
    codes: set[str] = set()
    for change in changes:
        for key in ("deploying_authority", "represented"):
            pair = change.get(key)
            if not isinstance(pair, list | tuple):
                continue
            for value in pair:
                if key == "deploying_authority" and value:
                    codes.add(str(value))
                elif key == "represented" and isinstance(value, list):
                    codes.update(str(r.get("member_state", "")) for r in value if isinstance(r, dict))
    codes.discard("")
    return codes


def _humanise(field: str, value: Any, names: Mapping[str, str]) -> str:
    if value in (None, "", []):
        return ""
    if field == "status":
        return _choice_label(DeploymentStatus, value)
    if field == "place_kind":
        return _choice_label(PlaceKind, value)
    if field in DATE_FIELDS:
        return _display_date(value)
    if field == "country":
        return directory.country_name(str(value))
    if field == "region":
        return ", ".join(directory.country_names(str(code) for code in value))
    if field == "deploying_authority":
        return names.get(str(value), str(value))
    if field == "represented":
        parts = []
        for entry in value if isinstance(value, list) else []:
            code = str(entry.get("member_state", "")) if isinstance(entry, dict) else str(entry)
            name = names.get(code, code.upper())
            tasks = entry.get("tasks", "") if isinstance(entry, dict) else ""
            parts.append(f"{name}: {tasks}" if tasks else name)
        return "; ".join(parts)
    if field == "officer_id":
        return _("account %(number)s") % {"number": value}
    return str(value)


def _describe(changes: Mapping[str, Any], names: Mapping[str, str]) -> list[FieldChange]:
    keys = sorted(changes, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
    if "officer_name" in changes:
        keys = [k for k in keys if k != "officer_id"]  # the same change, by name
    result = []
    for key in keys:
        value = changes[key]
        if key in CONTACT_FIELDS or not isinstance(value, list | tuple) or len(value) != 2:
            result.append(FieldChange(key, field_label(key), "", "", only_changed=True))
            continue
        before, after = value
        result.append(
            FieldChange(key, field_label(key), _humanise(key, before, names), _humanise(key, after, names))
        )
    return result


def describe_many(changes: Iterable[Mapping[str, Any]]) -> list[list[FieldChange]]:
    """``describe_changes`` for several notifications (a page of history): organisations are
    named with one query for all of them."""
    changes = list(changes)
    codes = _organisation_codes(changes)
    names = directory.organisation_names(codes) if codes else {}
    return [_describe(change or {}, names) for change in changes]


def describe_changes(changes: Mapping[str, Any]) -> list[FieldChange]:
    """The changes of one notification, readable in the active language (see the module)."""
    return describe_many([changes])[0]


def with_readable_changes(notifications: Iterable[Any]) -> list[Any]:
    """The notifications, each with ``readable_changes`` (its ``describe_changes``), for a page."""
    notifications = list(notifications)
    for notification, readable in zip(
        notifications, describe_many(n.changes for n in notifications), strict=True
    ):
        notification.readable_changes = readable
    return notifications
