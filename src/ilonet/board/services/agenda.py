"""The agenda of a meeting: change an item, link it to its motion, move it, remove it (Art. 7(6),
Art. 7(7)). Adding an item is ``services.meetings.add_agenda_item``. The agenda changes only while
the meeting is planned (``selectors.agenda_refusal``); items keep the numbers 1, 2, 3, … without
gaps."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from .. import selectors
from ..models import (
    AgendaItem,
    AgendaKind,
    Meeting,
    MeetingStatus,
    Motion,
    Procedure,
)
from .common import A, _clean

UP = "up"
DOWN = "down"
EDITABLE = ("title", "kind", "description", "motion")


def _locked(item: AgendaItem, *, linking_only: bool = False) -> tuple[Meeting, AgendaItem]:
    """Lock the meeting (so that two changes of one agenda take turns), refuse if its agenda can
    no longer change, and read the item afresh. Linking an item to the vote held under it
    (``linking_only``) records what happened and stays possible once the meeting is held."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    refusal = selectors.agenda_refusal(meeting=meeting)
    if refusal and not (linking_only and meeting.status != MeetingStatus.CANCELLED):
        raise ValidationError(refusal)
    try:
        return meeting, AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    except AgendaItem.DoesNotExist:
        raise ValidationError(_("This agenda item no longer exists.")) from None


def _check_motion(item: AgendaItem, motion: Motion | None) -> None:
    if motion is None:
        return
    if motion.meeting_id != item.meeting_id or motion.procedure != Procedure.MEETING:
        raise ValidationError({"motion": _("Choose a vote held in this meeting.")})
    other = AgendaItem.objects.filter(motion=motion).exclude(pk=item.pk).first()
    if other is not None:
        raise ValidationError(
            {"motion": _("This motion is already linked to item %(number)d.") % {"number": other.position}}
        )


def update_agenda_item(*, actor, item: AgendaItem, **fields: Any) -> AgendaItem:
    """Change an item's title, kind or description, or link it to the motion voted on under it
    (``motion``: a vote in the same meeting, or None to unlink). Only the fields given change."""
    policy.authorize(actor, A.MANAGE_AGENDA)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        meeting, item = _locked(item, linking_only=set(fields) == {"motion"})
        if "kind" in fields and fields["kind"] not in AgendaKind.values:
            raise ValidationError({"kind": _("Choose a kind of agenda item.")})
        if "title" in fields and not (fields["title"] or "").strip():
            raise ValidationError({"title": _("Give the agenda item a title.")})
        changes: dict[str, list[Any]] = {}
        for name in ("title", "kind", "description"):
            if name in fields:
                value = (fields[name] or "").strip()
                if value != getattr(item, name):
                    changes[name] = [getattr(item, name), value]
                    setattr(item, name, value)
        if "motion" in fields:
            motion = fields["motion"]
            _check_motion(item, motion)
            new_id = motion.pk if motion is not None else None
            if new_id != item.motion_id:
                changes["motion"] = [item.motion_id, new_id]
                item.motion = motion
        if changes:
            _clean(item, exclude=["meeting", "motion"])
            item.save()
            audit.record_change(
                actor=actor,
                action=AuditAction.BOARD_AGENDA_ITEM_UPDATED,
                obj=meeting,
                changes={"item": item.position, **_without_text(changes)},
            )
        return item


def _without_text(changes: dict[str, list[Any]]) -> dict[str, Any]:
    """The audit trail names the description as changed without copying it (it may be long)."""
    return {k: ("changed" if k == "description" else v) for k, v in changes.items()}


def move_agenda_item(*, actor, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down the agenda; it swaps numbers with its neighbour."""
    policy.authorize(actor, A.MANAGE_AGENDA)
    if direction not in (UP, DOWN):
        raise ValidationError({"direction": _("Move an item up or down.")})
    with transaction.atomic():
        meeting, item = _locked(item)
        items = AgendaItem.objects.filter(meeting=meeting)
        neighbour = (
            items.filter(position__lt=item.position).order_by("-position").first()
            if direction == UP
            else items.filter(position__gt=item.position).order_by("position").first()
        )
        if neighbour is None:
            raise ValidationError(
                _("This item is already the first of the agenda.")
                if direction == UP
                else _("This item is already the last of the agenda.")
            )
        old, new = item.position, neighbour.position
        # (meeting, position) is unique: park the item on 0 (never a number) while they swap.
        AgendaItem.objects.filter(pk=item.pk).update(position=0)
        AgendaItem.objects.filter(pk=neighbour.pk).update(position=old)
        AgendaItem.objects.filter(pk=item.pk).update(position=new)
        item.position = new
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_AGENDA_ITEM_MOVED,
            obj=meeting,
            changes={"item": [old, new], "title": item.title},
        )
        return item


def remove_agenda_item(*, actor, item: AgendaItem) -> None:
    """Remove an item from the agenda; the items after it move up one number. Documents attached
    to it stay with the meeting; a motion linked to it is not touched."""
    policy.authorize(actor, A.MANAGE_AGENDA)
    with transaction.atomic():
        meeting, item = _locked(item)
        position, title = item.position, item.title
        item.delete()
        for later in AgendaItem.objects.filter(meeting=meeting, position__gt=position).order_by("position"):
            AgendaItem.objects.filter(pk=later.pk).update(position=later.position - 1)
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_AGENDA_ITEM_REMOVED,
            obj=meeting,
            changes={"item": position, "title": title},
        )
