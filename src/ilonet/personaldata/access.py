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
