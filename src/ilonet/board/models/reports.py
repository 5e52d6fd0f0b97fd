"""Activity report (Art. 8(2)(c), 4(1)): ``ActivityReport`` with its deployment overview."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .biannual import ProgrammeStatus

# --- activity report (Art. 8(2)(c), 4(1)) -----------------------------------------------------


class ActivityReport(models.Model):
    """The biannual activity report prepared by the chair and adopted by the board
    (Art. 8(2)(c)), with an overview of deployments (Art. 4(1), second subparagraph) generated
    from the registry; sent to the European Parliament (Art. 8(2), last paragraph)."""

    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    body = models.TextField(_("text"), max_length=100000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    overview = models.JSONField(_("overview of deployments"), default=dict, blank=True)
    overview_generated_at = models.DateTimeField(_("overview generated at"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    sent_to_ep_on = models.DateField(_("sent to the European Parliament on"), null=True, blank=True)
    sent_to_ep_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="board_report_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title
