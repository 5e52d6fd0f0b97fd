"""The deployment registry's periodic job (``ilonet.jobs``): a deployment ends at its planned
end without anyone notifying it (Art. 4(1)), and the people concerned are told."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.jobs import clock
from ilonet.jobs.notify import Audience, notify
from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily

from . import services

# Who hears of the end: the steering board (Art. 4(1)), through its chair and secretariat, and
# the deploying authority that deployed the officer.
BOARD_OFFICE = ("chair", "secretariat")


@job(schedule=Daily(time(0, 5)), label=_("End deployments at their planned end"), timeout=600)
def end_deployments_at_planned_end() -> dict[str, Any]:
    """Ends every active deployment whose planned end has passed (the end date is the planned
    end), and notifies each end once: the job runs in one transaction, and a deployment that
    has ended is not ended again."""
    ended = services.end_due_deployments(today=timezone.localdate(clock.now()))
    for deployment in ended:
        notify(
            "deployment.ended",
            key=f"deployment.ended:{deployment.pk}:v{deployment.version}",
            obj=deployment,
            audience_action=policy.Action.VIEW_DEPLOYMENTS,
            recipients=Audience(
                roles=BOARD_OFFICE, roles_in=(("deploying_authority", deployment.deploying_authority_id),)
            ),
            context={
                "deployment": deployment.pk,
                "ended_on": deployment.end_date.isoformat() if deployment.end_date else None,
                "country": deployment.country.code,
                "reason": "planned_end",
                "article": "Art. 4(1)",
            },
        )
    return {"ended": [deployment.pk for deployment in ended]}
