"""Organisations taking part in, or dealt with by, the ILO network.

Participation is data, not a hard-coded list: Denmark takes no part unless it opts in
(Regulation 2019/1240, recital 31), Ireland takes part (recital 33), and the
Schengen-associated countries sit on the steering board without a vote (Art. 7(3)).
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ilonet.shared.dates import short_date


class OrganisationKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("EU member state")
    SCHENGEN_ASSOCIATED = "schengen_associated", _("Schengen-associated country")
    EU_INSTITUTION = "eu_institution", _("EU institution")
    EU_AGENCY = "eu_agency", _("EU agency")
    NATIONAL_AUTHORITY = "national_authority", _("National authority")
    THIRD_COUNTRY = "third_country", _("Third country")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")


def organisation_name(*, code: str, name_en: str, name_nl: str, country: str) -> str:
    """An organisation's name in the active language from its columns (``Organisation.name``,
    and lists that read plain rows); country-based organisations use ISO 3166 names."""
    lang = (get_language() or "en")[:2]
    own = name_nl if lang == "nl" and name_nl else name_en
    if own:
        return own
    if country:
        from .selectors import country_name  # the names cached per language

        return country_name(country)
    return code


class Organisation(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    takes_part_in_ilo_regulation = models.BooleanField(
        _("takes part in Regulation (EU) 2019/1240"),
        default=False,
        help_text=_("Denmark takes no part unless it opts in (recital 31)."),
    )
    is_deploying_authority = models.BooleanField(
        _("deploying authority"),
        default=False,
        help_text=_("May deploy immigration liaison officers (Art. 1(2), Art. 4)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code"]
        indexes = [models.Index(fields=["kind", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="national_authority") | models.Q(parent__isnull=False),
                name="national_authority_has_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Name in the active language; country-based organisations use ISO 3166 names."""
        return organisation_name(
            code=self.code, name_en=self.name_en, name_nl=self.name_nl, country=self.country.code or ""
        )

    @property
    def member_state(self) -> "Organisation | None":
        """The member state (or associated country) this organisation belongs to, if any."""
        node: Organisation | None = self
        while node is not None:
            if node.kind in (OrganisationKind.MEMBER_STATE, OrganisationKind.SCHENGEN_ASSOCIATED):
                return node
            node = node.parent
        return None


class ParticipationChange(models.Model):
    """A member state starts or stops taking part in Regulation (EU) 2019/1240 on a day, e.g.
    Denmark opting in (recital 31). The participation on any day is that of the latest change
    effective on or before it (``selectors.takes_part_on``); without a change, the
    organisation's flag ``takes_part_in_ilo_regulation``."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("member state"),
        on_delete=models.PROTECT,
        related_name="participation_changes",
    )
    takes_part = models.BooleanField(_("takes part in Regulation (EU) 2019/1240"))
    effective_from = models.DateField(_("effective from"))
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of participation")
        verbose_name_plural = _("changes of participation")
        ordering = ["organisation", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "effective_from"], name="participation_change_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {short_date(self.effective_from)}: {self.takes_part}"


class PrioritySetter(models.TextChoices):
    """Who set a priority country: the steering board when it maps deployment gaps
    (Art. 8(2)(e)), or the EU return coordinator's quarterly focus (return strategy, RS 1)."""

    STEERING_BOARD = "steering_board", _("Steering board")
    RETURN_COORDINATOR = "return_coordinator", _("EU return coordinator")


class PriorityCountry(models.Model):
    """A third country that is a priority for a period (Art. 8(2)(e); RS 1 quarterly
    priorities). The deployment gap analysis compares coverage against these."""

    country = CountryField(_("country"))
    period_start = models.DateField(_("priority from"))
    period_end = models.DateField(
        _("priority until"), null=True, blank=True, help_text=_("Leave empty for an open-ended priority.")
    )
    set_by = models.CharField(_("set by"), max_length=32, choices=PrioritySetter.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("priority country")
        verbose_name_plural = _("priority countries")
        ordering = ["-period_start", "country"]
        indexes = [
            models.Index(fields=["country", "period_start"]),
            models.Index(fields=["period_start", "period_end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="priority_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.country.name} ({self.get_set_by_display()})"
