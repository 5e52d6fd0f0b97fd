"""The agenda of a meeting: change an item and link it to its motion, move it, remove it (Art. 7(6),
Art. 7(7)). Adding an item is ``POST /meetings/{id}/agenda``."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Status

from .. import selectors, services
from ..models import AgendaItem, AgendaKind
from .common import A, BoardIn, router
from .meetings import AgendaItemOut


class AgendaItemUpdateIn(BoardIn):
    title: str | None = Field(None, max_length=300)
    kind: AgendaKind | None = None
    description: str | None = Field(None, max_length=5000)
    motion: int | None = Field(None, description="A vote in this meeting; null unlinks the item")


class AgendaMoveIn(BoardIn):
    direction: Literal["up", "down"]


def _item(request, meeting_id: int, item_id: int) -> AgendaItem:
    meeting = selectors.meeting_detail(user=request.user, pk=meeting_id)
    return AgendaItem.objects.select_related("meeting").get(pk=item_id, meeting=meeting)


@router.patch(
    "/meetings/{int:meeting_id}/agenda/{int:item_id}", action=A.MANAGE_AGENDA, response=AgendaItemOut
)
def update_agenda_item(request, meeting_id: int, item_id: int, payload: AgendaItemUpdateIn):
    """Change an item of a planned meeting's agenda, or link it to the motion voted on under it
    (``motion``: the id of a vote in the same meeting, ``null`` to unlink). Only the fields sent
    change."""
    item = _item(request, meeting_id, item_id)
    fields = payload.dict(exclude_unset=True)
    if fields.get("motion") is not None:
        motion = selectors.motion_list(user=request.user).filter(pk=fields["motion"]).first()
        if motion is None:
            raise ValidationError({"motion": _("Choose a vote held in this meeting.")})
        fields["motion"] = motion
    return services.update_agenda_item(actor=request.user, item=item, **fields)


@router.post(
    "/meetings/{int:meeting_id}/agenda/{int:item_id}/move",
    action=A.MANAGE_AGENDA,
    response=list[AgendaItemOut],
)
def move_agenda_item(request, meeting_id: int, item_id: int, payload: AgendaMoveIn):
    """Move an item one place up or down; the answer is the whole agenda in its new order."""
    item = _item(request, meeting_id, item_id)
    services.move_agenda_item(actor=request.user, item=item, direction=payload.direction)
    return list(AgendaItem.objects.filter(meeting_id=item.meeting_id).order_by("position"))


@router.delete(
    "/meetings/{int:meeting_id}/agenda/{int:item_id}", action=A.MANAGE_AGENDA, response={204: None}
)
def remove_agenda_item(request, meeting_id: int, item_id: int):
    """Remove an item from a planned meeting's agenda; the items after it move up one number."""
    services.remove_agenda_item(actor=request.user, item=_item(request, meeting_id, item_id))
    return Status(204, None)
