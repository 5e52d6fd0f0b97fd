"""The deployment registry's periodic job (``ilonet.jobs``): a deployment ends at its planned
end without anyone notifying it (Art. 4(1)), and the people concerned are told."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilonet.jobs import clock
from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily

from . import erasure, notices, services


@job(schedule=Daily(time(0, 5)), label=_("End deployments at their planned end"), timeout=600)
def end_deployments_at_planned_end() -> dict[str, Any]:
    """Ends every active deployment whose planned end has passed (the end date is the planned
    end): the steering board is notified of the end (Art. 4(1)) and the deploying authority is
    told, each once: the job runs in one transaction, and a deployment that has ended is not
    ended again."""
    ended = services.end_due_deployments(today=timezone.localdate(clock.now()))
    for deployment in ended:
        notices.ended_at_planned_end(deployment=deployment)
    return {"ended": [deployment.pk for deployment in ended]}


@job(
    schedule=Daily(time(1, 45)),
    label=_("Erase the contact details of officers who left the list"),
    timeout=600,
)
def erase_left_officers_contact_details() -> dict[str, Any]:
    """Destroys the data keys of the officers whose last deployment ended more than
    ``CONTACT_DETAILS_RETENTION_DAYS`` ago (Art. 9(2)(d)): their phone and e-mail can no longer
    be read, here or in an earlier backup of the database (``erasure``)."""
    return {"officers": erasure.erase_contact_details(today=timezone.localdate(clock.now()))}
