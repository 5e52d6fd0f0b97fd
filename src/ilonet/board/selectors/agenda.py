"""The agenda of a meeting: whether it may still change, and the motions an item may be linked to
(Art. 7(6), Art. 7(7))."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    Motion,
    Procedure,
)


def agenda_refusal(*, meeting: Meeting) -> str:
    """Why the agenda of this meeting can no longer change, or "" while it can. The chair,
    helped by the secretariat, prepares the meetings (Art. 7(6)); once the minutes are recorded
    the meeting is held and its agenda is part of the record; a cancelled meeting changes no more."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("A cancelled meeting cannot be changed.")
    if meeting.status == MeetingStatus.HELD:
        return _(
            "The meeting was held and its minutes are recorded: its agenda is part of the record "
            "and can no longer change."
        )
    return ""


def linkable_motions(*, item: AgendaItem) -> QuerySet[Motion]:
    """The motions an agenda item may be linked to: the votes in the item's meeting that no other
    item of the agenda is linked to (its own motion included)."""
    linked_elsewhere = (
        AgendaItem.objects.filter(meeting_id=item.meeting_id, motion__isnull=False)
        .exclude(pk=item.pk)
        .values("motion_id")
    )
    return (
        Motion.objects.filter(meeting_id=item.meeting_id, procedure=Procedure.MEETING)
        .exclude(pk__in=linked_elsewhere)
        .order_by("created_at", "pk")
    )


def agenda_item_of(*, motion: Motion) -> AgendaItem | None:
    """The agenda item a motion is voted on under, if one is linked to it."""
    return AgendaItem.objects.filter(motion=motion).select_related("meeting").first()
