"""Work programme, evaluation, ad-hoc actions and training (Art. 8(2)(a), Art. 8(2)(b),
Art. 8(3)(a), Art. 8(3)(c))."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilonet.shared.dates import short_date

from .biannual import BiannualDocument, period_ordered
from .meetings import Meeting


class WorkProgramme(BiannualDocument):
    """The biannual (two-year) work programme: priorities, planned activities and the
    resources needed (Art. 8(2)(a)); sent to the European Parliament (Art. 8(2), last
    paragraph)."""

    audit_kind = "programme"

    summary = models.TextField(_("summary"), max_length=20000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta(BiannualDocument.Meta):
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        constraints = [period_ordered("board_programme_period_ordered")]


class ItemKind(models.TextChoices):
    PRIORITY = "priority", _("Priority")
    ACTIVITY = "activity", _("Activity")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class WorkProgrammeItem(models.Model):
    """A priority or planned activity of a work programme, with the resources needed and
    who carries it (Art. 8(2)(a))."""

    programme = models.ForeignKey(
        WorkProgramme, verbose_name=_("work programme"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    resources = models.TextField(_("resources needed"), max_length=2000, blank=True)
    owner = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )

    class Meta:
        verbose_name = _("work programme item")
        verbose_name_plural = _("work programme items")
        ordering = ["programme", "kind", "pk"]

    def __str__(self) -> str:
        return self.title


class Evaluation(models.Model):
    """A periodic evaluation of the board's activities with proposed changes to the work
    programme, including the appointment of facilitators and the networks' progress with
    third-country authorities (Art. 8(2)(b))."""

    programme = models.ForeignKey(
        WorkProgramme, verbose_name=_("work programme"), on_delete=models.CASCADE, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("evaluated on"))
    findings = models.TextField(_("findings"), max_length=20000)
    proposed_changes = models.TextField(
        _("proposed changes to the work programme"), max_length=20000, blank=True
    )
    networks_progress = models.TextField(
        _("facilitators and progress of the networks"), max_length=20000, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-evaluated_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme} ({short_date(self.evaluated_on)})"


class ActionStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class AdHocAction(models.Model):
    """An ad-hoc action by networks of liaison officers agreed by the board outside the work
    programme (Art. 8(3)(a)); its results are shared on the platform (Art. 9(2)(b))."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    networks = models.CharField(_("networks concerned"), max_length=500)
    agreed_on = models.DateField(_("agreed on"))
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("agreed at the meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.AGREED
    )
    result = models.TextField(_("result"), max_length=10000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ad-hoc action")
        verbose_name_plural = _("ad-hoc actions")
        ordering = ["-agreed_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class TrainingKind(models.TextChoices):
    """Art. 8(3)(c)."""

    CORE_CURRICULUM = "core_curriculum", _("Common core curriculum (non-mandatory)")
    PRE_DEPLOYMENT = "pre_deployment", _("Pre-deployment training")
    FUNDAMENTAL_RIGHTS = "fundamental_rights", _("Fundamental rights guidance (vulnerable persons)")
    JOINT_SEMINAR = "joint_seminar", _("Joint seminar on an Art. 3(4) topic")


class Training(models.Model):
    """Training activities and curricula the board supports (Art. 8(3)(c))."""

    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    provider = models.CharField(_("provided by"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    programme = models.ForeignKey(
        WorkProgramme,
        verbose_name=_("work programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training activity")
        verbose_name_plural = _("training activities")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="board_training_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title
