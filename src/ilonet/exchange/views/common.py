"""Helpers of the exchange's pages: lookups that answer 404 for what the user may not open (a
guessed id tells nothing, Art. 9(4)), and the refusals of an upload with their statuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404

from ilonet import policy
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.uploads import UploadRefused

from .. import access, selectors
from ..services.guard import PersonalDataFound

A = policy.Action


def exchange_view(view: Callable) -> Callable:
    """Signed in, and a reader of the exchange at all (else 403 with the reason)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        policy.authorize(request.user, A.VIEW_EXCHANGE)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    wrapped.__wrapped__ = view  # type: ignore[attr-defined]
    return wrapped


def found(fn: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def apply_upload_error(request, form, error: ValidationError, target: Any) -> int:
    """Show a refusal on the form; the HTTP status to answer with. After a personal-data
    refusal, a user the board authorised is offered the override (Art. 9(3))."""
    if isinstance(error, PersonalDataFound) and policy.can(request.user, A.OVERRIDE_GUARD, target):
        form.offer(error.report.findings)
    apply_validation_error(form, error)
    return error.status if isinstance(error, UploadRefused | PersonalDataFound) else 422


def may_override(user) -> bool:
    return access.may_override(user)


def space_context(request, space) -> dict:
    user = request.user
    return {
        "space": space,
        "may_view_space": policy.can(user, A.VIEW_EXCHANGE, space),
        "may_contribute": policy.can(user, A.CONTRIBUTE_TO_EXCHANGE, space),
        "may_manage": policy.can(user, A.MANAGE_SPACE, space),
        "may_open": policy.can(user, A.OPEN_TO_PARLIAMENT),
    }


__all__ = ["A", "apply_upload_error", "exchange_view", "found", "selectors", "space_context"]
