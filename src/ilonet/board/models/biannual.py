"""What the biannual work programme and activity report share (Art. 8(2)): a title, a period of
at most two years, adoption by the board and the day they were sent to the European Parliament
(Art. 8(2), last paragraph)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


def period_ordered(name: str) -> models.CheckConstraint:
    """The period ends after it starts (named per table, as in the first migration)."""
    return models.CheckConstraint(condition=models.Q(period_end__gt=models.F("period_start")), name=name)


class BiannualDocument(models.Model):
    """Abstract base of ``WorkProgramme`` and ``ActivityReport``; no table of its own. Subclasses
    name their author field and text field, which the shared services and pages use."""

    author_field = "created_by"
    text_field = "summary"
    audit_kind = ""  # the middle of the audit actions, "board.<kind>.create"

    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-period_start", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def awaits_sending(self) -> bool:
        """Adopted and not yet sent to the European Parliament (Art. 8(2), last paragraph)."""
        return self.status == ProgrammeStatus.ADOPTED and self.sent_to_ep_on is None
