"""Background work of return cooperation (``ilonet.jobs``): the daily notice that requests for
a charter flight with free seats close soon (RS 1)."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils.translation import gettext_lazy as _

from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily

from .services import flights


@job(schedule=Daily(time(6, 30)), label=_("Tell member states of charter seat deadlines near"), timeout=300)
def notify_deadlines() -> dict[str, Any]:
    return {"flights": flights.notify_deadlines()}
