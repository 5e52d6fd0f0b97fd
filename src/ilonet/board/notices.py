"""What the steering board tells people, through the one notification hook
(``ilonet.jobs.notify``; the notifications app delivers, to those the policy lets open the
subject)."""

from __future__ import annotations

from django.urls import reverse

from ilonet import policy
from ilonet.deployments import selectors as deployment_selectors
from ilonet.jobs.notify import Audience, notify

from .models import DecisionDispatch, Motion

# Art. 7(2), Art. 7(3), Art. 7(6): the members, alternates, non-voting members, chair, secretariat.
STEERING_BOARD = Audience(
    roles=("board_member", "board_alternate", "non_voting_member", "chair", "secretariat")
)


def written_procedure_closed(*, motion: Motion) -> None:
    """Art. 7(8): a written procedure closed at its deadline and was counted; the board is told
    the outcome (the motion's page has the count)."""
    notify(
        "board.written_procedure_closed",
        key=f"board.motion_closed:{motion.pk}",
        obj=motion,
        audience_action=policy.Action.VIEW_BOARD,
        recipients=STEERING_BOARD,
        context={
            "motion": motion.pk,
            "title": motion.title,
            "outcome": motion.outcome,
            "article": "Art. 7(8)",
        },
        link=reverse("board:motion_detail", args=[motion.pk]),
    )


def decision_to_pass_on(*, dispatch: DecisionDispatch) -> None:
    """Art. 7(9): each deploying authority passes the board's decisions on to its officers;
    its officers on ILOnet are told that one waits. Every deploying-authority officer is asked,
    the policy keeps those who act for the dispatch's authority (``passes_on_for``)."""
    notify(
        "board.decision_to_pass_on",
        key=f"board.dispatch:{dispatch.pk}",
        obj=dispatch,
        audience_action=policy.Action.PASS_ON_DECISIONS,
        recipients=Audience(roles=("deploying_authority",)),
        context={"motion": dispatch.motion_id, "title": dispatch.motion.title, "article": "Art. 7(9)"},
        link=reverse("board:dispatch_list"),
    )


def decision_passed_on(*, dispatch: DecisionDispatch) -> None:
    """Art. 7(9): the authority passed the decision on; the liaison officers it has deployed
    are told, on the site and by e-mail, and open it on the decision's page."""
    notify(
        "board.decision_passed_on",
        key=f"board.passed_on:{dispatch.pk}",
        obj=dispatch.motion,
        audience_action=policy.Action.VIEW_DECISIONS,
        recipients=Audience(
            user_ids=tuple(deployment_selectors.officer_ids_deployed_by(authority_id=dispatch.authority_id))
        ),
        context={"motion": dispatch.motion_id, "title": dispatch.motion.title, "article": "Art. 7(9)"},
        link=reverse("board:decision_detail", args=[dispatch.motion_id]),
    )
