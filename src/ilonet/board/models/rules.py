"""Rules of procedure (Art. 8(1)): ``RulesOfProcedure`` versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- rules of procedure (Art. 8(1)) ---------------------------------------------------------------


class RulesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class SecretBallot(models.TextChoices):
    NEVER = "never", _("Votes are open")
    ON_REQUEST = "on_request", _("The chair may hold a vote by secret ballot")
    ALWAYS = "always", _("Every vote is by secret ballot")


class RulesOfProcedure(models.Model):
    """A version of the rules of procedure, adopted on the chair's proposal within three
    months of the first meeting; they set the voting procedure, when a member may act on
    behalf of another (proxies) and any quorum (Art. 8(1)). The voting parameters are data:
    the vote service reads them from the version in force when a vote opens."""

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=100000)
    proxies_allowed = models.BooleanField(
        _("a member may act on behalf of another"), default=False, help_text=_("Art. 8(1), second sentence.")
    )
    max_proxies_per_holder = models.PositiveSmallIntegerField(_("proxies one member may hold"), default=1)
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (percentage of the voting members)"),
        default=0,
        help_text=_("Share of the voting members who must take part for a vote to count; 0: no quorum."),
    )
    secret_ballot = models.CharField(
        _("secret ballot"), max_length=12, choices=SecretBallot.choices, default=SecretBallot.NEVER
    )
    written_procedure_allowed = models.BooleanField(_("written procedure allowed"), default=True)
    written_procedure_min_days = models.PositiveSmallIntegerField(
        _("written procedure: minimum days open"), default=5
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RulesStatus.choices, default=RulesStatus.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rules of procedure")
        verbose_name_plural = _("rules of procedure")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_percent__lte=100), name="board_rules_quorum_percent"
            ),
            models.CheckConstraint(
                condition=models.Q(max_proxies_per_holder__gte=1), name="board_rules_max_proxies_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"
