"""Meetings: agenda, invitations, attendance, minutes and documents (Art. 7(4), Art. 7(5),
Art. 7(6), Art. 7(7))."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.shared.dates import REGULATION_IN_FORCE, add_years, long_date, long_datetime

from .. import hooks, selectors
from ..models import (
    AgendaItem,
    AgendaKind,
    Capacity,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MotionStatus,
    Participant,
    ParticipantRole,
)
from .common import A, _clean, _roles

# --- meetings (Art. 7(4), Art. 7(5), Art. 7(6), Art. 7(7)) ----------------------------------------


def _check_meeting_fields(
    *, title: str, kind: str, joint_with: str, starts_at, ends_at, location: str
) -> None:
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("Give the meeting a title.")
    if kind not in MeetingKind.values:
        errors["kind"] = _("Choose a kind of meeting.")
    if kind == MeetingKind.JOINT and not (joint_with or "").strip():
        errors["joint_with"] = _("Name the networks or organisations of the joint meeting (Art. 7(5)).")
    if starts_at is None or ends_at is None:
        errors["starts_at"] = _("Give the start and end of the meeting.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    elif ends_at - starts_at > timedelta(days=5):
        errors["ends_at"] = _("A meeting lasts at most five days.")
    if not (location or "").strip():
        errors["location"] = _("Give the location (or the video-conference).")
    if errors:
        raise ValidationError(errors)


# The chair convenes meetings at most this far ahead: a later date is a typing mistake.
CONVENE_AHEAD_YEARS = 2


def _aware(fields: dict[str, Any]) -> dict[str, Any]:
    """The start and end in the platform's time zone (an API client may send them without an
    offset); a moment that has no day in Brussels (year 9999 at midnight UTC) is refused."""
    result = dict(fields)
    for name in ("starts_at", "ends_at"):
        moment = result.get(name)
        if moment is None:
            continue
        try:
            result[name] = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
            timezone.localtime(result[name])
        except (OverflowError, ValueError):
            raise ValidationError({name: _("Enter a valid date and time.")}) from None
    return result


def _check_convened_start(starts_at, *, now=None) -> None:
    """The chair convenes a meeting still to come (Art. 7(6)(c)): on today or a later day, at
    most two years ahead. A meeting that already took place is recorded with its minutes
    (``record_past_meeting``): a past date typed by mistake would otherwise hold a meeting in
    the past and move the deadline of the rules of procedure (Art. 8(1))."""
    today = timezone.localdate(now or timezone.now())
    day = timezone.localdate(starts_at)
    if day < today:
        raise ValidationError(
            {
                "starts_at": _(
                    "A meeting is convened for today or a later day; %(day)s has passed. Record a meeting "
                    "that already took place with its minutes instead."
                )
                % {"day": long_date(day)}
            }
        )
    if day > add_years(today, CONVENE_AHEAD_YEARS):
        raise ValidationError(
            {
                "starts_at": _("A meeting is convened at most two years ahead, not for %(day)s.")
                % {"day": long_date(day)}
            }
        )


def _check_past_meeting(starts_at, ends_at, *, now) -> None:
    """A meeting recorded afterwards took place: it has ended, it is not older than the board
    (Art. 7(1), in force since 14 August 2019, Art. 14) and not older than the board's first
    meeting already recorded, from which the three months of Art. 8(1) run."""
    if ends_at > now:
        raise ValidationError(
            {"ends_at": _("This meeting has not ended yet: convene it instead of recording it afterwards.")}
        )
    if timezone.localdate(starts_at) < REGULATION_IN_FORCE:
        raise ValidationError(
            {
                "starts_at": _(
                    "The steering board exists since Regulation (EU) 2019/1240 entered into force on "
                    "%(day)s (Art. 7(1), Art. 14): no meeting of the board is older."
                )
                % {"day": long_date(REGULATION_IN_FORCE)}
            }
        )
    first = selectors.first_meeting()
    if first is not None and starts_at < first.starts_at:
        raise ValidationError(
            {
                "starts_at": _(
                    "The board's first meeting, on %(first)s, is recorded, and the three months for the "
                    "rules of procedure run from it (Art. 8(1)): a meeting before it cannot be recorded "
                    "afterwards."
                )
                % {"first": long_datetime(first.starts_at)}
            }
        )


def _check_changed_start(meeting: Meeting, starts_at, *, now) -> None:
    """A meeting that has begun keeps its day (its start is corrected within the day); one still
    to come moves like a meeting being convened."""
    if starts_at == meeting.starts_at:
        return
    if meeting.starts_at <= now:
        if timezone.localdate(starts_at) != timezone.localdate(meeting.starts_at):
            raise ValidationError(
                {
                    "starts_at": _(
                        "This meeting has begun: its start can be corrected within its day (%(day)s), "
                        "not moved to another day."
                    )
                    % {"day": long_date(meeting.starts_at)}
                }
            )
        return
    _check_convened_start(starts_at, now=now)


def _invite_board(meeting: Meeting) -> None:
    """Invite the members, alternates and non-voting members on the meeting day (Art. 7(2), Art. 7(3))."""
    day = timezone.localdate(meeting.starts_at)
    have = set(Participant.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    rows = []
    for row in selectors.composition(day=day).rows:
        for membership in (row.member, row.alternate):
            if membership is None or membership.user_id in have:
                continue
            if not row.seat.voting:
                role = ParticipantRole.NON_VOTING
            elif membership.capacity == Capacity.MEMBER:
                role = ParticipantRole.MEMBER
            else:
                role = ParticipantRole.ALTERNATE
            rows.append(Participant(meeting=meeting, user_id=membership.user_id, role=role, seat=row.seat))
            have.add(membership.user_id)
    Participant.objects.bulk_create(rows)


def create_meeting(
    *,
    actor,
    title: str,
    starts_at,
    ends_at,
    location: str,
    kind: str = MeetingKind.REGULAR,
    joint_with: str = "",
) -> Meeting:
    """Convene a meeting (Art. 7(6)(c)), on today or a later day; the board's members,
    alternates and non-voting members on that day are invited; the convener takes part as chair
    or secretariat."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        fields = {
            "title": title,
            "kind": kind,
            "joint_with": joint_with,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "location": location,
        }
        fields = _aware(fields)
        _check_meeting_fields(**fields)
        _check_convened_start(fields["starts_at"])
        return _new_meeting(actor=actor, **fields)


def record_past_meeting(
    *,
    actor,
    title: str,
    starts_at,
    ends_at,
    location: str,
    minutes: str,
    kind: str = MeetingKind.REGULAR,
    joint_with: str = "",
    agenda: Sequence[tuple[str, str]] = (),
) -> Meeting:
    """Record, with its minutes, a meeting that already took place (it then counts for the two
    meetings a year of Art. 7(7)). Not before the board existed, nor before its first meeting
    already recorded, so the deadline of Art. 8(1) cannot move (``_check_past_meeting``).
    ``agenda`` holds the items as held, (title, kind) in order: recorded with the meeting, since
    a held meeting's agenda no longer changes (``selectors.agenda_refusal``)."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        fields = {
            "title": title,
            "kind": kind,
            "joint_with": joint_with,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "location": location,
        }
        fields = _aware(fields)
        _check_meeting_fields(**fields)
        if not (minutes or "").strip():
            raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
        _check_past_meeting(fields["starts_at"], fields["ends_at"], now=timezone.now())
        meeting = _new_meeting(actor=actor, minutes=minutes.strip(), **fields)
        for position, (item_title, item_kind) in enumerate(agenda, start=1):
            item = AgendaItem(
                meeting=meeting, position=position, title=(item_title or "").strip(), kind=item_kind
            )
            _clean(item)
            item.save()
            audit.record_change(
                actor=actor,
                action=AuditAction.BOARD_AGENDA_ITEM_ADDED,
                obj=meeting,
                changes={"item": item.position, "title": item.title},
            )
        return meeting


def _new_meeting(
    *, actor, title, kind, joint_with, starts_at, ends_at, location, minutes: str = ""
) -> Meeting:
    """Save a meeting whose fields are checked, invite the board of its day and audit it."""
    meeting = Meeting(
        title=title.strip(),
        kind=kind,
        joint_with=joint_with.strip() if kind == MeetingKind.JOINT else "",
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        created_by=actor,
        minutes=minutes,
        status=MeetingStatus.HELD if minutes else MeetingStatus.PLANNED,
    )
    _clean(meeting, exclude=["created_by"])
    meeting.save()
    _invite_board(meeting)
    # The convener takes part as chair or secretariat (Art. 7(6)); a chair who also holds a
    # Commission seat keeps the seat on the participant row.
    role = ParticipantRole.CHAIR if Role.CHAIR in _roles(actor) else ParticipantRole.SECRETARIAT
    own = Participant.objects.filter(meeting=meeting, user=actor).first()
    if own is None:
        Participant.objects.create(meeting=meeting, user=actor, role=role)
    elif role == ParticipantRole.CHAIR:
        own.role = role
        own.save(update_fields=["role"])
    audit.record_change(
        actor=actor,
        action=AuditAction.BOARD_MEETING_CREATED,
        obj=meeting,
        changes={
            "title": meeting.title,
            "kind": kind,
            "starts_at": starts_at,
            "location": meeting.location,
            **({"recorded_afterwards": True, "minutes_length": len(minutes)} if minutes else {}),
        },
    )
    return meeting


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def update_meeting(*, actor, meeting: Meeting, **fields: Any) -> Meeting:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("A cancelled meeting cannot be changed."))
        editable = {"title", "kind", "joint_with", "starts_at", "ends_at", "location"}
        unknown = set(fields) - editable
        if unknown:
            raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
        values = {name: fields.get(name, getattr(meeting, name)) for name in editable}
        values = _aware(values)
        _check_meeting_fields(**values)
        _check_changed_start(meeting, values["starts_at"], now=timezone.now())
        changes = {}
        for name, value in values.items():
            if getattr(meeting, name) != value:
                changes[name] = [str(getattr(meeting, name)), str(value)]
                setattr(meeting, name, value)
        if changes:
            meeting.sequence += 1  # iCalendar SEQUENCE: calendars replace the old invitation
            meeting.save()
            audit.record_change(
                actor=actor, action=AuditAction.BOARD_MEETING_UPDATED, obj=meeting, changes=changes
            )
        return meeting


def cancel_meeting(*, actor, meeting: Meeting) -> Meeting:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if meeting.status == MeetingStatus.HELD:
            raise ValidationError(_("A meeting that was held cannot be cancelled."))
        if meeting.motions.filter(status=MotionStatus.OPEN).exists():
            raise ValidationError(_("Close or withdraw the open votes of this meeting first."))
        if meeting.status != MeetingStatus.CANCELLED:
            meeting.status = MeetingStatus.CANCELLED
            meeting.sequence += 1
            meeting.save(update_fields=["status", "sequence", "updated_at"])
            audit.record_change(actor=actor, action=AuditAction.BOARD_MEETING_CANCELLED, obj=meeting)
        return meeting


def add_agenda_item(
    *, actor, meeting: Meeting, title: str, kind: str = AgendaKind.DISCUSSION, description: str = ""
) -> AgendaItem:
    """Add an item at the end of the agenda of a planned meeting (``selectors.agenda_refusal``);
    changing, moving and removing items is ``services.agenda``."""
    policy.authorize(actor, A.MANAGE_AGENDA)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        refusal = selectors.agenda_refusal(meeting=meeting)
        if refusal:
            raise ValidationError(refusal)
        position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
        item = AgendaItem(
            meeting=meeting,
            position=position,
            title=(title or "").strip(),
            kind=kind,
            description=(description or "").strip(),
        )
        _clean(item)
        item.save()
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_AGENDA_ITEM_ADDED,
            obj=meeting,
            changes={"item": item.position, "title": item.title},
        )
        return item


def invite(*, actor, meeting: Meeting, user, role: str) -> Participant:
    """Invite an observer (Art. 7(4)), a participant of a joint meeting (Art. 7(5)), or the
    chair or secretariat. Members, alternates and non-voting members come with their seat."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        allowed = (
            ParticipantRole.OBSERVER,
            ParticipantRole.GUEST,
            ParticipantRole.CHAIR,
            ParticipantRole.SECRETARIAT,
        )
        if role not in allowed:
            raise ValidationError({"role": _("Members and alternates are invited with their seat.")})
        if role == ParticipantRole.GUEST and meeting.kind != MeetingKind.JOINT:
            raise ValidationError(
                {"role": _("Participants from other networks take part in joint meetings (Art. 7(5)).")}
            )
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("A cancelled meeting cannot be changed."))
        if not user.is_active:
            raise ValidationError({"email": _("This account is not active.")})
        if Participant.objects.filter(meeting=meeting, user=user).exists():
            raise ValidationError({"email": _("%(person)s is already invited.") % {"person": user}})
        if role == ParticipantRole.OBSERVER and selectors.positions_of(
            user=user, day=timezone.localdate(meeting.starts_at)
        ):
            raise ValidationError({"email": _("Members of the board are not observers (Art. 7(4)).")})
        participant = Participant.objects.create(meeting=meeting, user=user, role=role)
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_MEETING_INVITED,
            obj=meeting,
            changes={"user": user.email, "role": role},
        )
        return participant


def record_attendance(*, actor, meeting: Meeting, present: set[int]) -> None:
    """Record who attended (Art. 7(2): a member state by its member or, in the member's absence,
    its alternate). ``present`` are participant ids; everyone else is recorded absent."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("A cancelled meeting cannot be changed."))
        if meeting.starts_at > timezone.now():
            raise ValidationError(_("Attendance is recorded once the meeting has begun."))
        ids = set(meeting.participants.values_list("pk", flat=True))
        if not set(present) <= ids:
            raise ValidationError({"present": _("Choose among the invited participants.")})
        meeting.participants.filter(pk__in=present).update(attended=True)
        meeting.participants.exclude(pk__in=present).update(attended=False)
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_MEETING_ATTENDANCE_RECORDED,
            obj=meeting,
            changes={"present": len(present), "invited": len(ids)},
        )


def record_minutes(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    """The minutes of a meeting that has taken place; the meeting is then marked held."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("A cancelled meeting has no minutes."))
        if meeting.starts_at > timezone.now():
            raise ValidationError({"minutes": _("Minutes are recorded once the meeting has begun.")})
        if not (minutes or "").strip():
            raise ValidationError({"minutes": _("Write the minutes.")})
        meeting.minutes = minutes.strip()
        meeting.status = MeetingStatus.HELD
        _clean(meeting, exclude=["created_by"])
        meeting.save(update_fields=["minutes", "status", "updated_at"])
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_MEETING_MINUTES_RECORDED,
            obj=meeting,
            changes={"length": len(meeting.minutes)},
        )
        return meeting


def upload_document(
    *,
    actor,
    meeting: Meeting,
    title: str,
    file,
    agenda_item: AgendaItem | None = None,
    marking: str = "limited",
) -> hooks.MeetingDocumentLink:
    """Attach a document to a meeting (Art. 9(2)(a), Art. 9(2)(e)). It is stored in the steering
    board's space on the exchange platform (``hooks.meeting_documents``), through the exchange's
    upload path: PDF, ODT or DOCX by content, within the board's size limit, the personal-data
    guard (Art. 9(3)), the sensitivity marking (Art. 9(1)), the malware scan, versions. A refused
    or failed upload leaves neither a row nor a file."""
    policy.authorize(actor, A.MANAGE_BOARD)
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    if Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.CANCELLED).exists():  # as it is now
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    return hooks.meeting_documents().upload(
        actor=actor,
        meeting=meeting,
        title=title.strip(),
        file=file,
        agenda_item=agenda_item,
        marking=marking or "limited",
    )
