"""Approvals of the steps that need a second person (RS 2(a), RS 2(b)): a return decision, an
entry ban, a travel-document request, a detention order and each re-assessment, a scheduled
enforced return (its escort), a return incentive or reintegration package.

In order: requested (by recording the step, ``services.timeline.record_event``), then approved
or refused by a return officer of the case's member state **other than the requester**; an
approval is revocable with a reason. Approving makes the step's event take effect (the timeline
is replayed with it; refused, naming the rule, if it no longer fits); revoking withdraws it
(refused if later events depend on it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from .. import derive, rls
from ..machine import Refusal
from ..models import Approval, ApprovalStatus

A = policy.Action


def _approval(approval: Approval | int) -> Approval:
    if isinstance(approval, Approval):
        return approval
    with rls.system_scope():
        return Approval.objects.select_related("case", "event").get(pk=int(approval))


def _reason(reason: str, *, required: bool) -> str:
    text = " ".join((reason or "").split())
    if required and not text:
        raise ValidationError({"reason": _("Give the reason.")})
    if len(text) > 300:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": 300}})
    return text


def _decide(actor: Any, approval: Approval, *, approve: bool, reason: str, version: int | None) -> Approval:
    with rls.scope_for(actor):
        case = derive.locked(approval.case_id, version)
        row = Approval.objects.select_for_update().get(pk=approval.pk)
        if row.status != ApprovalStatus.REQUESTED:
            raise ValidationError(
                {
                    "approval": _("This step is not waiting for a decision (it is %(status)s).")
                    % {"status": row.get_status_display().lower()}
                }
            )
        if row.requested_by_id is not None and row.requested_by_id == actor.pk:
            raise ValidationError(
                {
                    "approval": _(
                        "A step is approved or refused by someone other than the officer who requested it."
                    )
                }
            )
        row.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
        row.decided_by, row.decided_at, row.reason = actor, timezone.now(), reason
        row.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        try:
            derived = derive.check(case, events=derive.timeline_of(case))
        except Refusal as refusal:
            raise derive.refused(refusal, "approval") from None
        derive.store(case, derived, actor=actor, change=f"{row.step} {row.status}")
        audit.record(
            action=AuditAction.RETURN_APPROVAL_DECIDED,
            actor=actor,
            obj=case,
            details={
                "case": case.reference,
                "member_state": case.member_state,
                "approval": row.pk,
                "step": row.step,
                "seq": approval.event.seq,
                "decision": row.status,
                "version": case.version,
            },
        )
    return row


def approve_step(*, actor: Any, approval: Approval | int, version: int | None = None) -> Approval:
    """Approve a requested step: its event takes effect now."""
    policy.authorize(actor, A.APPROVE_RETURN_STEPS)
    row = _approval(approval)
    policy.authorize(actor, A.APPROVE_RETURN_STEPS, row)
    return _decide(actor, row, approve=True, reason="", version=version)


def refuse_step(*, actor: Any, approval: Approval | int, reason: str, version: int | None = None) -> Approval:
    """Refuse a requested step, with the reason: its event never takes effect."""
    policy.authorize(actor, A.APPROVE_RETURN_STEPS)
    row = _approval(approval)
    policy.authorize(actor, A.APPROVE_RETURN_STEPS, row)
    return _decide(actor, row, approve=False, reason=_reason(reason, required=True), version=version)


def revoke_approval(
    *, actor: Any, approval: Approval | int, reason: str, version: int | None = None
) -> Approval:
    """Revoke an approval given earlier, with the reason: the step's event stops taking effect.
    Refused while later events depend on it (the rule is named)."""
    policy.authorize(actor, A.APPROVE_RETURN_STEPS)
    row = _approval(approval)
    policy.authorize(actor, A.APPROVE_RETURN_STEPS, row)
    text = _reason(reason, required=True)
    with rls.scope_for(actor):
        case = derive.locked(row.case_id, version)
        row = Approval.objects.select_for_update().select_related("event").get(pk=row.pk)
        if row.status != ApprovalStatus.APPROVED:
            raise ValidationError({"approval": _("Only an approval given can be revoked.")})
        row.status, row.revoked_by, row.revoked_at, row.revoke_reason = (
            ApprovalStatus.REVOKED,
            actor,
            timezone.now(),
            text,
        )
        row.save(update_fields=["status", "revoked_by", "revoked_at", "revoke_reason"])
        try:
            derived = derive.check(case, events=derive.timeline_of(case))
        except Refusal as refusal:
            raise derive.refused(refusal, "approval") from None
        derive.store(case, derived, actor=actor, change=f"{row.step} approval revoked")
        audit.record(
            action=AuditAction.RETURN_APPROVAL_REVOKED,
            actor=actor,
            obj=case,
            details={
                "case": case.reference,
                "member_state": case.member_state,
                "approval": row.pk,
                "step": row.step,
                "seq": row.event.seq,
                "version": case.version,
            },
        )
    return row
