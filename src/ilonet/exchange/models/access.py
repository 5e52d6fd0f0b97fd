"""What the steering board decided about access: the parts of the platform opened to the European
Parliament (Art. 9(4)) and the users it authorised to override the personal-data guard
(Art. 9(3)). Each is linked to the board's adopted decision (its motion)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import Document
from .spaces import Folder, Space


class ParliamentOpening(models.Model):
    """A space, a folder (with its subfolders) or a document the board opened to the European
    Parliament's reader (Art. 9(4)). Exactly one of the three is set."""

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    folder = models.ForeignKey(
        Folder, verbose_name=_("folder"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    motion_id = models.PositiveBigIntegerField(_("board decision"))
    motion_title = models.CharField(_("board decision (title)"), max_length=300)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("opening to the European Parliament")
        verbose_name_plural = _("openings to the European Parliament")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(space__isnull=False, folder__isnull=True, document__isnull=True)
                    | models.Q(space__isnull=True, folder__isnull=False, document__isnull=True)
                    | models.Q(space__isnull=True, folder__isnull=True, document__isnull=False)
                ),
                name="exchange_opening_one_target",
            )
        ]

    def __str__(self) -> str:
        return str(self.space or self.folder or self.document)

    @property
    def target(self):
        return self.space or self.folder or self.document


class OverrideAuthorisation(models.Model):
    """A user the board authorised, by its decision, to override findings of the personal-data
    guard they judge false (Art. 9(3))."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    motion_id = models.PositiveBigIntegerField(_("board decision"))
    motion_title = models.CharField(_("board decision (title)"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("override authorisation")
        verbose_name_plural = _("override authorisations")
        ordering = ["-granted_at", "-pk"]

    def __str__(self) -> str:
        return str(self.user)
