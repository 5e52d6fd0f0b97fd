"""Who works on which personal data: the controller a user acts for, and the purposes of
Art. 3(6) assigned to them. Cached per request with the user's roles (``policy.request_cache``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from ilonet import policy

from .models import PurposeAssignment


def controller_id(user: Any) -> int:
    """The controller a user acts for: the member state of their organisation, or the
    organisation itself (the Commission, an EU agency). Every account belongs to an
    organisation; 0 (no controller, no record) for anything else."""

    def compute() -> int:
        organisation = getattr(user, "organisation", None)
        if organisation is None:
            return 0
        state = organisation.member_state
        return int((state or organisation).pk)

    return policy.request_cache(user, "personaldata.controller", compute)


def purposes_of(user: Any) -> frozenset[str]:
    """The purposes assigned to the user now (not revoked, not past their end)."""

    def compute() -> frozenset[str]:
        today = timezone.localdate()
        rows = PurposeAssignment.objects.filter(user=user, revoked_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        return frozenset(rows.values_list("purpose", flat=True))

    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return policy.request_cache(user, "personaldata.purposes", compute)


def log_read(
    user: Any,
    *,
    obj: Any,
    controller: int,
    subject: str,
    fields: list[str],
    purpose: str,
    via: str,
    **more: Any,
) -> None:
    """Write one entry of the access log of personal data (``personaldata.record_read``, the data
    protection officer's log): who read which subject's fields, for which purpose, through which
    page or API. For the personal data other apps hold (a return case's person, RS 2(c)); the
    details name the subject by its opaque reference only. Called in the reader's transaction."""
    from ilonet.audit import services as audit
    from ilonet.audit.actions import AuditAction

    audit.record(
        action=AuditAction.PERSONAL_RECORD_READ,
        actor=user,
        obj=obj,
        details={
            "controller": controller,
            "record": subject,
            "fields": fields,
            "purpose": purpose,
            "via": via,
            **more,
        },
    )
