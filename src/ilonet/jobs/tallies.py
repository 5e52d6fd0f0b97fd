"""Named counters that jobs increment (``Tally``)."""

from __future__ import annotations

from django.db import transaction

from . import clock
from .models import Tally


def bump(name: str) -> int:
    """Add one to the counter ``name`` (made at zero if new); its new value. Runs in the
    caller's transaction: a job's bump commits with the job, or not at all."""
    with transaction.atomic():
        tally, _created = Tally.objects.select_for_update().get_or_create(
            name=name, defaults={"updated_at": clock.now()}
        )
        tally.count += 1
        tally.updated_at = clock.now()
        tally.save(update_fields=["count", "updated_at"])
        return tally.count


def value(name: str) -> int:
    return Tally.objects.filter(name=name).values_list("count", flat=True).first() or 0
