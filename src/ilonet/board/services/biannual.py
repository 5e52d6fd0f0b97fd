"""What the work programme and the activity report share (Art. 8(2)): drafting one for a period
of at most two years, and recording that it was sent to the European Parliament."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from .. import selectors
from ..dates import board_day_problems
from ..models import BiannualDocument, ProgrammeStatus
from .common import A, _clean

D = TypeVar("D", bound=BiannualDocument)


# The audit action of each kind of document (the work programme, the activity report: Art. 8(2)).
CREATED: dict[str, AuditAction] = {
    "programme": AuditAction.BOARD_PROGRAMME_CREATED,
    "report": AuditAction.BOARD_REPORT_CREATED,
}
SENT_TO_EP: dict[str, AuditAction] = {
    "programme": AuditAction.BOARD_PROGRAMME_SENT_TO_EP,
    "report": AuditAction.BOARD_REPORT_SENT_TO_EP,
}


def _check_period(start: date | None, end: date | None, *, months: int = 24, past: bool = False) -> None:
    """A biannual document covers a period of at most two years (Art. 8(2)), not before the board
    existed, starting at most two years ahead; a report (``past``) covers a period that has
    begun: it reports on activities (Art. 8(2)(c))."""
    if start is None or end is None:
        raise ValidationError({"period_start": _("Give the period.")})
    if end <= start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    if end > selectors.add_months(start, months):
        raise ValidationError({"period_end": _("A biannual document covers at most two years (Art. 8(2)).")})
    problems = board_day_problems("period_start", start, future=not past)
    if problems:
        raise ValidationError(problems)


def create_draft(
    model: type[D],
    *,
    actor,
    title: str,
    period_start: date,
    period_end: date,
    text: str = "",
    prepare: Callable[[D], None] | None = None,
) -> D:
    """Draft a work programme or activity report: ``text`` goes to the model's text field, the
    actor to its author field; ``prepare`` adds what a kind needs before it is saved."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        _check_period(period_start, period_end, past=model.audit_kind == "report")
        document = model(
            title=(title or "").strip(),
            period_start=period_start,
            period_end=period_end,
            **{model.text_field: (text or "").strip(), model.author_field: actor},
        )
        _clean(document, exclude=[model.author_field])
        if prepare is not None:
            prepare(document)
        document.save()
        changes = {"period": [period_start, period_end]}
        audit.record_change(actor=actor, action=CREATED[document.audit_kind], obj=document, changes=changes)
        return document


def mark_sent(*, actor, document: D, on: date | None = None) -> D:
    """Art. 8(2), last paragraph: an adopted work programme or activity report goes to the
    European Parliament (who sent it and when; the reader of Art. 9(4) then sees it)."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        return _mark_sent_locked(actor, document, on)


def _mark_sent_locked(actor, document: D, on: date | None) -> D:
    document = type(document)._default_manager.select_for_update().get(pk=document.pk)
    if document.status != ProgrammeStatus.ADOPTED:
        raise ValidationError(_("Only an adopted document is sent to the European Parliament (Art. 8(2))."))
    if document.sent_to_ep_on is not None:
        raise ValidationError(_("This document was already sent to the European Parliament."))
    day = on or timezone.localdate()
    if day > timezone.localdate() or (document.adopted_on is not None and day < document.adopted_on):
        raise ValidationError({"sent_to_ep_on": _("The date must be between adoption and today.")})
    document.sent_to_ep_on = day
    document.sent_to_ep_by = actor
    document.save(update_fields=["sent_to_ep_on", "sent_to_ep_by"])
    changes = {"sent_to_ep_on": day}
    audit.record_change(actor=actor, action=SENT_TO_EP[document.audit_kind], obj=document, changes=changes)
    return document
