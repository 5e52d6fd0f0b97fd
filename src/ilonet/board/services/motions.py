"""Motions and decisions: drafting, opening, closing, adoption and dispatch (Art. 7(8), Art. 7(9),
Art. 8(1))."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.deployments import selectors as deployment_selectors
from ilonet.policy.markers import system_operation

from .. import counting, notices, sealing, selectors
from ..models import (
    ActivityReport,
    Ballot,
    ChangeKind,
    DecisionDispatch,
    Meeting,
    MeetingStatus,
    Motion,
    MotionStatus,
    Outcome,
    Procedure,
    ProgrammeStatus,
    RulesOfProcedure,
    RulesStatus,
    SealedBallot,
    SecretBallot,
    WorkProgramme,
)
from .common import A, _change, _clean

# --- motions (Art. 7(8), Art. 8(1)) --------------------------------------------------------------------


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
    if rules is not None:
        policy.authorize(actor, A.PROPOSE_RULES)  # Art. 8(1): on the chair's proposal
    with transaction.atomic():
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
            action=AuditAction.BOARD_MOTION_CREATED,
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
            audit.record_change(
                actor=actor, action=AuditAction.BOARD_MOTION_AMENDED, obj=motion, changes=changes
            )
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
            if motion.closes_at is None or motion.closes_at < earliest:
                raise ValidationError(
                    {
                        "closes_at": ngettext(
                            "The rules of procedure keep a written procedure open for at least %(days)d day "
                            "(Art. 8(1)).",
                            "The rules of procedure keep a written procedure open for at least %(days)d days "
                            "(Art. 8(1)).",
                            rules.written_procedure_min_days,
                        )
                        % {"days": rules.written_procedure_min_days}
                    }
                )
        refusal = selectors.open_refusal(motion=motion, now=now)  # the meeting's day
        if refusal:
            raise ValidationError(refusal)
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
            action=AuditAction.BOARD_MOTION_OPENED,
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
        if motion.status == MotionStatus.OPEN and motion.closes_at and closes_at < motion.closes_at:
            raise ValidationError({"closes_at": _("An open written procedure can only be extended.")})
        old = motion.closes_at
        motion.closes_at = closes_at
        motion.save(update_fields=["closes_at"])
        # The history is JSON: times as ISO 8601 text.
        _change(
            motion,
            ChangeKind.DEADLINE,
            actor,
            timezone.now(),
            old=old.isoformat() if old else None,
            new=closes_at.isoformat(),
        )
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_MOTION_DEADLINE_CHANGED,
            obj=motion,
            changes={"closes_at": [old, closes_at]},
        )
        return motion


def withdraw_motion(*, actor, motion: Motion) -> Motion:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        motion = _locked_motion(motion)
        if motion.status not in (MotionStatus.DRAFT, MotionStatus.OPEN):
            raise ValidationError(_("A closed motion cannot be withdrawn."))
        old = motion.status
        SealedBallot.objects.filter(motion=motion).delete()  # never counted, never to be opened
        motion.status = MotionStatus.WITHDRAWN
        motion.closed_at = timezone.now()
        motion.save(update_fields=["status", "closed_at"])
        _change(motion, ChangeKind.WITHDRAWN, actor, motion.closed_at, previous=old)
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_MOTION_WITHDRAWN,
            obj=motion,
            changes={"status": [old, "withdrawn"]},
        )
        return motion


def _apply_adoption(motion: Motion, day: date) -> None:
    """What an adopted decision adopts (Art. 8(1), Art. 8(2)(a), Art. 8(2)(c)), and its dispatch to the
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
        dispatches = DecisionDispatch.objects.bulk_create(
            [
                DecisionDispatch(motion=motion, authority=a)
                for a in deployment_selectors.deploying_authorities()
            ]
        )
        for dispatch in DecisionDispatch.objects.filter(pk__in=[d.pk for d in dispatches]).select_related(
            "motion"
        ):
            notices.decision_to_pass_on(dispatch=dispatch)


def _unseal_ballots(motion: Motion) -> None:
    """Turn the sealed ballots of a secret vote into ballots, in the closing transaction
    (Art. 8(1): secret ballots). Every ballot of the motion (sealed ones, and any written the old
    way) is deleted and written again with a new random id, in an order drawn from the operating
    system's random source: afterwards no ballot's id, row number (SQLite ``rowid``, PostgreSQL
    ``ctid``), transaction id (``xmin``) or position says which participation it belongs to."""
    sealed = list(SealedBallot.objects.filter(motion=motion).values_list("sealed", flat=True))
    ballots = [sealing.unseal(motion_id=motion.pk, sealed=blob) for blob in sealed] + list(
        Ballot.objects.filter(motion=motion).values_list("choice", "receipt_fingerprint")
    )
    random.SystemRandom().shuffle(ballots)
    SealedBallot.objects.filter(motion=motion).delete()
    Ballot.objects.filter(motion=motion).delete()
    for choice, fingerprint in ballots:  # one insert each, so the row order is the shuffled order
        Ballot.objects.create(motion=motion, choice=choice, receipt_fingerprint=fingerprint)


def _close_locked(motion: Motion, *, actor, now: datetime, reason: str) -> Motion:
    if motion.secret:
        _unseal_ballots(motion)
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
        action=AuditAction.BOARD_MOTION_CLOSED,
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
    """Close the vote and count (Art. 7(8)). The chair or secretariat closes a vote in a meeting
    (Art. 7(6)); a written procedure runs until its deadline unless every voting seat has voted
    (``selectors.close_refusal``, the rule the pages and the API show)."""
    policy.authorize(actor, A.CLOSE_VOTE)
    with transaction.atomic():
        now = now or timezone.now()
        motion = _locked_motion(motion)
        refusal = selectors.close_refusal(motion=motion, now=now)
        if refusal:
            raise ValidationError(refusal)
        reason = "deadline" if motion.closes_at and now >= motion.closes_at else "chair"
        return _close_locked(motion, actor=actor, now=now, reason=reason)


@system_operation
def close_due_motions(*, now: datetime | None = None) -> list[Motion]:
    """Close the written procedures whose deadline has passed (run by the scheduler and when a
    motion is viewed) and tell the board of each outcome (Art. 7(8)). Idempotent; each motion
    closes, and its notification is made, in its own transaction."""
    now = now or timezone.now()
    closed = []
    for pk in list(selectors.due_motions(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            motion = Motion.objects.select_for_update().get(pk=pk)
            if motion.status == MotionStatus.OPEN and motion.closes_at and motion.closes_at <= now:
                closed.append(_close_locked(motion, actor=None, now=motion.closes_at, reason="deadline"))
                notices.written_procedure_closed(motion=motion)
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
            action=AuditAction.BOARD_DECISION_PASSED_ON,
            obj=dispatch,
            changes={"motion": dispatch.motion_id, "authority": dispatch.authority.code},
        )
        notices.decision_passed_on(dispatch=dispatch)
        return dispatch
