"""Helpers shared by the board's services."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from ilonet import policy
from ilonet.shared.text import single_line_field_errors

from ..models import (
    Motion,
    MotionChange,
)

A = policy.Action
T = TypeVar("T", bound=models.Model)


def _label(actor: Any) -> str:
    return getattr(actor, "email", "") or str(actor or "")


def _roles(user: Any) -> set[str]:
    return {role for role, _o, _r in policy.roles_of(user)}


def _clean(obj, exclude: list[str] | None = None) -> None:
    """Validate a record before it is saved: the model's own rules, and one line of plain text
    in every title, name and place (no line breaks or text-direction characters)."""
    obj.full_clean(exclude=exclude, validate_unique=False)
    errors = single_line_field_errors(obj)
    if errors:
        raise ValidationError(errors)


def _change(motion: Motion, kind: str, actor: Any, now: datetime, **details: Any) -> None:
    MotionChange.objects.create(
        motion=motion,
        kind=kind,
        at=now,
        by=actor if getattr(actor, "pk", None) else None,
        by_label=_label(actor) or "ILOnet",
        details=details,
    )


def _save_new(obj: T, *, exclude: list[str] | None = None) -> T:
    """Validate and save a new record (in the caller's transaction; the caller audits it)."""
    _clean(obj, exclude=exclude)
    obj.save()
    return obj
