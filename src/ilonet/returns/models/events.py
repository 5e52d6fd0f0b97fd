"""The append-only timeline of a case. A correction is a new event that supersedes an earlier
one (``supersedes_seq``), never an edit: database triggers refuse UPDATE and DELETE (migration
0001_initial), as for the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import ReturnCase


class CaseEvent(models.Model):
    case = models.ForeignKey(ReturnCase, on_delete=models.PROTECT, related_name="events")
    member_state = models.CharField(max_length=2)
    seq = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=40)
    occurred_on = models.DateField(_("date"))
    fields = models.JSONField(_("fields"), default=dict)
    supersedes_seq = models.PositiveIntegerField(_("supersedes event"), null=True, blank=True)
    needs_approval = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="returns_event_seq_once")]
        indexes = [models.Index(fields=["member_state", "kind", "occurred_on"], name="returns_event_kind")]

    def __str__(self) -> str:
        return f"event {self.seq} ({self.kind}) of case {self.case_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Case events are append-only: record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case events are append-only.")
