"""What the deployment registry tells people, through the one notification hook
(``ilonet.jobs.notify``; the notifications app delivers, to those the policy lets open the
deployment)."""

from __future__ import annotations

from django.urls import reverse

from ilonet import policy
from ilonet.jobs.notify import Audience, notify

from .models import Deployment

# Art. 4(1): deploying authorities notify the steering board; Art. 7(2), Art. 7(3), Art. 7(6):
# its members, alternates, non-voting members, chair and secretariat.
STEERING_BOARD = Audience(
    roles=("board_member", "board_alternate", "non_voting_member", "chair", "secretariat")
)


def _facts(deployment: Deployment) -> dict:
    """Facts for the text: the authority, the country, the dates; no name of the officer."""
    return {
        "deployment": deployment.pk,
        "authority": deployment.deploying_authority.name,
        "country": deployment.country.code,
        "start_on": deployment.start_date.isoformat() if deployment.start_date else None,
        "end_on": (deployment.end_date or deployment.planned_end_date).isoformat()
        if (deployment.end_date or deployment.planned_end_date)
        else None,
    }


def notified_to_the_board(*, deployment: Deployment, kind: str, notification_id: int) -> None:
    """Art. 4(1): a plan, a start, a change, an end or a cancellation notified to the steering
    board reaches its members (those who may open the deployment's page)."""
    notify(
        f"deployment.{kind}",
        key=f"deployment.notification:{notification_id}",
        obj=deployment,
        audience_action=policy.Action.VIEW_DEPLOYMENTS,
        recipients=STEERING_BOARD,
        context={**_facts(deployment), "article": "Art. 4(1)"},
        link=reverse("deployments:deployment_detail", args=[deployment.pk]),
    )


def ended_at_planned_end(*, deployment: Deployment) -> None:
    """Art. 4(1): a deployment ended at its planned end without its authority notifying the end;
    the deploying authority is told (the board heard of it through ``notified_to_the_board``)."""
    notify(
        "deployment.ended_at_planned_end",
        key=f"deployment.ended:{deployment.pk}:v{deployment.version}",
        obj=deployment,
        # Every deploying-authority officer is asked; the policy keeps those who act for the
        # deployment's authority (``deploys_for``: the authority, or its member state).
        audience_action=policy.Action.MANAGE_DEPLOYMENTS,
        recipients=Audience(roles=("deploying_authority",)),
        context={
            **_facts(deployment),
            "ended_on": deployment.end_date.isoformat() if deployment.end_date else None,
            "reason": "planned_end",
            "article": "Art. 4(1)",
        },  # fmt: skip
        link=reverse("deployments:deployment_detail", args=[deployment.pk]),
    )
