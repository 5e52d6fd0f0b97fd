"""Write-side functions of the steering board. Each checks the policy, validates everything,
writes inside one transaction and records its audit event in the same transaction."""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.audit import services as audit
from ilonet.deployments import reporting as deployment_reporting
from ilonet.deployments import selectors as deployment_selectors
from ilonet.directory import selectors as directory
from ilonet.directory.models import Organisation

from . import counting, selectors, uploads
from .models import (
    ActionStatus,
    ActivityReport,
    AdHocAction,
    AgendaItem,
    AgendaKind,
    Ballot,
    Capacity,
    ChangeKind,
    Choice,
    DecisionDispatch,
    Evaluation,
    ItemKind,
    ItemStatus,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    Membership,
    Motion,
    MotionChange,
    MotionComment,
    MotionStatus,
    Outcome,
    Participant,
    ParticipantRole,
    Participation,
    Procedure,
    ProgrammeStatus,
    Proxy,
    RulesOfProcedure,
    RulesStatus,
    Seat,
    SeatKind,
    SecretBallot,
    Training,
    TrainingKind,
    WorkProgramme,
    WorkProgrammeItem,
)
from .policies import forget_positions

A = policy.Action
COMMISSION_CODE = "com"
COMMISSION_SEATS = 2  # Art. 7(2)
AGENCY_CODES = ("frontex", "europol", "euaa")  # Art. 7(2): Frontex, Europol, EUAA (formerly EASO)


def _label(actor: Any) -> str:
    return getattr(actor, "email", "") or str(actor or "")


def _roles(user: Any) -> set[str]:
    return {role for role, _o, _r in policy.roles_of(user)}


def _clean(obj, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False)


def _change(motion: Motion, kind: str, actor: Any, now: datetime, **details: Any) -> None:
    MotionChange.objects.create(
        motion=motion,
        kind=kind,
        at=now,
        by=actor if getattr(actor, "pk", None) else None,
        by_label=_label(actor) or "ILOnet",
        details=details,
    )


def user_by_email(email: str):
    """An active account by e-mail, or a translated field error."""
    user = (
        get_user_model()._default_manager.filter(email__iexact=(email or "").strip(), is_active=True).first()
    )
    if user is None:
        raise ValidationError({"email": _("No active account has this e-mail address.")})
    return user


# --- composition (Art. 7(2)-(4)) --------------------------------------------------------------


@dataclass
class SyncResult:
    created: list[Seat]
    ended: list[Seat]


def expected_seats() -> list[tuple[Organisation, str, int]]:
    """The seats the regulation gives (Art. 7(2)-(3)): one per participating member state
    (Denmark only if it takes part, recital 31), two for the Commission, one each for Frontex,
    Europol and EUAA, and a non-voting seat per Schengen-associated country."""
    seats: list[tuple[Organisation, str, int]] = [
        (state, SeatKind.MEMBER_STATE, 1) for state in directory.participating_member_states()
    ]
    commission = directory.get_by_code(COMMISSION_CODE)
    seats += [(commission, SeatKind.COMMISSION, n) for n in range(1, COMMISSION_SEATS + 1)]
    seats += [(directory.get_by_code(code), SeatKind.AGENCY, 1) for code in AGENCY_CODES]
    seats += [(country, SeatKind.ASSOCIATED, 1) for country in directory.schengen_associated_countries()]
    return seats


def sync_composition(*, actor, on: date | None = None) -> SyncResult:
    """Bring the seats in line with the regulation and the directory from a day (Art. 7(2)-(3)):
    add seats for new participants (e.g. Denmark opting in, recital 31), end the seats of those
    that stopped taking part. Past compositions are kept, so past votes stay explainable."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        day = on or timezone.localdate()
        later = Seat.objects.filter(valid_from__gt=day).order_by("valid_from").first()
        if later is not None:
            raise ValidationError(
                _(
                    "The composition is already recorded from %(day)s; "
                    "it cannot be changed for an earlier day."
                )
                % {"day": later.valid_from}
            )
        current = {(s.organisation_id, s.number): s for s in selectors.seats_on(day=day)}
        wanted = {(org.pk, number): (org, kind, number) for org, kind, number in expected_seats()}
        created, ended = [], []
        for key, (org, kind, number) in wanted.items():
            if key not in current:
                seat = Seat(organisation=org, kind=kind, number=number, valid_from=day)
                seat.save()
                created.append(seat)
        for key, seat in current.items():
            if key not in wanted:
                if Membership.objects.filter(seat=seat, valid_from__gte=day).exists():
                    raise ValidationError(
                        _("%(seat)s has a membership starting on or after %(day)s; end it first.")
                        % {"seat": seat, "day": day}
                    )
                seat.valid_until = max(seat.valid_from, day - timedelta(days=1))
                seat.save(update_fields=["valid_until"])
                Membership.objects.filter(seat=seat, valid_until__isnull=True).update(
                    valid_until=seat.valid_until
                )
                Membership.objects.filter(seat=seat, valid_until__gt=seat.valid_until).update(
                    valid_until=seat.valid_until
                )
                ended.append(seat)
        if created or ended:
            audit.record(
                action="board.composition.sync",
                actor=actor,
                details={
                    "from": day,
                    "created": [str(s) for s in created],
                    "ended": [str(s) for s in ended],
                },
            )
        return SyncResult(created=created, ended=ended)


def _belongs_to(user, seat: Seat) -> bool:
    """A member state is represented by someone of that state (its ministries and agencies);
    the Commission and the agencies by their own staff (Art. 7(2)-(3))."""
    org = user.organisation
    if seat.kind in (SeatKind.MEMBER_STATE, SeatKind.ASSOCIATED):
        return org.member_state is not None and org.member_state.pk == seat.organisation_id
    return org.pk == seat.organisation_id or org.parent_id == seat.organisation_id


def _overlaps(qs, start: date, end: date | None):
    qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
    if end is not None:
        qs = qs.filter(valid_from__lte=end)
    return qs


def appoint(
    *, actor, seat: Seat, user, capacity: str, valid_from: date, valid_until: date | None = None
) -> Membership:
    """Record a member or alternate of a seat (Art. 7(2)-(3)). One member and one alternate
    per seat at a time; a person holds one position at a time; the seat must exist then."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        Seat.objects.select_for_update().filter(pk=seat.pk).first()  # serialise appointments per seat
        errors: dict[str, str] = {}
        if capacity not in Capacity.values:
            errors["capacity"] = _("Choose member or alternate.")
        if valid_until is not None and valid_until < valid_from:
            errors["valid_until"] = _("The end date cannot be before the start date.")
        if seat.valid_from > valid_from or (
            seat.valid_until and (valid_until is None or valid_until > seat.valid_until)
        ):
            errors["valid_from"] = _("The seat is not part of the board for the whole period.")
        if not user.is_active:
            errors["email"] = _("This account is not active.")
        elif not _belongs_to(user, seat):
            errors["email"] = _(
                "%(person)s does not belong to %(organisation)s, whose seat this is (Art. 7(2))."
            ) % {
                "person": user,
                "organisation": seat.organisation,
            }
        if errors:
            raise ValidationError(errors)
        if _overlaps(
            Membership.objects.filter(seat=seat, capacity=capacity), valid_from, valid_until
        ).exists():
            raise ValidationError(
                {
                    "valid_from": _("%(seat)s already has a %(capacity)s in this period.")
                    % {"seat": seat, "capacity": Capacity(capacity).label.lower()}
                }
            )
        if _overlaps(Membership.objects.filter(user=user), valid_from, valid_until).exists():
            raise ValidationError(
                {
                    "email": _("%(person)s already holds a position on the board in this period.")
                    % {"person": user}
                }
            )
        membership = Membership(
            seat=seat,
            user=user,
            capacity=capacity,
            valid_from=valid_from,
            valid_until=valid_until,
            appointed_by=actor,
        )
        _clean(membership)
        membership.save()
        audit.record_change(
            actor=actor,
            action="board.membership.create",
            obj=membership,
            changes={
                "seat": str(seat),
                "capacity": capacity,
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
        )
        forget_positions(user)
        return membership


def end_membership(*, actor, membership: Membership, valid_until: date) -> Membership:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        if valid_until < membership.valid_from:
            raise ValidationError({"valid_until": _("The end date cannot be before the start date.")})
        old = membership.valid_until
        membership.valid_until = valid_until
        membership.save(update_fields=["valid_until"])
        audit.record_change(
            actor=actor,
            action="board.membership.end",
            obj=membership,
            changes={"valid_until": [old, valid_until]},
        )
        forget_positions(membership.user)
        return membership


# --- meetings (Art. 7(4)-(7)) -----------------------------------------------------------------


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


def _invite_board(meeting: Meeting) -> None:
    """Invite the members, alternates and non-voting members on the meeting day (Art. 7(2)-(3))."""
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
    """Convene a meeting (Art. 7(6)(c)); the board's members, alternates and non-voting
    members on that day are invited; the convener takes part as chair or secretariat."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        _check_meeting_fields(
            title=title,
            kind=kind,
            joint_with=joint_with,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
        )
        meeting = Meeting(
            title=title.strip(),
            kind=kind,
            joint_with=joint_with.strip() if kind == MeetingKind.JOINT else "",
            starts_at=starts_at,
            ends_at=ends_at,
            location=location.strip(),
            created_by=actor,
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
            action="board.meeting.create",
            obj=meeting,
            changes={
                "title": meeting.title,
                "kind": kind,
                "starts_at": starts_at,
                "location": meeting.location,
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
        _check_meeting_fields(**values)
        changes = {}
        for name, value in values.items():
            if getattr(meeting, name) != value:
                changes[name] = [str(getattr(meeting, name)), str(value)]
                setattr(meeting, name, value)
        if changes:
            meeting.sequence += 1  # iCalendar SEQUENCE: calendars replace the old invitation
            meeting.save()
            audit.record_change(actor=actor, action="board.meeting.update", obj=meeting, changes=changes)
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
            audit.record_change(actor=actor, action="board.meeting.cancel", obj=meeting)
        return meeting


def add_agenda_item(
    *, actor, meeting: Meeting, title: str, kind: str = AgendaKind.DISCUSSION, description: str = ""
) -> AgendaItem:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("A cancelled meeting cannot be changed."))
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
            action="board.agenda.add",
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
            action="board.meeting.invite",
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
            action="board.meeting.attendance",
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
            actor=actor, action="board.meeting.minutes", obj=meeting, changes={"length": len(meeting.minutes)}
        )
        return meeting


def upload_document(*, actor, meeting: Meeting, title: str, file, agenda_item: AgendaItem | None = None):
    """Attach a document to a meeting (Art. 9(2)(a), (e)): PDF, ODT or DOCX by content, within
    the size limit. A failed upload leaves neither a row nor a file."""
    policy.authorize(actor, A.MANAGE_BOARD)
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    kind = uploads.check(file)  # raises ValidationError: size, type
    stored_name = None
    try:
        with transaction.atomic():
            locked = _locked_meeting(meeting)
            if locked.status == MeetingStatus.CANCELLED:
                raise ValidationError(_("A cancelled meeting cannot be changed."))
            document = MeetingDocument(
                meeting=locked,
                agenda_item=agenda_item,
                title=title.strip(),
                original_name=uploads.display_name(getattr(file, "name", "") or "document"),
                content_type=kind.content_type,
                extension=kind.extension,
                size=kind.size,
                sha256=kind.sha256,
                uploaded_by=actor,
            )
            file.seek(0)
            document.file.save("upload", file, save=False)
            stored_name = document.file.name
            _clean(document, exclude=["uploaded_by", "file"])
            document.save()
            audit.record_change(
                actor=actor,
                action="board.document.upload",
                obj=document,
                changes={
                    "meeting": locked.pk,
                    "type": kind.content_type,
                    "size": kind.size,
                    "sha256": kind.sha256,
                },
            )
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return document


# --- rules of procedure (Art. 8(1)) -----------------------------------------------------------

RULES_FIELDS = (
    "title",
    "text",
    "proxies_allowed",
    "max_proxies_per_holder",
    "quorum_percent",
    "secret_ballot",
    "written_procedure_allowed",
    "written_procedure_min_days",
)


def _check_rules(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the rules a title.")
    if not (values.get("text") or "").strip():
        errors["text"] = _("Write the text of the rules of procedure.")
    if not 0 <= int(values.get("quorum_percent") or 0) <= 100:
        errors["quorum_percent"] = _("The quorum is a percentage between 0 and 100.")
    if not 1 <= int(values.get("max_proxies_per_holder") or 0) <= 5:
        errors["max_proxies_per_holder"] = _("A member may hold between 1 and 5 proxies.")
    if values.get("secret_ballot") not in SecretBallot.values:
        errors["secret_ballot"] = _("Choose how secret ballots are used.")
    if not 1 <= int(values.get("written_procedure_min_days") or 0) <= 60:
        errors["written_procedure_min_days"] = _("A written procedure runs between 1 and 60 days.")
    if errors:
        raise ValidationError(errors)


def propose_rules(*, actor, **values: Any) -> RulesOfProcedure:
    """A new version of the rules of procedure, on the chair's proposal (Art. 8(1))."""
    policy.authorize(actor, A.PROPOSE_RULES)
    with transaction.atomic():
        unknown = set(values) - set(RULES_FIELDS)
        if unknown:
            raise ValidationError(_("These fields cannot be set: %s") % ", ".join(sorted(unknown)))
        defaults = {f.name: f.default for f in RulesOfProcedure._meta.fields if f.name in RULES_FIELDS}
        merged = {**defaults, **values}
        _check_rules(merged)
        # Versions are numbered in order; the lock on the latest row serialises two proposals.
        latest = RulesOfProcedure.objects.select_for_update().order_by("-version").first()
        rules = RulesOfProcedure(version=(latest.version + 1) if latest else 1, proposed_by=actor, **merged)
        _clean(rules, exclude=["proposed_by"])
        rules.save()
        audit.record_change(
            actor=actor,
            action="board.rules.propose",
            obj=rules,
            changes={k: merged[k] for k in RULES_FIELDS if k != "text"},
        )
        return rules


def update_rules(*, actor, rules: RulesOfProcedure, **values: Any) -> RulesOfProcedure:
    policy.authorize(actor, A.PROPOSE_RULES)
    with transaction.atomic():
        rules = RulesOfProcedure.objects.select_for_update().get(pk=rules.pk)
        if rules.status != RulesStatus.DRAFT:
            raise ValidationError(_("Adopted rules of procedure are not changed: propose a new version."))
        if rules.motions.filter(status=MotionStatus.OPEN).exists():
            raise ValidationError(_("The rules are being voted on; they cannot be changed now."))
        unknown = set(values) - set(RULES_FIELDS)
        if unknown:
            raise ValidationError(_("These fields cannot be set: %s") % ", ".join(sorted(unknown)))
        merged = {name: values.get(name, getattr(rules, name)) for name in RULES_FIELDS}
        _check_rules(merged)
        changes = {
            k: [getattr(rules, k), v] for k, v in merged.items() if getattr(rules, k) != v and k != "text"
        }
        if merged["text"] != rules.text:
            changes["text"] = "changed"
        for name, value in merged.items():
            setattr(rules, name, value)
        _clean(rules, exclude=["proposed_by"])
        rules.save()
        if changes:
            audit.record_change(actor=actor, action="board.rules.update", obj=rules, changes=changes)
        return rules


# --- motions (Art. 7(8), 8(1)) ----------------------------------------------------------------


def _subject_count(rules, programme, report) -> int:
    return sum(1 for s in (rules, programme, report) if s is not None)


def _check_motion(
    *, title, text, procedure, meeting, closes_at, secret, rules_obj, now, rules, programme, report
) -> None:
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("Give the motion a title.")
    if not (text or "").strip():
        errors["text"] = _("Write the proposed decision.")
    if procedure not in Procedure.values:
        errors["procedure"] = _("Choose a vote in a meeting or a written procedure.")
    elif procedure == Procedure.MEETING:
        if meeting is None:
            errors["meeting"] = _("Choose the meeting in which the vote takes place.")
        elif meeting.status == MeetingStatus.CANCELLED:
            errors["meeting"] = _("This meeting is cancelled.")
    elif procedure == Procedure.WRITTEN:
        if closes_at is None:
            errors["closes_at"] = _("A written procedure needs a deadline.")
        elif closes_at <= now:
            errors["closes_at"] = _("The deadline must be in the future.")
        if rules_obj is not None and not rules_obj.written_procedure_allowed:
            errors["procedure"] = _(
                "The rules of procedure do not provide for a written procedure (Art. 8(1))."
            )
    if secret and (rules_obj is None or rules_obj.secret_ballot == SecretBallot.NEVER):
        errors["secret"] = _("The rules of procedure do not provide for secret ballots (Art. 8(1)).")
    if _subject_count(rules, programme, report) > 1:
        errors["__all__"] = _("A motion adopts at most one document.")
    if rules is not None and rules.status != RulesStatus.DRAFT:
        errors["rules"] = _("Only a draft of the rules of procedure can be put to the vote.")
    if programme is not None and programme.status != ProgrammeStatus.DRAFT:
        errors["programme"] = _("Only a draft work programme can be put to the vote.")
    if report is not None and report.status != ProgrammeStatus.DRAFT:
        errors["report"] = _("Only a draft activity report can be put to the vote.")
    if errors:
        raise ValidationError(errors)


def create_motion(
    *,
    actor,
    title: str,
    text: str,
    procedure: str,
    meeting: Meeting | None = None,
    closes_at: datetime | None = None,
    secret: bool = False,
    communicate_to_ilos: bool = True,
    rules: RulesOfProcedure | None = None,
    programme: WorkProgramme | None = None,
    report: ActivityReport | None = None,
) -> Motion:
    """Put a proposed decision to the board (Art. 7(8)), in a meeting or by written procedure."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        if rules is not None:
            policy.authorize(actor, A.PROPOSE_RULES)  # Art. 8(1): on the chair's proposal
        now = timezone.now()
        in_force = selectors.rules_in_force(day=timezone.localdate(now))
        _check_motion(
            title=title,
            text=text,
            procedure=procedure,
            meeting=meeting,
            closes_at=closes_at,
            secret=secret,
            rules_obj=in_force,
            now=now,
            rules=rules,
            programme=programme,
            report=report,
        )
        motion = Motion(
            title=title.strip(),
            text=text.strip(),
            procedure=procedure,
            meeting=meeting if procedure == Procedure.MEETING else None,
            closes_at=closes_at if procedure == Procedure.WRITTEN else None,
            secret=bool(secret) or bool(in_force and in_force.secret_ballot == SecretBallot.ALWAYS),
            communicate_to_ilos=communicate_to_ilos,
            rules=rules,
            programme=programme,
            report=report,
            created_by=actor,
        )
        _clean(motion, exclude=["created_by"])
        motion.save()
        _change(motion, ChangeKind.CREATED, actor, now, procedure=procedure, secret=motion.secret)
        audit.record_change(
            actor=actor,
            action="board.motion.create",
            obj=motion,
            changes={"procedure": procedure, "secret": motion.secret},
        )
        return motion


def _locked_motion(motion: Motion) -> Motion:
    return Motion.objects.select_for_update().get(pk=motion.pk)


def amend_motion(*, actor, motion: Motion, title: str | None = None, text: str | None = None) -> Motion:
    """Amend a draft motion (the change is kept in its history)."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        motion = _locked_motion(motion)
        if motion.status != MotionStatus.DRAFT:
            raise ValidationError(_("Only a draft motion can be amended; withdraw it and propose a new one."))
        changes = {}
        for name, value in (("title", title), ("text", text)):
            if value is not None and value.strip() != getattr(motion, name):
                if not value.strip():
                    raise ValidationError({name: _("This field cannot be empty.")})
                changes[name] = [getattr(motion, name), value.strip()]
                setattr(motion, name, value.strip())
        if changes:
            _clean(motion, exclude=["created_by"])
            motion.save(update_fields=["title", "text"])
            _change(motion, ChangeKind.AMENDED, actor, timezone.now(), fields=sorted(changes))
            audit.record_change(actor=actor, action="board.motion.amend", obj=motion, changes=changes)
        return motion


def open_motion(*, actor, motion: Motion, now: datetime | None = None) -> Motion:
    """Open the vote. Fixes the day of the vote, hence the composition whose voting members
    count (Art. 7(8)), and the rules of procedure that apply (Art. 8(1))."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        now = now or timezone.now()
        motion = _locked_motion(motion)
        if motion.status != MotionStatus.DRAFT:
            raise ValidationError(_("Only a draft motion can be opened for voting."))
        day = timezone.localdate(now)
        rules = selectors.rules_in_force(day=day)
        _check_motion(
            title=motion.title,
            text=motion.text,
            procedure=motion.procedure,
            meeting=motion.meeting,
            closes_at=motion.closes_at,
            secret=motion.secret,
            rules_obj=rules,
            now=now,
            rules=motion.rules,
            programme=motion.programme,
            report=motion.report,
        )
        if motion.procedure == Procedure.WRITTEN and rules is not None:
            earliest = now + timedelta(days=rules.written_procedure_min_days)
            if motion.closes_at < earliest:
                raise ValidationError(
                    {
                        "closes_at": _(
                            "The rules of procedure keep a written procedure open for at least %(days)d days "
                            "(Art. 8(1))."
                        )
                        % {"days": rules.written_procedure_min_days}
                    }
                )
        if motion.procedure == Procedure.MEETING and timezone.localdate(motion.meeting.starts_at) > day:
            raise ValidationError(_("A vote in a meeting opens on the day of the meeting."))
        for subject in ("rules", "programme", "report"):
            if (
                getattr(motion, f"{subject}_id")
                and Motion.objects.filter(
                    status=MotionStatus.OPEN, **{f"{subject}_id": getattr(motion, f"{subject}_id")}
                ).exists()
            ):
                raise ValidationError(_("This document is already being voted on."))
        electorate = selectors.voting_members_on(day=day)
        if electorate == 0:
            raise ValidationError(
                _("The board has no voting seats on this day; set up its composition first.")
            )
        motion.status = MotionStatus.OPEN
        motion.vote_day = day
        motion.opened_at = now
        motion.rules_in_force = rules
        motion.secret = motion.secret or bool(rules and rules.secret_ballot == SecretBallot.ALWAYS)
        motion.electorate = electorate
        motion.threshold = counting.absolute_majority(electorate)
        motion.quorum = counting.quorum_required(electorate, rules.quorum_percent if rules else 0)
        motion.save()
        _change(
            motion,
            ChangeKind.OPENED,
            actor,
            now,
            electorate=electorate,
            threshold=motion.threshold,
            quorum=motion.quorum,
            rules=rules.version if rules else None,
        )
        audit.record_change(
            actor=actor,
            action="board.motion.open",
            obj=motion,
            changes={
                "vote_day": day,
                "electorate": electorate,
                "threshold": motion.threshold,
                "quorum": motion.quorum,
            },
        )
        return motion


def extend_deadline(*, actor, motion: Motion, closes_at: datetime) -> Motion:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        motion = _locked_motion(motion)
        if motion.procedure != Procedure.WRITTEN or motion.status not in (
            MotionStatus.DRAFT,
            MotionStatus.OPEN,
        ):
            raise ValidationError(
                _("Only the deadline of a written procedure that has not closed can change.")
            )
        if closes_at is None or closes_at <= timezone.now():
            raise ValidationError({"closes_at": _("The deadline must be in the future.")})
        if motion.status == MotionStatus.OPEN and closes_at < motion.closes_at:
            raise ValidationError({"closes_at": _("An open written procedure can only be extended.")})
        old = motion.closes_at
        motion.closes_at = closes_at
        motion.save(update_fields=["closes_at"])
        _change(motion, ChangeKind.DEADLINE, actor, timezone.now(), old=old, new=closes_at)
        audit.record_change(
            actor=actor, action="board.motion.deadline", obj=motion, changes={"closes_at": [old, closes_at]}
        )
        return motion


def withdraw_motion(*, actor, motion: Motion) -> Motion:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        motion = _locked_motion(motion)
        if motion.status not in (MotionStatus.DRAFT, MotionStatus.OPEN):
            raise ValidationError(_("A closed motion cannot be withdrawn."))
        old = motion.status
        motion.status = MotionStatus.WITHDRAWN
        motion.closed_at = timezone.now()
        motion.save(update_fields=["status", "closed_at"])
        _change(motion, ChangeKind.WITHDRAWN, actor, motion.closed_at, previous=old)
        audit.record_change(
            actor=actor, action="board.motion.withdraw", obj=motion, changes={"status": [old, "withdrawn"]}
        )
        return motion


@dataclass
class CastVote:
    participation: Participation
    receipt: str | None  # shown once to the voter of a secret ballot; never stored


def new_receipt() -> str:
    """A random receipt code of 100 bits, shown as five groups of four characters."""
    raw = secrets.token_bytes(13)
    code = base64.b32encode(raw).decode().rstrip("=")[:20]
    return "-".join(code[i : i + 4] for i in range(0, 20, 4))


def cast_vote(
    *, actor, motion: Motion, choice: str, on_behalf_of: Seat | None = None, now: datetime | None = None
) -> CastVote:
    """Cast the vote of a seat (Art. 7(8)). Refused, with the reason and nothing changed,
    for a non-voting member (Art. 7(3)), an observer (Art. 7(4)), a second vote for the same
    seat, an alternate whose member voted or attends (Art. 7(2)), a closed motion, or a proxy
    the rules of procedure do not allow (Art. 8(1)).

    Concurrency: the motion row is locked (``select_for_update``) for the whole check-and-write,
    and ``Participation`` is unique per (motion, seat), so two votes for one seat at the same
    instant yield one counted vote. For a secret ballot the ``Ballot`` row carries neither the
    seat nor the voter nor a time; the audit event says who took part but not the choice."""
    if choice not in Choice.values:
        raise ValidationError({"choice": _("Vote for, against or abstain.")})
    if getattr(actor, policy.TOKEN_SCOPE_ATTR, "write") != "write":
        policy.authorize(actor, A.VOTE, motion)  # a read-only API token: refused, audited
    if not policy.can(actor, A.VOTE, motion):
        reason = selectors.vote_denial_reason(user=actor, motion=motion)
        audit.record_denial(actor=actor, action=A.VOTE, obj=motion)
        raise PermissionDenied(reason)
    now = now or timezone.now()
    return _serialised_write(lambda: _record_vote(actor, motion, choice, on_behalf_of, now))


def _serialised_write(write, attempts: int = 20):
    """Run a write transaction; on SQLite, retry while another writer holds the database.

    PostgreSQL waits on the row lock by itself. SQLite has one writer at a time: a file database
    waits ``busy_timeout``, but a shared-cache database (the in-memory test database, or a busy
    file beyond the timeout) fails at once with "database is locked". The failed attempt rolled
    back entirely, so it is safe to try again; nested in an outer transaction it is not, and
    then the error is raised."""
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as error:
            if (
                connection.vendor != "sqlite"
                or "locked" not in str(error)
                or connection.in_atomic_block
                or attempt == attempts - 1
            ):
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def _record_vote(actor, motion: Motion, choice: str, on_behalf_of: Seat | None, now: datetime) -> CastVote:
    with transaction.atomic():
        locked = _locked_motion(motion)
        right = selectors.check_vote_right(user=actor, motion=locked, on_behalf_of=on_behalf_of, now=now)
        receipt = new_receipt() if locked.secret else None
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    motion=locked,
                    seat=right.seat,
                    cast_by=actor,
                    capacity=right.capacity,
                    proxy=right.proxy,
                    choice="" if locked.secret else choice,
                    cast_at=now,
                )
        except IntegrityError:
            raise ValidationError(
                _("The vote for %(seat)s has already been cast; each seat has one vote (Art. 7(2)).")
                % {"seat": right.seat}
            ) from None
        Ballot.objects.create(
            motion=locked,
            choice=choice,
            receipt_fingerprint=selectors.receipt_fingerprint(receipt) if receipt else None,
        )
        details: dict[str, Any] = {
            "seat": str(right.seat),
            "capacity": right.capacity,
            "secret": locked.secret,
        }
        if right.proxy is not None:
            details["proxy"] = right.proxy.pk
        if not locked.secret:
            details["choice"] = choice
        audit.record(action="board.vote", actor=actor, obj=locked, details=details)
    motion.status = locked.status
    return CastVote(participation=participation, receipt=receipt)


@transaction.atomic
def grant_proxy(*, actor, motion: Motion, holder) -> Proxy:
    """Let another voting member vote on the seat's behalf, if the rules of procedure allow it
    (Art. 8(1): "under which conditions a member may act on behalf of another member")."""
    if not policy.can(actor, A.VOTE, motion):
        reason = selectors.vote_denial_reason(user=actor, motion=motion)
        raise PermissionDenied(reason)
    motion = _locked_motion(motion)
    if motion.status not in (MotionStatus.DRAFT, MotionStatus.OPEN):
        raise ValidationError(_("The vote on this motion is over."))
    rules = (
        motion.rules_in_force
        if motion.status == MotionStatus.OPEN
        else selectors.rules_in_force(day=timezone.localdate())
    )
    if rules is None or not rules.proxies_allowed:
        raise ValidationError(
            _("The rules of procedure do not allow a member to act on behalf of another member (Art. 8(1)).")
        )
    today = timezone.localdate()
    mine = selectors._voting_position(user=actor, motion=motion, day=today)
    if mine is None:
        raise PermissionDenied(selectors.vote_denial_reason(user=actor, motion=motion))
    seat = mine.seat
    if Participation.objects.filter(motion=motion, seat=seat).exists():
        raise ValidationError(_("The vote for %(seat)s has already been cast.") % {"seat": seat})
    if Proxy.objects.filter(motion=motion, grantor_seat=seat).exists():
        raise ValidationError(_("A proxy for %(seat)s on this motion already exists.") % {"seat": seat})
    theirs = selectors._voting_position(user=holder, motion=motion, day=today)
    if theirs is None or holder.pk == actor.pk:
        raise ValidationError({"email": _("A proxy goes to another voting member of the board (Art. 8(1)).")})
    if theirs.seat_id == seat.pk:
        raise ValidationError(
            {"email": _("Your alternate votes in your absence without a proxy (Art. 7(2)).")}
        )
    held = Proxy.objects.filter(motion=motion, holder=holder).count()
    if held >= rules.max_proxies_per_holder:
        raise ValidationError(
            {
                "email": _(
                    "%(person)s already holds the most proxies the rules of procedure allow (%(max)d)."
                )
                % {"person": holder, "max": rules.max_proxies_per_holder}
            }
        )
    proxy = Proxy.objects.create(motion=motion, grantor_seat=seat, holder=holder, granted_by=actor)
    _change(motion, ChangeKind.PROXY, actor, timezone.now(), seat=str(seat), holder=str(holder))
    audit.record_change(
        actor=actor,
        action="board.proxy.grant",
        obj=motion,
        changes={"seat": str(seat), "holder": holder.email},
    )
    return proxy


def speaking_as(user, motion: Motion) -> str:
    """How a statement is labelled: the seat and capacity, or the role at the meeting."""
    for m in selectors.positions_of(user=user, day=timezone.localdate()):
        if not m.seat.voting:
            return _("Non-voting member, %(seat)s") % {"seat": m.seat}
        return _("%(capacity)s, %(seat)s") % {"capacity": m.get_capacity_display(), "seat": m.seat}
    held = _roles(user)
    if Role.CHAIR in held:
        return _("Chair")
    if Role.SECRETARIAT in held:
        return _("Secretariat")
    if Role.OBSERVER in held:
        return _("Observer")
    return str(Role(sorted(held)[0]).label) if held else ""


def comment(*, actor, motion: Motion, text: str) -> MotionComment:
    """A statement on a motion: members, alternates, non-voting members (Art. 7(3)) and invited
    observers (Art. 7(4)) speak; none of that is a vote."""
    policy.authorize(actor, A.SPEAK, motion)
    with transaction.atomic():
        motion = _locked_motion(motion)
        if motion.status not in (MotionStatus.DRAFT, MotionStatus.OPEN):
            raise ValidationError(_("The debate on this motion is closed."))
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Write your statement.")})
        statement = MotionComment(
            motion=motion, author=actor, speaking_as=speaking_as(actor, motion)[:200], text=text
        )
        _clean(statement)
        statement.save()
        audit.record_change(
            actor=actor, action="board.motion.comment", obj=motion, changes={"length": len(text)}
        )
        return statement


def _apply_adoption(motion: Motion, day: date) -> None:
    """What an adopted decision adopts (Art. 8(1), 8(2)(a), (c)), and its dispatch to the
    deploying authorities, who pass it on to their officers (Art. 7(9))."""
    if motion.rules_id:
        RulesOfProcedure.objects.filter(status=RulesStatus.ADOPTED).exclude(pk=motion.rules_id).update(
            status=RulesStatus.SUPERSEDED
        )
        RulesOfProcedure.objects.filter(pk=motion.rules_id).update(status=RulesStatus.ADOPTED, adopted_on=day)
    if motion.programme_id:
        WorkProgramme.objects.filter(pk=motion.programme_id).update(
            status=ProgrammeStatus.ADOPTED, adopted_on=day
        )
    if motion.report_id:
        ActivityReport.objects.filter(pk=motion.report_id).update(
            status=ProgrammeStatus.ADOPTED, adopted_on=day
        )
    if motion.communicate_to_ilos:
        DecisionDispatch.objects.bulk_create(
            [
                DecisionDispatch(motion=motion, authority=a)
                for a in deployment_selectors.deploying_authorities()
            ]
        )


def _close_locked(motion: Motion, *, actor, now: datetime, reason: str) -> Motion:
    result = selectors.tally(motion=motion)
    outcome = counting.decide(result)
    motion.status = MotionStatus.CLOSED
    motion.closed_at = now
    motion.votes_for, motion.votes_against, motion.abstentions = (
        result.votes_for,
        result.votes_against,
        result.abstentions,
    )
    motion.outcome = outcome
    motion.save()
    _change(
        motion,
        ChangeKind.CLOSED,
        actor,
        now,
        reason=reason,
        outcome=outcome,
        votes_for=result.votes_for,
        votes_against=result.votes_against,
        abstentions=result.abstentions,
    )
    if outcome == Outcome.ADOPTED:
        _apply_adoption(motion, timezone.localdate(now))
    audit.record(
        action="board.motion.close",
        actor=actor,
        actor_label="" if actor else "ILOnet (deadline)",
        obj=motion,
        details={
            "reason": reason,
            "outcome": outcome,
            "for": result.votes_for,
            "against": result.votes_against,
            "abstain": result.abstentions,
            "electorate": result.electorate,
            "threshold": result.threshold,
            "quorum": result.quorum,
        },
    )
    return motion


def close_motion(*, actor, motion: Motion, now: datetime | None = None) -> Motion:
    """Close the vote and count (Art. 7(8)). The chair closes a vote in a meeting; a written
    procedure runs until its deadline unless every voting seat has voted."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        now = now or timezone.now()
        motion = _locked_motion(motion)
        if motion.status != MotionStatus.OPEN:
            raise ValidationError(_("This motion is not open for voting."))
        if motion.procedure == Procedure.WRITTEN and now < motion.closes_at:
            voted = Participation.objects.filter(motion=motion).count()
            if voted < (motion.electorate or 0):
                raise ValidationError(
                    _("A written procedure runs until its deadline unless every voting member has voted.")
                )
        reason = "deadline" if motion.closes_at and now >= motion.closes_at else "chair"
        return _close_locked(motion, actor=actor, now=now, reason=reason)


def close_due_motions(*, now: datetime | None = None) -> list[Motion]:
    """Close the written procedures whose deadline has passed (run by the scheduler and when a
    motion is viewed). Idempotent; each motion closes in its own transaction."""
    now = now or timezone.now()
    closed = []
    for pk in list(selectors.due_motions(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            motion = Motion.objects.select_for_update().get(pk=pk)
            if motion.status == MotionStatus.OPEN and motion.closes_at and motion.closes_at <= now:
                closed.append(_close_locked(motion, actor=None, now=motion.closes_at, reason="deadline"))
    return closed


def mark_passed_on(*, actor, dispatch: DecisionDispatch, note: str = "") -> DecisionDispatch:
    """A deploying authority records that it passed a decision on to its officers (Art. 7(9))."""
    policy.authorize(actor, A.PASS_ON_DECISIONS, dispatch)
    with transaction.atomic():
        dispatch = DecisionDispatch.objects.select_for_update().get(pk=dispatch.pk)
        if dispatch.passed_on_at is not None:
            raise ValidationError(_("This decision was already passed on."))
        dispatch.passed_on_at = timezone.now()
        dispatch.passed_on_by = actor
        dispatch.note = (note or "").strip()[:500]
        dispatch.save(update_fields=["passed_on_at", "passed_on_by", "note"])
        audit.record_change(
            actor=actor,
            action="board.decision.passed_on",
            obj=dispatch,
            changes={"motion": dispatch.motion_id, "authority": dispatch.authority.code},
        )
        return dispatch


# --- work programme, evaluation, ad-hoc actions, training (Art. 8(2)-(3)) ---------------------


def _check_period(start: date | None, end: date | None, *, months: int = 24) -> None:
    if start is None or end is None:
        raise ValidationError({"period_start": _("Give the period.")})
    if end <= start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    if end > selectors.add_months(start, months):
        raise ValidationError({"period_end": _("A biannual document covers at most two years (Art. 8(2)).")})


def create_programme(
    *, actor, title: str, period_start: date, period_end: date, summary: str = ""
) -> WorkProgramme:
    """Draft a biannual work programme (Art. 8(2)(a))."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        _check_period(period_start, period_end)
        programme = WorkProgramme(
            title=(title or "").strip(),
            period_start=period_start,
            period_end=period_end,
            summary=(summary or "").strip(),
            created_by=actor,
        )
        _clean(programme, exclude=["created_by"])
        programme.save()
        audit.record_change(
            actor=actor,
            action="board.programme.create",
            obj=programme,
            changes={"period": [period_start, period_end]},
        )
        return programme


def add_programme_item(
    *,
    actor,
    programme: WorkProgramme,
    kind: str,
    title: str,
    description: str = "",
    resources: str = "",
    owner: Organisation | None = None,
    due_on: date | None = None,
) -> WorkProgrammeItem:
    """A priority or activity with the resources it needs and its owner (Art. 8(2)(a)). Items of
    an adopted programme change through an evaluation and a new programme (Art. 8(2)(b))."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        programme = WorkProgramme.objects.select_for_update().get(pk=programme.pk)
        if programme.status != ProgrammeStatus.DRAFT:
            raise ValidationError(
                _("An adopted work programme changes only through an evaluation and a new version.")
            )
        if kind not in ItemKind.values:
            raise ValidationError({"kind": _("Choose priority or activity.")})
        if due_on and not programme.period_start <= due_on <= programme.period_end:
            raise ValidationError({"due_on": _("The due date must be within the programme's period.")})
        item = WorkProgrammeItem(
            programme=programme,
            kind=kind,
            title=(title or "").strip(),
            description=description,
            resources=resources,
            owner=owner,
            due_on=due_on,
        )
        _clean(item)
        item.save()
        audit.record_change(
            actor=actor, action="board.programme.item", obj=programme, changes={"title": item.title}
        )
        return item


def set_item_status(*, actor, item: WorkProgrammeItem, status: str) -> WorkProgrammeItem:
    """Progress of an activity, for the regular evaluation (Art. 8(2)(b))."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        if status not in ItemStatus.values:
            raise ValidationError({"status": _("Choose a status.")})
        old = item.status
        item.status = status
        item.save(update_fields=["status"])
        audit.record_change(
            actor=actor,
            action="board.programme.item_status",
            obj=item.programme,
            changes={"item": item.pk, "status": [old, status]},
        )
        return item


def add_evaluation(
    *,
    actor,
    programme: WorkProgramme,
    evaluated_on: date,
    findings: str,
    proposed_changes: str = "",
    networks_progress: str = "",
) -> Evaluation:
    """A regular evaluation with proposed changes to the programme (Art. 8(2)(b))."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        if evaluated_on is None or evaluated_on > timezone.localdate():
            raise ValidationError({"evaluated_on": _("An evaluation is dated today or earlier.")})
        evaluation = Evaluation(
            programme=programme,
            evaluated_on=evaluated_on,
            findings=(findings or "").strip(),
            proposed_changes=(proposed_changes or "").strip(),
            networks_progress=(networks_progress or "").strip(),
            recorded_by=actor,
        )
        _clean(evaluation, exclude=["recorded_by"])
        evaluation.save()
        audit.record_change(
            actor=actor,
            action="board.programme.evaluation",
            obj=programme,
            changes={"evaluated_on": evaluated_on},
        )
        return evaluation


def _mark_sent(actor, obj, kind: str, on: date | None):
    policy.authorize(actor, A.MANAGE_BOARD)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.status != ProgrammeStatus.ADOPTED:
        raise ValidationError(_("Only an adopted document is sent to the European Parliament (Art. 8(2))."))
    if obj.sent_to_ep_on is not None:
        raise ValidationError(_("This document was already sent to the European Parliament."))
    day = on or timezone.localdate()
    if day > timezone.localdate() or day < obj.adopted_on:
        raise ValidationError({"sent_to_ep_on": _("The date must be between adoption and today.")})
    obj.sent_to_ep_on = day
    obj.sent_to_ep_by = actor
    obj.save(update_fields=["sent_to_ep_on", "sent_to_ep_by"])
    audit.record_change(
        actor=actor, action=f"board.{kind}.sent_to_ep", obj=obj, changes={"sent_to_ep_on": day}
    )
    return obj


@transaction.atomic
def mark_programme_sent(*, actor, programme: WorkProgramme, on: date | None = None) -> WorkProgramme:
    """Art. 8(2), last paragraph: the work programme goes to the European Parliament."""
    return _mark_sent(actor, programme, "programme", on)


@transaction.atomic
def mark_report_sent(*, actor, report: ActivityReport, on: date | None = None) -> ActivityReport:
    """Art. 8(2), last paragraph: the activity report goes to the European Parliament."""
    return _mark_sent(actor, report, "report", on)


def record_ad_hoc_action(
    *,
    actor,
    title: str,
    description: str,
    networks: str,
    agreed_on: date,
    meeting: Meeting | None = None,
    due_on: date | None = None,
) -> AdHocAction:
    """An ad-hoc action by networks agreed outside the work programme (Art. 8(3)(a))."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        errors = {}
        if agreed_on is None or agreed_on > timezone.localdate():
            errors["agreed_on"] = _("An action is recorded once agreed (today or earlier).")
        if due_on and agreed_on and due_on < agreed_on:
            errors["due_on"] = _("The due date cannot be before the agreement.")
        if errors:
            raise ValidationError(errors)
        action = AdHocAction(
            title=(title or "").strip(),
            description=(description or "").strip(),
            networks=(networks or "").strip(),
            agreed_on=agreed_on,
            meeting=meeting,
            due_on=due_on,
            created_by=actor,
        )
        _clean(action, exclude=["created_by"])
        action.save()
        audit.record_change(
            actor=actor, action="board.ad_hoc_action.create", obj=action, changes={"title": action.title}
        )
        return action


def update_ad_hoc_action(*, actor, action: AdHocAction, status: str, result: str = "") -> AdHocAction:
    """Progress and result of an ad-hoc action, shared on the platform (Art. 9(2)(b))."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        if status not in ActionStatus.values:
            raise ValidationError({"status": _("Choose a status.")})
        old = action.status
        action.status, action.result = status, (result or "").strip()
        _clean(action, exclude=["created_by"])
        action.save(update_fields=["status", "result"])
        audit.record_change(
            actor=actor, action="board.ad_hoc_action.update", obj=action, changes={"status": [old, status]}
        )
        return action


def record_training(
    *,
    actor,
    kind: str,
    title: str,
    description: str = "",
    provider: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    programme: WorkProgramme | None = None,
) -> Training:
    """A training activity or curriculum the board supports (Art. 8(3)(c))."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        if kind not in TrainingKind.values:
            raise ValidationError({"kind": _("Choose a kind of training.")})
        if starts_on and ends_on and ends_on < starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
        training = Training(
            kind=kind,
            title=(title or "").strip(),
            description=(description or "").strip(),
            provider=(provider or "").strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            programme=programme,
            created_by=actor,
        )
        _clean(training, exclude=["created_by"])
        training.save()
        audit.record_change(actor=actor, action="board.training.create", obj=training, changes={"kind": kind})
        return training


# --- activity report (Art. 8(2)(c), 4(1)) -----------------------------------------------------


def _overview(start: date, end: date) -> dict[str, Any]:
    return deployment_reporting.deployment_overview(period_start=start, period_end=end)


def create_report(
    *, actor, title: str, period_start: date, period_end: date, body: str = ""
) -> ActivityReport:
    """The chair drafts the biannual activity report (Art. 8(2)(c)); its overview of deployments
    (Art. 4(1), second subparagraph) is generated from the registry."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        _check_period(period_start, period_end)
        report = ActivityReport(
            title=(title or "").strip(),
            period_start=period_start,
            period_end=period_end,
            body=(body or "").strip(),
            drafted_by=actor,
        )
        _clean(report, exclude=["drafted_by"])
        report.overview = _overview(period_start, period_end)
        report.overview_generated_at = timezone.now()
        report.save()
        audit.record_change(
            actor=actor,
            action="board.report.create",
            obj=report,
            changes={"period": [period_start, period_end]},
        )
        return report


def update_report(
    *,
    actor,
    report: ActivityReport,
    title: str | None = None,
    body: str | None = None,
    regenerate_overview: bool = False,
) -> ActivityReport:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        report = ActivityReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ProgrammeStatus.DRAFT:
            raise ValidationError(_("An adopted activity report is not changed."))
        if report.motions.filter(status=MotionStatus.OPEN).exists():
            raise ValidationError(_("The report is being voted on; it cannot be changed now."))
        changes: dict[str, Any] = {}
        if title is not None and title.strip() != report.title:
            changes["title"] = [report.title, title.strip()]
            report.title = title.strip()
        if body is not None and body.strip() != report.body:
            changes["body"] = "changed"
            report.body = body.strip()
        if regenerate_overview:
            report.overview = _overview(report.period_start, report.period_end)
            report.overview_generated_at = timezone.now()
            changes["overview"] = "regenerated"
        _clean(report, exclude=["drafted_by"])
        report.save()
        if changes:
            audit.record_change(actor=actor, action="board.report.update", obj=report, changes=changes)
        return report


def record_members_list_read(
    *,
    actor,
    fmt: str = "html",
    page: int | None = None,
    rows: int | None = None,
    filters: dict[str, Any] | None = None,
) -> None:
    """Audit one read of the list of board members (Art. 9(2)(c), 9(3)): one event per page or
    export, not per row."""
    audit.record(
        action="personal_data.read",
        actor=actor,
        details={
            "list": "board_members",
            "format": fmt,
            "page": page,
            "rows": rows,
            "filters": filters or {},
        },
    )
