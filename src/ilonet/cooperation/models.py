"""Return cooperation between member states with similar needs (operational strategy for more
effective returns, RS 1 and RS 2(b)): places opened to each other in national assisted
voluntary return and reintegration programmes, seats on charter flights, identification and
joint missions to third countries, a directory of referral and reintegration opportunities in
the countries of return, and peer support, tools and trainings.

No model holds a returnee's personal data. Requests are counts; a place or a seat is linked to
a case only by the requesting state's own case reference, with the few facts the receiving
programme needs (strictly necessary). Free text goes through the personal-data guard
(``services``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PlaceOffer(models.Model):
    """Places a member state opens in its assisted voluntary return and reintegration programme
    to the other member states, for given third countries and a period (RS 1, RS 2(b))."""

    member_state = models.CharField(_("offering member state"), max_length=2)
    programme = models.CharField(_("programme"), max_length=200)
    third_countries = models.JSONField(_("third countries"), default=list)
    places = models.PositiveIntegerField(_("places"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    package = models.TextField(_("what the package contains"), max_length=2000)
    conditions = models.TextField(_("conditions"), max_length=2000, blank=True)
    request_deadline = models.DateField(_("requests until"))
    status = models.CharField(_("status"), max_length=12, choices=OfferStatus.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(places__gte=1), name="place_offer_places_positive"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="place_offer_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_state}: {self.programme}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PlaceRequest(models.Model):
    """A member state asks for places of an offer for its cases: a count, no persons, until
    both agree (RS 1)."""

    offer = models.ForeignKey(PlaceOffer, on_delete=models.CASCADE, related_name="requests")
    member_state = models.CharField(_("requesting member state"), max_length=2)
    third_country = models.CharField(_("third country"), max_length=2)
    places = models.PositiveIntegerField(_("places"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    answer_note = models.CharField(_("answer"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(places__gte=1), name="place_request_places_positive")
        ]

    def __str__(self) -> str:
        return f"{self.member_state} -> {self.offer_id}: {self.places}"


class SpecialNeed(models.TextChoices):
    """What a receiving programme must know to receive a returnee (strictly necessary): a
    category, never a description or a diagnosis."""

    MEDICAL = "medical", _("Medical follow-up")
    FAMILY = "family", _("Family with children")
    UNACCOMPANIED_MINOR = "minor", _("Unaccompanied minor")
    VULNERABLE = "vulnerable", _("Other vulnerability")


class PlaceUse(models.Model):
    """An accepted place used for a case of the requesting state. The link carries only what
    the receiving programme needs: the requesting state's case reference, how many persons the
    place covers, the planned departure and the categories of special needs. The reference is
    the requesting state's own (its return case management, RS 2(c)); it is validated there.
    """

    request = models.ForeignKey(PlaceRequest, on_delete=models.CASCADE, related_name="uses")
    case_reference = models.CharField(_("case reference of the requesting state"), max_length=64)
    persons = models.PositiveSmallIntegerField(_("persons"), default=1)
    planned_departure = models.DateField(_("planned departure"), null=True, blank=True)
    special_needs = models.JSONField(_("special needs"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "case_reference"], name="place_use_once_per_case")
        ]

    def __str__(self) -> str:
        return self.case_reference


class FlightStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    CANCELLED = "cancelled", _("Cancelled")


class CharterFlight(models.Model):
    """A charter flight to a third country announced by a member state, or a return operation
    coordinated by Frontex, whose seats other member states may fill (RS 1)."""

    organiser = models.CharField(_("organising member state"), max_length=2)
    frontex_coordinated = models.BooleanField(_("coordinated by Frontex"), default=False)
    third_country = models.CharField(_("third country"), max_length=2)
    departure_on = models.DateField(_("departure"))
    seats = models.PositiveIntegerField(_("seats for other member states"))
    request_deadline = models.DateField(_("requests until"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=FlightStatus.choices, default="announced")
    # Seats allocated so far: kept on the flight row, changed only under its row lock (or by a
    # conditional UPDATE), so two states can never both take the last seat.
    allocated = models.PositiveIntegerField(_("seats allocated"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["departure_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="flight_seats_positive"),
            models.CheckConstraint(
                condition=models.Q(allocated__lte=models.F("seats")), name="flight_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organiser} -> {self.third_country} {self.departure_on}"

    @property
    def free(self) -> int:
        return max(self.seats - self.allocated, 0)


class SeatRequest(models.Model):
    """A member state's request for seats on a flight: a count and, once seats are allocated,
    its own case references (the only case data that leaves the requesting state)."""

    flight = models.ForeignKey(CharterFlight, on_delete=models.CASCADE, related_name="requests")
    member_state = models.CharField(_("requesting member state"), max_length=2)
    seats = models.PositiveIntegerField(_("seats requested"))
    allocated = models.PositiveIntegerField(_("seats allocated"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    case_references = models.JSONField(_("case references"), default=list)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="seat_request_seats_positive"),
            models.CheckConstraint(
                condition=models.Q(allocated__lte=models.F("seats")), name="seat_request_within_request"
            ),
            # One request per state and flight: a second would overlap the first's allocation.
            models.UniqueConstraint(fields=["flight", "member_state"], name="seat_request_once_per_state"),
        ]

    def __str__(self) -> str:
        return f"{self.member_state} -> {self.flight_id}: {self.seats}"


class MissionKind(models.TextChoices):
    IDENTIFICATION = "identification", _("Identification mission of a third-country delegation")
    JOINT = "joint", _("Joint mission of the Commission and member states")


class MissionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Mission(models.Model):
    """An identification mission with a third-country delegation, or a joint mission of the
    Commission and member states (with the EEAS) to a third country (RS 1)."""

    kind = models.CharField(_("kind"), max_length=16, choices=MissionKind.choices)
    host = models.CharField(_("host"), max_length=2, help_text=_("A member state, or EU for the Commission."))
    third_country = models.CharField(_("third country"), max_length=2)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    joining_states = models.JSONField(_("member states joining"), default=list)
    with_eeas = models.BooleanField(_("with the European External Action Service"), default=False)
    persons_to_present = models.PositiveIntegerField(_("persons to present"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=MissionStatus.choices, default="planned")
    identified = models.PositiveIntegerField(_("persons identified"), default=0)
    documents_promised = models.PositiveIntegerField(_("travel documents promised"), default=0)
    documents_issued = models.PositiveIntegerField(_("travel documents issued"), default=0)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="mission_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.third_country} {self.starts_on}"


class ProviderKind(models.TextChoices):
    INTERNATIONAL = "international", _("International organisation")
    LOCAL = "local", _("Local actor")
    NATIONAL = "national", _("National authority")
    DEVELOPMENT = "development", _("Development cooperation project")


class Need(models.TextChoices):
    """What a returnee may need on return (RS 2(b)): the directory is searched by these."""

    ARRIVAL = "arrival", _("Reception on arrival")
    HOUSING = "housing", _("Housing")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    EMPLOYMENT = "employment", _("Employment and vocational training")
    BUSINESS = "business", _("Business start-up")
    EDUCATION = "education", _("Education")
    LEGAL = "legal", _("Legal and administrative help")
    FAMILY = "family", _("Family and children")


class Opportunity(models.Model):
    """A referral or reintegration opportunity in a country of return (RS 2(b)): who offers
    what, for whom, how to reach the organisation (never a returnee), and how long it holds."""

    country = models.CharField(_("country of return"), max_length=2)
    provider_kind = models.CharField(_("kind of provider"), max_length=16, choices=ProviderKind.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    offers = models.TextField(_("what it offers"), max_length=2000)
    eligibility = models.TextField(_("for whom"), max_length=1000)
    needs = models.JSONField(_("needs covered"), default=list)
    website = models.URLField(_("website"), blank=True)
    contact = models.CharField(
        _("contact of the organisation"),
        max_length=200,
        blank=True,
        help_text=_("A functional mailbox or switchboard of the organisation, not a person."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reviewed_on = models.DateField(_("last reviewed"))
    entered_by_state = models.CharField(_("entered by"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "organisation", "pk"]
        indexes = [models.Index(fields=["country", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.country}: {self.title}"


class SupportKind(models.TextChoices):
    OFFER = "offer", _("Peer support offered")
    REQUEST = "request", _("Peer support asked for")
    TOOL = "tool", _("Tool")
    TRAINING = "training", _("Training")


class Topic(models.TextChoices):
    COUNSELLING = "counselling", _("Return counselling structures")
    VOLUNTARY_RETURN = "voluntary_return", _("Assisted voluntary return schemes")
    DIGITALISATION = "digitalisation", _("Digitalisation of return case management")
    DETENTION_ALTERNATIVES = "detention_alternatives", _("Alternatives to detention")
    IDENTIFICATION = "identification", _("Identification")
    REINTEGRATION = "reintegration", _("Reintegration")
    FUNDAMENTAL_RIGHTS = "fundamental_rights", _("Fundamental rights")


class SupportItem(models.Model):
    """Peer support offered or asked for by a member state, or a tool or training available
    to all (RS 2(b)). Provided by a member state or an organisation, never a person."""

    kind = models.CharField(_("kind"), max_length=12, choices=SupportKind.choices)
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000)
    provider = models.CharField(
        _("member state or organisation"),
        max_length=32,
        help_text=_("A member state's code or an organisation's code."),
    )
    fundamental_rights = models.BooleanField(_("covers fundamental rights"), default=False)
    open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Uptake(models.Model):
    """A member state or organisation that followed a training, used a tool or received peer
    support: what shows that the tools are "fully known at all levels" (RS 2(b))."""

    item = models.ForeignKey(SupportItem, on_delete=models.CASCADE, related_name="uptakes")
    participant = models.CharField(_("member state or organisation"), max_length=32)
    taken_on = models.DateField(_("on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-taken_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "participant", "taken_on"], name="uptake_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.item_id}"
