"""Return coordination (operational strategy for more effective returns, RS 1, RS 2(c) and its
closing list of indicators): Eurostat's figures, the register of member-state capabilities and
Frontex services, the strategy's targets, the quarterly priority third countries, the
obstacles reported to the EU return coordinator, and the precomputed indicator figures.

No model holds personal data: figures are aggregates, and the free text of obstacles goes
through the personal-data guard (``services.obstacles``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EurostatLoad(models.Model):
    """One Eurostat file loaded, all or nothing. The same file (same table, same SHA-256) is
    loaded once: a second load changes nothing."""

    dataset = models.CharField(_("table"), max_length=20)
    file_format = models.CharField(_("format"), max_length=16)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    observations = models.PositiveIntegerField(_("figures"), default=0)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["dataset", "sha256"], name="eurostat_file_once")]

    def __str__(self) -> str:
        return f"{self.dataset} ({self.file_format}, {self.observations})"


class EurostatObservation(models.Model):
    """One figure of a Eurostat table: a series (geo, citizenship, breakdown) in a period."""

    dataset = models.CharField(max_length=20)
    geo = models.CharField(max_length=12)
    citizen = models.CharField(max_length=16)
    breakdown = models.CharField(max_length=120)  # e.g. "c_dest=THRD;age=TOTAL;sex=T"
    period = models.CharField(max_length=7)  # 2023 or 2023-Q1
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()  # 0 for a year
    value = models.BigIntegerField(null=True)  # None: not available (":")
    flags = models.CharField(max_length=8, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "geo", "citizen", "breakdown", "period"], name="eurostat_observation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset} {self.geo} {self.citizen} {self.period}"


class IndicatorFigure(models.Model):
    """A precomputed figure of an indicator (``definitions.INDICATORS``), rebuilt when its
    sources change; the pages and the API read only these. ``source`` tells where it came from:
    Eurostat, the capability register, or (later) case data and aggregates submitted by member
    states, side by side."""

    indicator = models.CharField(max_length=40)
    source = models.CharField(max_length=16)
    geo = models.CharField(max_length=12)  # member state (Eurostat code), EU27_2020, or "" for counts
    citizen = models.CharField(max_length=16, default="TOTAL")  # third country of citizenship
    period = models.CharField(max_length=7)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    numerator = models.BigIntegerField(null=True)
    denominator = models.BigIntegerField(null=True)
    value = models.FloatField(null=True)  # a share in %, or a count
    flags = models.CharField(max_length=16, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["indicator", "period", "geo"]),
            models.Index(fields=["indicator", "geo", "citizen", "year", "quarter"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "source", "geo", "citizen", "period"], name="indicator_figure_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.geo} {self.citizen} {self.period}"


class Capability(models.TextChoices):
    """What the register records (RS closing list of indicators; RS 2(b), RS 2(c))."""

    CASE_MANAGEMENT_SYSTEM = "case_management_it", _("Return case management IT system")
    COUNSELLING_SYSTEM = "return_counselling", _("Return counselling system")
    FRONTEX_PRE_RETURN = "frontex_pre_return", _("Uses Frontex pre-return services")
    FRONTEX_POST_RETURN = "frontex_post_return", _("Uses Frontex post-return services")
    FRONTEX_REINTEGRATION = "frontex_reintegration", _("Uses Frontex joint reintegration services")
    RETURN_OPERATIONS = "return_operations", _("Takes part in Frontex return operations")
    GAP_ANALYSIS_DONE = "gap_analysis_done", _("Frontex digitalisation gap analysis completed")
    FULLY_DIGITALISED = "fully_digitalised", _("Return case management fully digitalised")
    JRS_COVERED = "jrs_covered", _("Covered by Frontex joint reintegration services")  # third countries


THIRD_COUNTRY_CAPABILITIES = frozenset({Capability.JRS_COVERED})


class CapabilityEntry(models.Model):
    """A dated entry of the register: from ``effective_from`` the member state (or, for
    ``jrs_covered``, the third country) has the capability or not. The state on any day is
    the latest entry on or before it, so a past quarter shows as it was."""

    country = models.CharField(_("country"), max_length=2)  # ISO 3166-1 alpha-2
    capability = models.CharField(_("capability"), max_length=32, choices=Capability.choices)
    has = models.BooleanField(_("in place"), default=True)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("capability entry")
        ordering = ["country", "capability", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "capability", "effective_from"], name="capability_entry_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.capability} {self.effective_from}"


class Target(models.Model):
    """A target the strategy names, with its deadline (RS 2(b), RS 2(c))."""

    code = models.SlugField(max_length=40, unique=True)
    indicator = models.CharField(_("indicator"), max_length=40)
    baseline = models.FloatField(_("baseline"))
    baseline_date = models.DateField(_("baseline date"))
    target = models.FloatField(_("target"))
    deadline = models.DateField(_("deadline"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "code"]

    def __str__(self) -> str:
        return self.code


class NetworkMeeting(models.Model):
    """A meeting of the high-level network on return (RS 1)."""

    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class Ground(models.TextChoices):
    """Why a third country is a priority (RS 1)."""

    ACTION_PLAN = "action_plan", _("EU action plan")
    VISA_CODE_25A = "visa_code_25a", _("Follow-up of Art. 25a of the Visa Code")
    COUNCIL = "council", _("Council discussions")
    VISA_FREE = "visa_free", _("Visa-free country")
    OTHER = "other", _("Other")


class QuarterPriority(models.Model):
    """A priority third country for a quarter, chosen by the high-level network (RS 1)."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    country = models.CharField(_("third country"), max_length=2)
    grounds = models.JSONField(_("grounds"), default=list)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    meeting = models.ForeignKey(
        NetworkMeeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-quarter", "country"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "country"], name="quarter_priority_once"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.year}-Q{self.quarter}"


class JointActionKind(models.TextChoices):
    MISSION = "mission", _("Joint mission to the third country")
    CHARTER = "charter", _("Charter flight")
    IDENTIFICATION = "identification", _("Identification mission")
    OTHER = "other", _("Other")


class JointAction(models.Model):
    """A joint action agreed for a priority country (RS 1, RS 2(b))."""

    priority = models.ForeignKey(QuarterPriority, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=20, choices=JointActionKind.choices)
    description = models.CharField(_("description"), max_length=500)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    member_states = models.JSONField(_("member states"), default=list)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return self.description


class ObstacleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed without resolution")


class Obstacle(models.Model):
    """An obstacle or ad-hoc issue reported to the EU return coordinator (RS 1). No personal
    data: the text is checked by the personal-data guard."""

    member_state = models.CharField(_("reported by member state"), max_length=2)
    third_country = models.CharField(_("third country"), max_length=2, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    status = models.CharField(_("status"), max_length=16, choices=ObstacleStatus.choices, default="open")
    owner = models.CharField(
        _("owner"), max_length=120, blank=True, help_text=_("A unit or body, not a person.")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), max_length=4000, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """The PDF progress report for the high-level network and the Schengen barometer (RS,
    closing paragraph), built by a background job."""

    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    storage_key = models.CharField(max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"


class CaseFacts(models.Model):
    """What one return case contributes to the case indicators (``cases.measures``), kept so that
    a changed timeline replaces exactly its old contribution. Holds the case's internal id, its
    member state and third country, and counts per measure and quarter: no personal data."""

    case_id = models.BigIntegerField(primary_key=True)
    geo = models.CharField(max_length=12)
    citizen = models.CharField(max_length=16)
    lines = models.JSONField(default=list)  # [[measure, year, quarter, value], ...]

    def __str__(self) -> str:
        return f"facts of case {self.case_id}"


class CaseCount(models.Model):
    """The sum of the cases' contributions per measure, member state, third country and quarter:
    the aggregate the figures are computed from (no personal data)."""

    measure = models.CharField(max_length=40)
    geo = models.CharField(max_length=12)
    citizen = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "geo", "citizen", "year", "quarter"], name="case_count_once"
            )
        ]
        indexes = [models.Index(fields=["geo", "year"], name="case_count_geo_year")]

    def __str__(self) -> str:
        return f"{self.measure} {self.geo} {self.citizen} {self.year}-Q{self.quarter}"


class CaseFoldState(models.Model):
    """The watermark of the fold (one row): the last case event folded and since when approval
    decisions were last looked at."""

    last_event_id = models.BigIntegerField(default=0)
    decisions_since = models.DateTimeField(null=True, blank=True)
    folded_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"case fold at event {self.last_event_id}"


class SubmittedCount(models.Model):
    """A count submitted by a member state that keeps its own return case system (through the
    API or a CSV file): one measure, third country and quarter. Submitting the same figure again
    changes nothing; a quarter for which the member state has case data is refused."""

    geo = models.CharField(_("member state"), max_length=12)
    citizen = models.CharField(_("third country"), max_length=16)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    measure = models.CharField(_("figure"), max_length=40)
    value = models.BigIntegerField(_("value"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["geo", "citizen", "year", "quarter", "measure"], name="submitted_count_once"
            )
        ]
        indexes = [models.Index(fields=["geo", "year"], name="submitted_count_geo_year")]

    def __str__(self) -> str:
        return f"{self.measure} {self.geo} {self.citizen} {self.year}-Q{self.quarter}"
