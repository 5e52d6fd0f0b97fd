"""Reminders to the chair (Art. 7(7), Art. 8(1), Art. 8(2)(d)), recorded once each."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ilonet.shared.dates import short_date


class ReminderKind(models.TextChoices):
    RULES_DEADLINE = "rules_deadline", _("Rules of procedure due (Art. 8(1))")
    MEETING_CADENCE = "meeting_cadence", _("At least two meetings a year (Art. 7(7))")
    OFFICER_LIST = "officer_list", _("List of deployed ILOs before the meeting (Art. 8(2)(d))")


class Reminder(models.Model):
    """A reminder that fell due, recorded when the daily job found it due. Its ``key`` names
    the occasion (``rules_deadline:2026-04-15:7d``), is unique, and so makes the reminder go out
    once however often the job runs; the notification hook is called when the row is made."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    key = models.CharField(_("key"), max_length=120, unique=True)
    due_on = models.DateField(_("due on"))
    meeting = models.ForeignKey(
        "board.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({short_date(self.due_on)})"
