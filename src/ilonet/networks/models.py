"""Local and regional networks of immigration liaison officers (Art. 5) and the steering
board's list of deployed ILOs (Art. 8(2)(d), recital 14).

Membership is not stored: the members of a network are the officers with an active
deployment in one of its countries (Art. 5(1)), read from the deployment registry each time,
so it cannot drift from the deployments. The facilitator is computed by the rule of Art. 5(2)
(``ilonet.networks.facilitation``); what is stored is what the rule needs that deployments do
not hold (the members' agreement, Art. 5(2) third sentence) and what the steering board was
told (``FacilitatorNotification``, Art. 5(3)).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ilonet.shared.dates import short_date
from ilonet.shared.display import ChoiceLabels
from ilonet.shared.sealed_fields import CONTACT_KEY_STORE, SealedTextField


class NetworkKind(models.TextChoices):
    LOCAL = "local", _("Local network (one country)")  # Art. 5(1)
    REGIONAL = "regional", _("Regional network (several countries)")  # Art. 5(1)


class Network(ChoiceLabels, models.Model):
    """A local or regional network (Art. 5(1)): the officers deployed in its countries."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=NetworkKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"], name="network_kind_name")]

    def __str__(self) -> str:
        return self.name


class NetworkCountry(models.Model):
    """A country of a network (Art. 5(1): "in the same country or region")."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="countries"
    )
    country = CountryField(_("country"))

    class Meta:
        verbose_name = _("country of a network")
        verbose_name_plural = _("countries of networks")
        ordering = ["country"]
        constraints = [models.UniqueConstraint(fields=["network", "country"], name="network_country_once")]
        indexes = [models.Index(fields=["country", "network"], name="network_country_idx")]

    def __str__(self) -> str:
        return str(self.country.name)


class FacilitatorAgreement(models.Model):
    """The members' agreement on a facilitator, where neither the Commission nor an EU agency
    has deployed an officer in the network (Art. 5(2), third sentence). The latest agreement
    counts; it also picks among several Commission or agency officers."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="agreements"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed facilitator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreed_on = models.DateField(_("agreed on"))
    note = models.TextField(_("how the members agreed"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("facilitator agreement")
        verbose_name_plural = _("facilitator agreements")
        ordering = ["-agreed_on", "-pk"]
        indexes = [models.Index(fields=["network", "-agreed_on", "-id"], name="agreement_latest")]

    def __str__(self) -> str:
        return f"{self.network}: {self.officer} ({short_date(self.agreed_on)})"


class FacilitatorBasis(models.TextChoices):
    """Which sentence of Art. 5(2) made the facilitator."""

    COMMISSION = "commission", _("Commission-deployed officer (Art. 5(2), first sentence)")
    AGENCY = "agency", _("EU-agency officer (Art. 5(2), second sentence)")
    AGREEMENT = "agreement", _("Agreed by the members (Art. 5(2), third sentence)")
    NONE = "none", _("No facilitator")


class FacilitatorNotificationKind(models.TextChoices):
    APPOINTED = "appointed", _("Facilitator appointed")
    CHANGED = "changed", _("Facilitator changed")
    NONE = "none", _("No facilitator appointed")


class FacilitatorNotification(ChoiceLabels, models.Model):
    """A notification to the steering board of the facilitator's appointment or change, or
    that none was appointed (Art. 5(3)), stored when the computed facilitator changes."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="facilitator_notifications"
    )
    kind = models.CharField(_("notification"), max_length=10, choices=FacilitatorNotificationKind.choices)
    notified_at = models.DateTimeField(_("notified at"))
    basis = models.CharField(_("basis"), max_length=12, choices=FacilitatorBasis.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    officer_name = models.CharField(_("facilitator (as notified)"), max_length=254, blank=True)
    previous_officer_name = models.CharField(_("previous facilitator"), max_length=254, blank=True)
    reason = models.CharField(_("reason"), max_length=32)
    reason_params = models.JSONField(_("reason details"), default=dict, blank=True)
    triggered_by_label = models.CharField(_("triggered by"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("facilitator notification")
        verbose_name_plural = _("facilitator notifications")
        ordering = ["-notified_at", "-pk"]
        indexes = [
            models.Index(fields=["network", "-notified_at", "-id"], name="facnote_network_latest"),
            models.Index(fields=["-notified_at", "-id"], name="facnote_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.get_kind_display()}"

    @property
    def explanation(self) -> str:
        """Why, in the reader's language (Art. 5(2))."""
        from .facilitation import explain

        return explain(self.reason, self.reason_params)


class Associate(models.Model):
    """A liaison officer deployed by a country other than a member state who works with the
    network (Art. 5(1), first sentence). Only what the cooperation needs is kept."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="associates"
    )
    name = models.CharField(_("name"), max_length=200)
    deploying_country = CountryField(_("deploying country"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    joined_on = models.DateField(_("associated since"))
    left_on = models.DateField(_("associated until"), null=True, blank=True)

    class Meta:
        verbose_name = _("associate (non-EU liaison officer)")
        verbose_name_plural = _("associates (non-EU liaison officers)")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="associate_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.deploying_country.name})"


class ActivityKind(models.TextChoices):
    """The network tasks of Art. 5(1)."""

    MEETING = "meeting", _("Meeting")  # (a)
    EXCHANGE = "exchange", _("Exchange of information and practice")  # (b), (c)
    CARRIER_POSITION = "carrier_position", _("Shared position towards carriers")  # (d)
    TRAINING = "training", _("Joint training")  # (e)
    INFORMATION_SESSION = "information_session", _("Information session for consular staff")  # (f)
    STRATEGIC_PRODUCT = "strategic_product", _("Strategic information or risk analysis")  # (g)
    NETWORK_CONTACT = "network_contact", _("Contact with a similar network")  # (h)


ACTIVITY_ARTICLE = {
    ActivityKind.MEETING: "Art. 5(1)(a)",
    ActivityKind.EXCHANGE: "Art. 5(1)(b), Art. 5(1)(c)",
    ActivityKind.CARRIER_POSITION: "Art. 5(1)(d)",
    ActivityKind.TRAINING: "Art. 5(1)(e)",
    ActivityKind.INFORMATION_SESSION: "Art. 5(1)(f)",
    ActivityKind.STRATEGIC_PRODUCT: "Art. 5(1)(g)",
    ActivityKind.NETWORK_CONTACT: "Art. 5(1)(h)",
}


class Topic(models.TextChoices):
    """The topics of the information ILOs collect (Art. 3(4))."""

    BORDER_MANAGEMENT = "a", _("European integrated border management")
    FLOWS = "b", _("Migration flows")
    ROUTES = "c", _("Routes")
    CRIMINAL_NETWORKS = "d", _("Smuggling and trafficking networks")
    INCIDENTS = "e", _("Incidents and events")
    DOCUMENT_FRAUD = "f", _("Document fraud")
    PREVENTION = "g", _("Support to prevent irregular flows")
    PRE_DEPARTURE = "h", _("Pre-departure measures")
    RETURN = "i", _("Return, readmission and reintegration")
    PROTECTION = "j", _("Access to protection")
    LEGAL_MIGRATION = "k", _("Legal migration channels")
    CAPACITY = "l", _("Third-country capacity, reception and detention")


class NetworkActivity(ChoiceLabels, models.Model):
    """Something a network did (Art. 5(1)): a meeting with its participants and
    minutes, a shared position towards carriers, a training or information session, a
    strategic information or risk analysis product. No personal data in the text (Art. 9(3))."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    summary = models.TextField(
        _("summary or minutes"),
        max_length=20000,
        blank=True,
        help_text=_("No personal data (Art. 9(3)): describe facts, trends and decisions."),
    )
    carriers = models.CharField(
        _("carriers concerned"), max_length=300, blank=True, help_text=_("For positions towards carriers.")
    )
    audience = models.CharField(
        _("audience"), max_length=300, blank=True, help_text=_("For trainings and information sessions.")
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
        verbose_name = _("network activity")
        verbose_name_plural = _("network activities")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["network", "-date", "-id"], name="activity_network_date"),
            models.Index(fields=["kind", "-date"], name="activity_kind_date"),
            models.Index(fields=["-date", "-id"], name="activity_date"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({short_date(self.date)})"

    @property
    def article(self) -> str:
        return ACTIVITY_ARTICLE.get(self.kind, "Art. 5(1)")


class ActivityParticipant(models.Model):
    """A participant in an activity: a member officer or an associate (Art. 5(1)(a))."""

    activity = models.ForeignKey(
        NetworkActivity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="participants"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    associate = models.ForeignKey(
        Associate,
        verbose_name=_("associate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(officer__isnull=False, associate__isnull=True)
                | models.Q(officer__isnull=True, associate__isnull=False),
                name="participant_is_officer_or_associate",
            )
        ]

    def __str__(self) -> str:
        return str(self.officer or self.associate)


class ActivityTopic(models.Model):
    """A topic of Art. 3(4) that an activity or product covers."""

    activity = models.ForeignKey(
        NetworkActivity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="topics"
    )
    topic = models.CharField(_("topic"), max_length=1, choices=Topic.choices)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["topic"]
        constraints = [models.UniqueConstraint(fields=["activity", "topic"], name="activity_topic_once")]
        indexes = [models.Index(fields=["topic", "activity"], name="activity_topic_idx")]

    def __str__(self) -> str:
        return self.get_topic_display()


class OfficerList(models.Model):
    """The list of deployed ILOs that the steering board updates before each meeting
    (Art. 8(2)(d)): a dated snapshot of location, network composition, activities, contact
    details and task summary (recital 14). Its rows never change after it is taken."""

    title = models.CharField(_("title"), max_length=200)
    meeting = models.CharField(_("for the board meeting"), max_length=200, blank=True)
    taken_on = models.DateField(_("situation on"))
    activities_since = models.DateField(_("activities since"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    officer_count = models.PositiveIntegerField(_("officers"), default=0)
    network_count = models.PositiveIntegerField(_("networks"), default=0)

    class Meta:
        verbose_name = _("list of deployed ILOs")
        verbose_name_plural = _("lists of deployed ILOs")
        ordering = ["-taken_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({short_date(self.taken_on)})"


class OfficerListEntry(models.Model):
    """One deployed officer in a list (recital 14: location, contact details, task summary)."""

    officer_list = models.ForeignKey(
        OfficerList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="entries"
    )
    deployment_id = models.PositiveBigIntegerField(_("deployment number"))
    # The officer (data subject) whose key seals the contact details below (Art. 9(2)(d)): the
    # same key as the contact list's, so the officer's erasure shreds this copy too.
    officer_id = models.PositiveBigIntegerField(_("officer number"), null=True, editable=False)
    officer_name = models.CharField(_("name"), max_length=254)
    deploying_authority = models.CharField(_("deploying authority"), max_length=254)
    represented_states = models.CharField(_("also represents"), max_length=500, blank=True)
    country = CountryField(_("country of deployment"))
    city = models.CharField(_("city"), max_length=100)
    place_kind = models.CharField(_("place of deployment"), max_length=100)
    place_name = models.CharField(_("name of the post"), max_length=200)
    region = models.CharField(_("region of responsibility"), max_length=1000)
    phone = SealedTextField(
        _("phone"), blank=True, subject="officer_id", prefix="officer", key_store=CONTACT_KEY_STORE,
        plain_max_length=20,
    )  # fmt: skip
    email = SealedTextField(
        _("e-mail address"), blank=True, subject="officer_id", prefix="officer", key_store=CONTACT_KEY_STORE,
        plain_max_length=254,
    )  # fmt: skip
    task_summary = models.TextField(_("task summary"))
    networks = models.CharField(_("networks"), max_length=1000, blank=True)
    start_date = models.DateField(_("start"))
    planned_end_date = models.DateField(_("planned end"))

    class Meta:
        verbose_name = _("entry of the list of deployed ILOs")
        verbose_name_plural = _("entries of the list of deployed ILOs")
        ordering = ["country", "officer_name", "pk"]
        indexes = [models.Index(fields=["officer_list", "country", "officer_name"], name="olentry_order")]

    def __str__(self) -> str:
        return f"{self.officer_name} ({self.country.name})"


class OfficerListNetwork(models.Model):
    """One network in a list (recital 14: composition and activities of the networks)."""

    officer_list = models.ForeignKey(
        OfficerList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="networks"
    )
    network_id_at_the_time = models.PositiveBigIntegerField(_("network number"))
    name = models.CharField(_("network"), max_length=200)
    kind = models.CharField(_("kind"), max_length=100)
    countries = models.CharField(_("countries"), max_length=1000)
    facilitator = models.CharField(_("facilitator"), max_length=254, blank=True)
    facilitator_basis = models.CharField(_("basis"), max_length=200)
    members = models.JSONField(_("members"), default=list)
    associates = models.JSONField(_("associates"), default=list)
    activities = models.JSONField(_("activities"), default=list)

    class Meta:
        verbose_name = _("network in the list of deployed ILOs")
        verbose_name_plural = _("networks in the list of deployed ILOs")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class SummaryGeneration(models.Model):
    """Where the database marks that a network's summary may have changed: written only by the
    triggers of migration 0003 (``networks.kept``), on every write to the rows a list's
    summaries read (deployments, the networks' countries, the agreements on a facilitator, the
    names of officers and authorities). A process keeps the summaries it computed with the
    values it read here and computes them again when they differ."""

    slot = models.PositiveSmallIntegerField(primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("generation of the networks' summaries")
        verbose_name_plural = _("generations of the networks' summaries")

    def __str__(self) -> str:
        return f"{self.slot}: {self.value}"
