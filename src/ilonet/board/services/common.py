"""Helpers shared by the board's services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ilonet import policy

from ..models import (
    Motion,
    MotionChange,
)

A = policy.Action


def _label(actor: Any) -> str:
    return getattr(actor, "email", "") or str(actor or "")


def _roles(user: Any) -> set[str]:
    return {role for role, _o, _r in policy.roles_of(user)}


def _clean(obj, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False)


def _change(motion: Motion, kind: str, actor: Any, now: datetime, **details: Any) -> None:
    MotionChange.objects.create(
        motion=motion,
        kind=kind,
        at=now,
        by=actor if getattr(actor, "pk", None) else None,
        by_label=_label(actor) or "ILOnet",
        details=details,
    )


def user_by_email(email: str):
    """An active account by e-mail, or a translated field error."""
    user = (
        get_user_model()._default_manager.filter(email__iexact=(email or "").strip(), is_active=True).first()
    )
    if user is None:
        raise ValidationError({"email": _("No active account has this e-mail address.")})
    return user
