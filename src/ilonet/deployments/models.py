"""The deployment registry of immigration liaison officers (Regulation (EU) 2019/1240).

- ``Deployment``: an officer deployed by a deploying authority (a member state authority, the
  Commission or an EU agency) in a third country (Art. 2(1), Art. 2(2), Art. 4), with the place of
  deployment (Art. 2(2)), region of responsibility, task summary and duration (Art. 4(1)).
- ``RegionCountry``: the countries of an officer's region of responsibility (Art. 9(2)(d)).
- ``Representation``: a joint deployment, in which the officer also represents other member
  states, with the tasks divided between them (Art. 6(1), Art. 6(2)).
- ``DeploymentNotification``: each notification to the steering board of a plan, an actual
  deployment, a change or an end (Art. 4(1)), made available on the platform (Art. 4(2)). Each
  notification holds the full record as notified, so the notifications are also the history
  of the deployment.
"""

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ilonet.shared.dates import short_date
from ilonet.shared.display import ChoiceLabels
from ilonet.shared.sealed_fields import CONTACT_KEY_STORE, SealedTextField


class DeploymentStatus(models.TextChoices):
    """Art. 4(1): plans and actual deployments are both notified."""

    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class PlaceKind(models.TextChoices):
    """Where in the third country the officer is posted (Art. 2(2))."""

    MEMBER_STATE_MISSION = "ms_mission", _("Diplomatic mission of a member state")  # Art. 2(2)(a)
    THIRD_COUNTRY_AUTHORITY = "tc_authority", _("Competent authorities of the third country")  # (b)
    INTERNATIONAL_ORGANISATION = "international_org", _("International organisation")  # (c)
    EU_DELEGATION = "eu_delegation", _("Diplomatic mission of the Union (EU delegation)")  # (d)


class Deployment(ChoiceLabels, models.Model):
    """One deployment of one officer (Art. 2(1), Art. 2(2), Art. 4(1))."""

    deploying_authority = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("deploying authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="deployments",
    )
    country = CountryField(_("country of deployment"))
    place_kind = models.CharField(_("place of deployment"), max_length=20, choices=PlaceKind.choices)
    place_name = models.CharField(
        _("name of the post"),
        max_length=200,
        help_text=_("For example: Embassy of the Netherlands in Rabat."),
    )
    city = models.CharField(_("city"), max_length=100)
    task_summary = models.TextField(_("task summary"), max_length=4000)
    start_date = models.DateField(_("start"))
    planned_end_date = models.DateField(_("planned end"))
    end_date = models.DateField(_("actual end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeploymentStatus.choices, default=DeploymentStatus.PLANNED
    )
    # The contact details of the contact list (Art. 9(2)(d)): sealed with the officer's own data
    # key (``ilonet.shared.sealed_fields``), destroyed when the officer leaves the list
    # (``services.erase_contact_details``).
    phone = SealedTextField(
        _("phone"),
        blank=True,
        help_text=_("E.164, e.g. +212537123456"),
        subject="officer_id",
        prefix="officer",
        key_store=CONTACT_KEY_STORE,
        plain_max_length=20,
    )
    email = SealedTextField(
        _("e-mail address"),
        blank=True,
        validators=[validate_email],
        subject="officer_id",
        prefix="officer",
        key_store=CONTACT_KEY_STORE,
        plain_max_length=254,
    )
    eu_funding_reference = models.CharField(
        _("EU funding reference"),
        max_length=100,
        blank=True,
        help_text=_("Joint deployments may receive EU funding (Art. 6(3))."),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["status", "country"], name="deploy_status_country"),
            models.Index(fields=["country", "-start_date", "-id"], name="deploy_country_start_id"),
            models.Index(fields=["deploying_authority", "status"], name="deploy_authority_status"),
            models.Index(fields=["officer", "status"], name="deploy_officer_status"),
            models.Index(fields=["-start_date", "-id"], name="deploy_start_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end_date__gte=models.F("start_date")),
                name="deployment_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="deployment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} – {self.country.name} ({short_date(self.start_date)})"

    @property
    def effective_end(self):
        """The end used for overlap checks: the actual end, else the planned end."""
        return self.end_date or self.planned_end_date


class RegionCountry(models.Model):
    """A country of the officer's region of responsibility (Art. 9(2)(d)). The country of
    deployment is always part of it; the gap analysis counts coverage from these rows."""

    deployment = models.ForeignKey(
        Deployment, verbose_name=_("deployment"), on_delete=models.CASCADE, related_name="region"
    )
    country = CountryField(_("country"))

    class Meta:
        verbose_name = _("country of the region of responsibility")
        verbose_name_plural = _("region of responsibility")
        ordering = ["country"]
        constraints = [models.UniqueConstraint(fields=["deployment", "country"], name="region_country_once")]
        indexes = [models.Index(fields=["country", "deployment"], name="region_country_deploy")]

    def __str__(self) -> str:
        return str(self.country.name)


class Representation(models.Model):
    """Joint deployment: the officer also represents another member state (Art. 6(1)), with
    the tasks the member states divided between their officers (Art. 6(2))."""

    deployment = models.ForeignKey(
        Deployment, verbose_name=_("deployment"), on_delete=models.CASCADE, related_name="representations"
    )
    member_state = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("represented member state"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    tasks = models.TextField(
        _("tasks for this member state"),
        max_length=2000,
        blank=True,
        help_text=_("The tasks the member states agreed to divide (Art. 6(2))."),
    )

    class Meta:
        verbose_name = _("represented member state")
        verbose_name_plural = _("represented member states")
        ordering = ["member_state__code"]
        constraints = [
            models.UniqueConstraint(fields=["deployment", "member_state"], name="representation_once")
        ]
        indexes = [models.Index(fields=["member_state", "deployment"], name="representation_state")]

    def __str__(self) -> str:
        return str(self.member_state)


class NotificationKind(models.TextChoices):
    """What a deploying authority notified to the steering board (Art. 4(1))."""

    PLANNED = "planned", _("Plan of deployment")
    STARTED = "started", _("Actual deployment")
    CHANGED = "changed", _("Change of deployment")
    ENDED = "ended", _("End of deployment")
    CANCELLED = "cancelled", _("Plan cancelled")


class DeploymentNotification(ChoiceLabels, models.Model):
    """A notification to the steering board (Art. 4(1)), made available on the platform
    (Art. 4(2)). ``data`` is the deployment as notified (a version); ``changes`` the fields
    that changed since the previous version."""

    deployment = models.ForeignKey(
        Deployment, verbose_name=_("deployment"), on_delete=models.PROTECT, related_name="notifications"
    )
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("notification"), max_length=10, choices=NotificationKind.choices)
    notified_at = models.DateTimeField(_("notified at"), db_index=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("notified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_by_label = models.CharField(_("notified by (as recorded)"), max_length=254, blank=True)
    data = models.JSONField(_("deployment as notified"), default=dict)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("deployment notification")
        verbose_name_plural = _("deployment notifications")
        ordering = ["-notified_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["deployment", "version"], name="notification_version_once")
        ]
        indexes = [
            models.Index(fields=["kind", "-notified_at"], name="notification_kind_time"),
            # the keyset of the notification list (ilonet.shared.paging)
            models.Index(fields=["-notified_at", "-id"], name="notification_time_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"
