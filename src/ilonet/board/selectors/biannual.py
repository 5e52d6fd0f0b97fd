"""What the lists of work programmes and of activity reports share (Art. 8(2))."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet

from ..models import BiannualDocument

D = TypeVar("D", bound=BiannualDocument)


def newest_first(scoped: QuerySet[D]) -> QuerySet[D]:
    """Work programmes or activity reports (already scoped by the caller's ``policy.scope``, so
    that each model's scope is named where it is asked for), newest period first (Art. 8(2))."""
    return scoped.order_by("-period_start", "-pk")
