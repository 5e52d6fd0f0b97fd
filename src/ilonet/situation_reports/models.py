"""ILO situation reports (Art. 3(4), Art. 5(1)(b), Art. 5(1)(f)).

A situation report is a structured periodic report of one liaison officer, or of a local or
regional network, for a period: one section per topic of Art. 3(4) it covers, each free text
with, where relevant, the dimensions of Art. 3(2) (vulnerable persons, gender). It holds no
personal data (Art. 3(4), Art. 9(3)): every free-text field passes the personal-data guard
when it is saved (``services``).

A report is a draft until its authors submit it; the board's office or the officer's deploying
authority may return a submitted report for revision, with a reason; it is then revised and
submitted again. Its countries are fixed when it is created: the officer's countries of
deployment, or the network's countries (Art. 5(1)).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ilonet.shared.dates import short_date

from .topics import Topic

NO_PERSONAL_DATA = _("No personal data (Art. 3(4), Art. 9(3)): facts, trends, numbers, places and methods.")


class Subject(models.TextChoices):
    OFFICER = "officer", _("Officer's report")
    NETWORK = "network", _("Network's report")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")


class SituationReport(models.Model):
    subject = models.CharField(_("report of"), max_length=10, choices=Subject.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deploying_authority = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("deploying authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    summary = models.TextField(_("summary"), max_length=10000, blank=True, help_text=NO_PERSONAL_DATA)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject="officer", officer__isnull=False, network__isnull=True)
                | models.Q(subject="network", network__isnull=False, officer__isnull=True),
                name="sitrep_officer_or_network",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="sitrep_period_ordered"
            ),
            models.UniqueConstraint(
                fields=["officer", "period_start", "period_end"], name="sitrep_officer_period_once"
            ),
            models.UniqueConstraint(
                fields=["network", "period_start", "period_end"], name="sitrep_network_period_once"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-period_end"], name="sitrep_status_end"),
            models.Index(fields=["network", "-period_end"], name="sitrep_network_end"),
            models.Index(fields=["officer", "-period_end"], name="sitrep_officer_end"),
        ]

    def __str__(self) -> str:
        # No name: the audit trail keeps this (administrators read it, Art. 9(3)).
        return _("Situation report %(id)s, %(start)s – %(end)s") % {
            "id": self.pk,
            "start": short_date(self.period_start),
            "end": short_date(self.period_end),
        }

    @property
    def editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class ReportCountry(models.Model):
    """A country the report covers (the officer's countries of deployment, or the network's)."""

    report = models.ForeignKey(
        SituationReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="countries"
    )
    country = CountryField(_("country"))

    class Meta:
        verbose_name = _("country of a situation report")
        verbose_name_plural = _("countries of situation reports")
        ordering = ["country"]
        constraints = [models.UniqueConstraint(fields=["report", "country"], name="sitrep_country_once")]
        indexes = [models.Index(fields=["country", "report"], name="sitrep_country_idx")]

    def __str__(self) -> str:
        return str(self.country.name)


class ReportSection(models.Model):
    """The report's text on one topic of Art. 3(4), with the dimensions of Art. 3(2)."""

    report = models.ForeignKey(
        SituationReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="sections"
    )
    topic = models.CharField(_("topic"), max_length=1, choices=Topic.choices)
    text = models.TextField(_("assessment"), max_length=10000, help_text=NO_PERSONAL_DATA)
    vulnerable_persons = models.TextField(_("vulnerable persons (Art. 3(2))"), max_length=4000, blank=True)
    gender = models.TextField(_("gender dimension (Art. 3(2))"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("section of a situation report")
        verbose_name_plural = _("sections of situation reports")
        ordering = ["topic"]
        constraints = [models.UniqueConstraint(fields=["report", "topic"], name="sitrep_topic_once")]
        indexes = [models.Index(fields=["topic", "report"], name="sitrep_topic_idx")]

    def __str__(self) -> str:
        return self.get_topic_display()
