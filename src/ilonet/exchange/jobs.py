"""The exchange's periodic jobs (``ilonet.jobs``): documents leave their space on their expiry date."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils.translation import gettext_lazy as _

from ilonet.jobs import clock
from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily

from . import services


@job(schedule=Daily(time(0, 15)), label=_("Remove expired documents from their spaces"), timeout=300)
def expire_documents() -> dict[str, Any]:
    """A document whose expiry date has come leaves its space; the space's managers can restore it."""
    return {"expired": services.expire_due_documents(now=clock.now())}
