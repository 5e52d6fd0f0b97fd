"""What the networks tell people, through the one notification hook (``ilonet.jobs.notify``;
the notifications app delivers, to those the policy lets open the network)."""

from __future__ import annotations

from django.urls import reverse

from ilonet import policy
from ilonet.jobs.notify import Audience, notify

from .models import FacilitatorNotification, Network

# Art. 5(3): "the steering board": its members, alternates, non-voting members, chair and
# secretariat (Art. 7(2), Art. 7(3), Art. 7(6)).
STEERING_BOARD = Audience(
    roles=("board_member", "board_alternate", "non_voting_member", "chair", "secretariat")
)


def facilitator_notified(*, network: Network, notification: FacilitatorNotification) -> None:
    """Art. 5(3): the steering board is told without undue delay of a facilitator's
    appointment or change, or that none was appointed. The text names the network, not the
    officer (the page, open to those allowed, has the rest)."""
    notify(
        f"network.facilitator_{notification.kind}",
        key=f"network.facilitator:{notification.pk}",
        obj=network,
        audience_action=policy.Action.VIEW_NETWORKS,
        recipients=STEERING_BOARD,
        context={"network": network.name, "network_id": network.pk, "article": "Art. 5(3)"},
        link=reverse("networks:network_detail", args=[network.pk]),
    )
