"""The exchange's periodic jobs (``ilonet.jobs``): documents leave their space on their expiry date."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils.translation import gettext_lazy as _

from ilonet.jobs import clock
from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily, Every

from . import services


@job(schedule=Daily(time(0, 15)), label=_("Remove expired documents from their spaces"), timeout=300)
def expire_documents() -> dict[str, Any]:
    """A document whose expiry date has come leaves its space; the space's managers can restore it."""
    return {"expired": services.expire_due_documents(now=clock.now())}


@job(schedule=Every(minutes=60), label=_("Remove stored files no document refers to"), timeout=1800)
def sweep_orphaned_files() -> dict[str, Any]:
    """A web worker killed between storing a file and committing its row leaves a file without a
    row: removed once older than ``services.documents.ORPHAN_AGE``."""
    return {"deleted": services.sweep_orphaned_files(now=clock.now())}
