"""Helpers shared by the exchange's services: validation of records and of the metadata every
document carries (Art. 9(1), Art. 9(2), Art. 3(4))."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.shared.text import single_line_field_errors

from ..models import REFUSED_MARKINGS, Category, Language, Marking, Topic

A = policy.Action
MAX_TAGS = 20


def _clean_record(obj: Any, exclude: list[str] | None = None) -> None:
    """The model's own rules, and one line of plain text in every title and name."""
    errors = single_line_field_errors(obj)
    if errors:
        raise ValidationError(errors)
    obj.full_clean(exclude=exclude, validate_unique=False)


def _check_marking(marking: str) -> str:
    """Art. 9(1): no highly confidential operational law-enforcement information (nor EU
    classified information) is exchanged on the platform; such markings are refused."""
    if marking in REFUSED_MARKINGS:
        raise ValidationError(
            {
                "marking": _(
                    "%(marking)s may not be exchanged on this platform: no highly confidential "
                    "operational law-enforcement information is exchanged through it (Art. 9(1)). "
                    "Use your service's classified channels."
                )
                % {"marking": REFUSED_MARKINGS[marking]}
            }
        )
    if marking not in Marking.values:
        raise ValidationError({"marking": _("Choose a sensitivity marking.")})
    return marking


def _check_category(category: str) -> str:
    if category not in Category.values:
        raise ValidationError({"category": _("Choose what the document is (Art. 9(2)).")})
    return category


def _check_language(language: str) -> str:
    if language not in Language.values:
        raise ValidationError({"language": _("Choose the document's language.")})
    return language


def _check_topics(topics: Iterable[str]) -> list[str]:
    chosen = sorted(set(topics or ()))
    unknown = [t for t in chosen if t not in Topic.values]
    if unknown:
        raise ValidationError({"topics": _("Choose topics of Art. 3(4), (a) to (l).")})
    return chosen


def _clean_tags(tags: str | Iterable[str]) -> str:
    items = tags.split(",") if isinstance(tags, str) else list(tags or ())
    seen: dict[str, str] = {}
    for item in items:
        tag = " ".join(str(item).split())
        if tag:
            seen.setdefault(tag.lower(), tag[:40])
    if len(seen) > MAX_TAGS:
        raise ValidationError({"tags": _("Give at most %(count)s tags.") % {"count": MAX_TAGS}})
    return ", ".join(seen.values())


def _check_expiry(expires_on: date | None) -> date | None:
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError(
            {"expires_on": _("The date a document leaves the space must be in the future.")}
        )
    return expires_on


def _label(actor: Any) -> str:
    return getattr(actor, "email", "") or str(actor or "")
