"""The erasure of personal data no longer necessary (Art. 10(2)), every night."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilonet.jobs import clock
from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily

from . import services


# Not atomic: each batch commits on its own after its keys are destroyed, so a long run does not
# hold the database's write lock and an interrupted run is finished by the next (idempotent).
@job(
    schedule=Daily(time(1, 30)),
    label=_("Erase personal data past its erasure date"),
    timeout=3600,
    atomic=False,
)
def erase_expired_personal_data(**_scheduled: Any) -> dict[str, Any]:
    erased = services.erase_due_records(today=timezone.localdate(clock.now()))
    return {"erased": erased}  # a count only: no reference, no personal data
