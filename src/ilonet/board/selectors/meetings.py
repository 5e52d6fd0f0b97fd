"""Meetings the user may see (Art. 7(4), Art. 7(5), Art. 7(6), Art. 7(7))."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from ilonet import policy

from .. import hooks
from ..models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    Motion,
    Participant,
)


def is_invited(*, user, meeting_id: int) -> bool:
    return Participant.objects.filter(meeting_id=meeting_id, user_id=user.pk).exists()


def meeting_list(*, user, when: str | None = None, year: int | None = None) -> QuerySet[Meeting]:
    """Meetings the user may see; ``when`` is "upcoming" or "past"."""
    qs = policy.scope(user, policy.Action.VIEW_BOARD, Meeting.objects.all())
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).exclude(status=MeetingStatus.CANCELLED).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.order_by("-starts_at", "-pk")
    if year:
        qs = qs.filter(starts_at__year=year)
    return qs.annotate(participant_count=Count("participants", distinct=True))


def meeting_detail(*, user, pk: int) -> Meeting:
    qs = policy.scope(user, policy.Action.VIEW_BOARD, Meeting.objects.all())
    return qs.prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("motion").order_by("position")),
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("user", "seat", "seat__organisation").order_by(
                "role", "seat__organisation__code", "user__last_name", "pk"
            ),
        ),
        Prefetch("motions", queryset=Motion.objects.order_by("created_at", "pk")),
    ).get(pk=pk)


def meeting_documents(*, user, meeting: Meeting) -> list[hooks.MeetingDocumentLink]:
    """The documents of a meeting the user may see (``meeting_detail`` already scoped it): kept in
    the steering board's space (``hooks``)."""
    return hooks.meeting_documents().listed(user=user, meeting=meeting)


def agenda_item_documents(*, user, item: AgendaItem) -> list[hooks.MeetingDocumentLink]:
    return hooks.meeting_documents().of_agenda_item(user=user, item=item)


def with_document_counts(meetings: Iterable[Meeting]) -> list[Meeting]:
    """Set ``document_count`` on each meeting of a page (one query in the store)."""
    meetings = list(meetings)
    counts = hooks.meeting_documents().counts(meeting_ids=[m.pk for m in meetings])
    for meeting in meetings:
        meeting.document_count = counts.get(meeting.pk, 0)  # type: ignore[attr-defined]
    return meetings


def meetings_in_year(*, year: int) -> int:
    """Meetings held or planned (not cancelled) in a calendar year (Art. 7(7))."""
    return Meeting.objects.filter(starts_at__year=year).exclude(status=MeetingStatus.CANCELLED).count()


def first_meeting_year() -> int | None:
    """The calendar year of the board's first meeting that was not cancelled (Art. 7(7))."""
    first = (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(first).year if first else None


def last_meeting(*, now=None) -> Meeting | None:
    now = now or timezone.now()
    return (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__lte=now)
        .order_by("-starts_at", "-pk")
        .first()
    )


def next_meeting(*, now=None) -> Meeting | None:
    now = now or timezone.now()
    return (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__gt=now)
        .order_by("starts_at", "pk")
        .first()
    )


def upcoming_meetings(*, user, limit: int = 5) -> list[Meeting]:
    return list(meeting_list(user=user, when="upcoming")[:limit])


def meetings_ahead(*, user, days: int = 60, now: datetime | None = None) -> QuerySet[Meeting]:
    """Board meetings the user may see that have not ended and begin by the end of the day
    ``days`` days from today, soonest first; cancelled ones left out. Observers see only the
    meetings they are invited to (Art. 7(4)); the board meets at least twice a year (Art. 7(7)).
    One query."""
    now = now or timezone.now()
    after_last_day = timezone.localdate(now) + timedelta(days=days + 1)
    horizon = timezone.make_aware(datetime.combine(after_last_day, time.min))
    qs = Meeting.objects.filter(ends_at__gte=now, starts_at__lt=horizon).exclude(
        status=MeetingStatus.CANCELLED
    )
    return policy.scope(user, policy.Action.VIEW_BOARD, qs).order_by("starts_at", "pk")
