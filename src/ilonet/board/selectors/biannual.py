"""What the lists of work programmes and of activity reports share (Art. 8(2))."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet

from ilonet import policy

from ..models import BiannualDocument

D = TypeVar("D", bound=BiannualDocument)


def biannual_list(*, user, model: type[D]) -> QuerySet[D]:
    """The work programmes or activity reports the user may read, newest period first."""
    qs = policy.scope(user, policy.Action.VIEW_PROGRAMMES_AND_REPORTS, model.objects.all())
    return qs.order_by("-period_start", "-pk")
