"""Work programme, evaluation, ad-hoc actions and training (Art. 8(2)(a), Art. 8(2)(b),
Art. 8(3)(a), Art. 8(3)(c))."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.directory.models import Organisation
from ilonet.shared.dates import long_date

from ..dates import board_day_problems
from ..models import (
    ActionStatus,
    AdHocAction,
    Evaluation,
    ItemKind,
    ItemStatus,
    Meeting,
    ProgrammeStatus,
    Training,
    TrainingKind,
    WorkProgramme,
    WorkProgrammeItem,
)
from .biannual import create_draft, mark_sent
from .common import A, _clean, _save_new


def create_programme(
    *, actor, title: str, period_start: date, period_end: date, summary: str = ""
) -> WorkProgramme:
    """Draft a biannual work programme (Art. 8(2)(a))."""
    return create_draft(
        WorkProgramme,
        actor=actor,
        title=title,
        period_start=period_start,
        period_end=period_end,
        text=summary,
    )


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
            actor=actor,
            action=AuditAction.BOARD_PROGRAMME_ITEM_ADDED,
            obj=programme,
            changes={"title": item.title},
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
            action=AuditAction.BOARD_PROGRAMME_ITEM_STATUS_CHANGED,
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
        if evaluated_on < programme.period_start:
            raise ValidationError(
                {
                    "evaluated_on": _("The programme's period starts on %(day)s: an evaluation comes after.")
                    % {"day": long_date(programme.period_start)}
                }
            )
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
            action=AuditAction.BOARD_PROGRAMME_EVALUATED,
            obj=programme,
            changes={"evaluated_on": evaluated_on},
        )
        return evaluation


def mark_programme_sent(*, actor, programme: WorkProgramme, on: date | None = None) -> WorkProgramme:
    """Art. 8(2), last paragraph: the work programme goes to the European Parliament."""
    return mark_sent(actor=actor, document=programme, on=on)


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
        for problems in (
            board_day_problems("agreed_on", agreed_on, future=False),
            board_day_problems("due_on", due_on),
        ):
            for field, message in problems.items():
                errors.setdefault(field, message)
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
        _save_new(action, exclude=["created_by"])
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_AD_HOC_ACTION_CREATED,
            obj=action,
            changes={"title": action.title},
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
            actor=actor,
            action=AuditAction.BOARD_AD_HOC_ACTION_UPDATED,
            obj=action,
            changes={"status": [old, status]},
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
        problems = board_day_problems("starts_on", starts_on) or board_day_problems("ends_on", ends_on)
        if problems:
            raise ValidationError(problems)
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
        _save_new(training, exclude=["created_by"])
        audit.record_change(
            actor=actor, action=AuditAction.BOARD_TRAINING_CREATED, obj=training, changes={"kind": kind}
        )
        return training
