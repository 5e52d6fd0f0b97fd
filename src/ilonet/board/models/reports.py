"""Activity report (Art. 8(2)(c), Art. 4(1)): ``ActivityReport`` with its deployment overview."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .biannual import BiannualDocument, period_ordered


class ActivityReport(BiannualDocument):
    """The biannual activity report prepared by the chair and adopted by the board
    (Art. 8(2)(c)), with an overview of deployments (Art. 4(1), second subparagraph) generated
    from the registry; sent to the European Parliament (Art. 8(2), last paragraph)."""

    author_field = "drafted_by"
    text_field = "body"
    audit_kind = "report"

    body = models.TextField(_("text"), max_length=100000, blank=True)
    overview = models.JSONField(_("overview of deployments"), default=dict, blank=True)
    overview_generated_at = models.DateTimeField(_("overview generated at"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta(BiannualDocument.Meta):
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        constraints = [period_ordered("board_report_period_ordered")]
