"""Approvals of the steps that need a second person: return decision, entry ban, travel-document
request, detention order and each re-assessment, scheduled enforced return (escort), return
incentive or reintegration package. A step's event takes effect only once approved; a revoked
approval withdraws its effect (RS 2(a), RS 2(b))."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cases import ReturnCase
from .events import CaseEvent


class ApprovalStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


class Approval(models.Model):
    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, related_name="approvals")
    member_state = models.CharField(max_length=2)
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="approval")
    step = models.CharField(_("step"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=ApprovalStatus.choices, default="requested")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        indexes = [
            models.Index(fields=["member_state", "status", "id"], name="returns_approval_waiting"),
            # the case indicators' fold looks up the decisions and revocations since its last run
            # (``facts.cases_with_decisions_since``); few approvals are ever revoked: partial
            models.Index(fields=["decided_at"], name="returns_approval_decided"),
            models.Index(
                fields=["revoked_at"], name="returns_approval_revoked", condition=Q(revoked_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"approval {self.pk} ({self.step}) of case {self.case_id}"
