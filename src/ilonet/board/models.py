"""The steering board of the European network of immigration liaison officers
(Regulation (EU) 2019/1240, Art. 7 and 8).

- Composition (Art. 7(2)-(4)): ``Seat`` (a place on the board held for an organisation, voting
  or non-voting by the regulation) and ``Membership`` (a person holding a seat as member or
  alternate, with dates). Membership is data: the composition on any day can be recomputed.
- Meetings (Art. 7(5)-(7)): ``Meeting``, ``AgendaItem``, ``Participant`` (invitation and
  attendance, observers invited per meeting, Art. 7(4)), ``MeetingDocument``.
- Decisions (Art. 7(8)-(9), 8(1)): ``Motion``, ``Participation`` (who voted, once per seat),
  ``Ballot`` (what was voted; unlinkable to the voter for secret votes), ``Proxy``,
  ``MotionComment``, ``MotionChange`` and ``DecisionDispatch`` (decisions passed on to the
  officers by their deploying authorities, Art. 7(9)).
- Rules of procedure (Art. 8(1)): ``RulesOfProcedure`` versions.
- Work programme, evaluation, ad-hoc actions and training (Art. 8(2)(a)-(b), 8(3)(a), (c)).
- Activity report (Art. 8(2)(c), 4(1)): ``ActivityReport`` with its deployment overview.

See docs/board.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- composition (Art. 7(2)-(4)) --------------------------------------------------------------


class SeatKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member state")  # Art. 7(2)
    COMMISSION = "commission", _("European Commission")  # Art. 7(2)
    AGENCY = "agency", _("EU agency")  # Art. 7(2): Frontex, Europol, EUAA (formerly EASO)
    ASSOCIATED = "associated", _("Schengen-associated country (non-voting)")  # Art. 7(3)


class Seat(models.Model):
    """A place on the steering board (Art. 7(2)-(3)). Voting for member states, the Commission
    (two seats) and the three agencies; non-voting for the Schengen-associated countries.
    A seat exists from ``valid_from`` to ``valid_until``: a member state that stops or starts
    taking part in the regulation (recital 31) changes the composition from that day."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind of seat"), max_length=16, choices=SeatKind.choices)
    number = models.PositiveSmallIntegerField(
        _("seat number"), default=1, help_text=_("The Commission has two seats (Art. 7(2)).")
    )
    voting = models.BooleanField(_("voting"), editable=False)
    valid_from = models.DateField(_("part of the board from"))
    valid_until = models.DateField(_("part of the board until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["kind", "organisation__code", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=SeatKind.ASSOCIATED, voting=False)
                | (~models.Q(kind=SeatKind.ASSOCIATED) & models.Q(voting=True)),
                name="board_seat_voting_by_regulation",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="board_seat_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["organisation", "number", "valid_from"], name="board_seat_once_per_start"
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_until"], name="board_seat_period")]

    def __str__(self) -> str:
        name = self.organisation.name
        return f"{name} ({self.number})" if self.kind == SeatKind.COMMISSION else name

    def save(self, *args, **kwargs):
        self.voting = self.kind != SeatKind.ASSOCIATED  # Art. 7(3)
        super().save(*args, **kwargs)


class Capacity(models.TextChoices):
    MEMBER = "member", _("Member")
    ALTERNATE = "alternate", _("Alternate")  # Art. 7(2): represents the member in their absence


class Membership(models.Model):
    """A person holding a seat as member or alternate, with dates (Art. 7(2)). The source of
    truth for who may vote for a seat; the list of members is published (Art. 9(2)(c))."""

    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="board_memberships",
    )
    capacity = models.CharField(_("capacity"), max_length=10, choices=Capacity.choices)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("board membership")
        verbose_name_plural = _("board memberships")
        ordering = ["seat__kind", "seat__organisation__code", "seat__number", "capacity", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="board_membership_period_ordered",
            )
        ]
        indexes = [
            models.Index(fields=["user", "valid_from"], name="board_membership_user"),
            models.Index(fields=["seat", "capacity", "valid_from"], name="board_membership_seat"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_capacity_display()}, {self.seat}"


# --- meetings (Art. 7(4)-(7)) -----------------------------------------------------------------


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")  # Art. 7(7)
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    JOINT = "joint", _("Joint meeting with other networks or organisations")  # Art. 7(5)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A meeting of the steering board, convened by the chair (Art. 7(6)(c)); at least two a
    year (Art. 7(7)); possibly a joint meeting with other networks or organisations (Art. 7(5))."""

    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    joint_with = models.CharField(
        _("joint with"),
        max_length=300,
        blank=True,
        help_text=_("For a joint meeting: the other networks or organisations (Art. 7(5))."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(
        _("minutes"),
        max_length=50000,
        blank=True,
        help_text=_("No personal data other than the names of participants (Art. 9(3))."),
    )
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("convened by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="board_meeting_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="board_meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class AgendaKind(models.TextChoices):
    INFORMATION = "information", _("For information")
    DISCUSSION = "discussion", _("For discussion")
    DECISION = "decision", _("For decision")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=12, choices=AgendaKind.choices, default=AgendaKind.DISCUSSION
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="board_agenda_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ParticipantRole(models.TextChoices):
    MEMBER = "member", _("Member")  # Art. 7(2)
    ALTERNATE = "alternate", _("Alternate")  # Art. 7(2)
    NON_VOTING = "non_voting", _("Non-voting member")  # Art. 7(3)
    CHAIR = "chair", _("Chair")  # Art. 7(6)
    SECRETARIAT = "secretariat", _("Secretariat")  # Art. 7(6)
    OBSERVER = "observer", _("Observer")  # Art. 7(4)
    GUEST = "guest", _("Participant from another network or organisation")  # Art. 7(5)


class Participant(models.Model):
    """Someone invited to a meeting, and whether they attended. Observers are invited per
    meeting (Art. 7(4)); a member state is represented by its member or, in the member's
    absence, its alternate (Art. 7(2))."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("taking part as"), max_length=12, choices=ParticipantRole.choices)
    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting participant")
        verbose_name_plural = _("meeting participants")
        ordering = ["meeting", "role", "seat__organisation__code", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="board_participant_once"),
            models.CheckConstraint(
                condition=~models.Q(role__in=["member", "alternate", "non_voting"])
                | models.Q(seat__isnull=False),
                name="board_participant_seat_for_members",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


def meeting_document_path(instance, filename: str) -> str:
    """Stored names never come from the user: a random name with the sniffed extension."""
    return f"board/meetings/{instance.meeting_id}/{uuid.uuid4().hex}{instance.extension}"


class MeetingDocument(models.Model):
    """A document of a meeting (Art. 9(2)(a), (e)): PDF, ODT or DOCX, type sniffed from the
    content, size-limited. No personal data (Art. 9(3))."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=meeting_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=8)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "agenda_item__position", "title", "pk"]

    def __str__(self) -> str:
        return self.title


# --- rules of procedure (Art. 8(1)) -----------------------------------------------------------


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
        _("quorum (% of the voting members)"),
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


# --- work programme, evaluation, ad-hoc actions, training (Art. 8(2)-(3)) ---------------------


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class WorkProgramme(models.Model):
    """The biannual (two-year) work programme: priorities, planned activities and the
    resources needed (Art. 8(2)(a)); sent to the European Parliament (Art. 8(2), last
    paragraph)."""

    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    summary = models.TextField(_("summary"), max_length=20000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    sent_to_ep_on = models.DateField(_("sent to the European Parliament on"), null=True, blank=True)
    sent_to_ep_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="board_programme_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


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
        return f"{self.programme} ({self.evaluated_on:%Y-%m-%d})"


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


# --- activity report (Art. 8(2)(c), 4(1)) -----------------------------------------------------


class ActivityReport(models.Model):
    """The biannual activity report prepared by the chair and adopted by the board
    (Art. 8(2)(c)), with an overview of deployments (Art. 4(1), second subparagraph) generated
    from the registry; sent to the European Parliament (Art. 8(2), last paragraph)."""

    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    body = models.TextField(_("text"), max_length=100000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    overview = models.JSONField(_("overview of deployments"), default=dict, blank=True)
    overview_generated_at = models.DateTimeField(_("overview generated at"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    sent_to_ep_on = models.DateField(_("sent to the European Parliament on"), null=True, blank=True)
    sent_to_ep_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="board_report_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- motions, votes, decisions (Art. 7(8)-(9), 8(1)) ------------------------------------------


class Procedure(models.TextChoices):
    MEETING = "meeting", _("Vote in a meeting")
    WRITTEN = "written", _("Written procedure")


class MotionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for voting")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")
    NO_QUORUM = "no_quorum", _("Not adopted: no quorum")


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Motion(models.Model):
    """A proposed decision of the board. Adopted by an absolute majority of all voting members
    (Art. 7(8)), counted from the composition on the day the vote opens, in a meeting or by
    written procedure, under the rules of procedure in force then (Art. 8(1)). The result is
    frozen when the motion closes."""

    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("proposed decision"), max_length=20000)
    procedure = models.CharField(_("procedure"), max_length=10, choices=Procedure.choices)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions",
    )
    secret = models.BooleanField(_("secret ballot"), default=False)
    communicate_to_ilos = models.BooleanField(
        _("to be passed on to the liaison officers"),
        default=True,
        help_text=_("Deploying authorities pass adopted decisions on to their officers (Art. 7(9))."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MotionStatus.choices, default=MotionStatus.DRAFT
    )
    # What the decision adopts, if anything beyond its own text.
    rules = models.ForeignKey(
        RulesOfProcedure,
        verbose_name=_("adopts the rules of procedure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions",
    )
    programme = models.ForeignKey(
        WorkProgramme,
        verbose_name=_("adopts the work programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions",
    )
    report = models.ForeignKey(
        ActivityReport,
        verbose_name=_("adopts the activity report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions",
    )
    # Set when the vote opens (the composition and rules of that day).
    vote_day = models.DateField(_("day of the vote"), null=True, blank=True)
    rules_in_force = models.ForeignKey(
        RulesOfProcedure,
        verbose_name=_("rules of procedure applied"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    electorate = models.PositiveSmallIntegerField(_("voting members"), null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(_("absolute majority"), null=True, blank=True)
    quorum = models.PositiveSmallIntegerField(_("quorum"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set when the vote closes.
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "closes_at"], name="board_motion_status_deadline"),
            models.Index(fields=["outcome", "-closed_at"], name="board_motion_outcome"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(procedure="meeting") | models.Q(meeting__isnull=False),
                name="board_motion_meeting_for_meeting_vote",
            ),
            models.CheckConstraint(
                condition=~models.Q(procedure="written") | models.Q(closes_at__isnull=False),
                name="board_motion_deadline_for_written",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ballots_cast(self) -> int | None:
        if self.votes_for is None:
            return None
        return self.votes_for + (self.votes_against or 0) + (self.abstentions or 0)


class VoteCapacity(models.TextChoices):
    MEMBER = "member", _("Member")
    ALTERNATE = "alternate", _("Alternate (member absent)")
    PROXY = "proxy", _("On behalf of another member (proxy)")


class Participation(models.Model):
    """That a seat voted on a motion, and through whom: one row per seat and motion (the
    unique constraint makes a second vote for the same seat impossible, even at the same
    instant). For open votes the choice is recorded here too (who voted how); for secret votes
    it is not (``choice`` is empty) and the ballot cannot be linked back (see ``Ballot``)."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("motion"), on_delete=models.PROTECT, related_name="participations"
    )
    seat = models.ForeignKey(Seat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cast by"), on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.CharField(_("capacity"), max_length=10, choices=VoteCapacity.choices)
    proxy = models.ForeignKey(
        "Proxy",
        verbose_name=_("proxy used"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices, blank=True)
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        verbose_name = _("participation in a vote")
        verbose_name_plural = _("participations in votes")
        ordering = ["motion", "seat__kind", "seat__organisation__code", "seat__number"]
        constraints = [models.UniqueConstraint(fields=["motion", "seat"], name="board_one_vote_per_seat")]

    def __str__(self) -> str:
        return f"{self.seat}: {self.get_capacity_display()}"


class Ballot(models.Model):
    """A vote as counted. No link to the seat or the voter, no time of its own, and a random
    primary key, so that for a secret vote nobody (administrators included) can tell whose
    ballot it is from the data; the voter checks it was counted with the receipt shown once
    (only its SHA-256 fingerprint is stored). Tallies are always counted from these rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    motion = models.ForeignKey(
        Motion, verbose_name=_("motion"), on_delete=models.PROTECT, related_name="ballots"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    receipt_fingerprint = models.CharField(
        _("receipt fingerprint"), max_length=64, null=True, blank=True, unique=True
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["motion", "receipt_fingerprint"]

    def __str__(self) -> str:
        return self.get_choice_display()


class Proxy(models.Model):
    """A member (or, in the member's absence, the alternate) lets another voting member vote
    on the seat's behalf on one motion, where the rules of procedure allow it (Art. 8(1))."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("motion"), on_delete=models.PROTECT, related_name="proxies"
    )
    grantor_seat = models.ForeignKey(
        Seat, verbose_name=_("on behalf of"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proxy holder"), on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        ordering = ["motion", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "grantor_seat"], name="board_one_proxy_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.grantor_seat} → {self.holder}"


class MotionComment(models.Model):
    """A statement on a motion. Non-voting members speak on every matter (Art. 7(3)); observers
    invited to the meeting may speak too (Art. 7(4)); neither votes."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("motion"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    speaking_as = models.CharField(_("speaking as"), max_length=200)
    text = models.TextField(_("statement"), max_length=5000)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["motion", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class ChangeKind(models.TextChoices):
    CREATED = "created", _("Proposed")
    AMENDED = "amended", _("Amended")
    OPENED = "opened", _("Vote opened")
    DEADLINE = "deadline", _("Deadline changed")
    PROXY = "proxy", _("Proxy granted")
    CLOSED = "closed", _("Vote closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MotionChange(models.Model):
    """The history of a motion, kept for the record and the exported minutes."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("motion"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=10, choices=ChangeKind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_label = models.CharField(_("by (as recorded)"), max_length=254, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change of a motion")
        verbose_name_plural = _("changes of motions")
        ordering = ["motion", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"


class DecisionDispatch(models.Model):
    """An adopted decision that a deploying authority must pass on to its liaison officers
    (Art. 7(9)), and when and by whom it was passed on."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="dispatches"
    )
    authority = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("deploying authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("to pass on since"), auto_now_add=True)
    passed_on_at = models.DateTimeField(_("passed on at"), null=True, blank=True)
    passed_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("passed on by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("decision to pass on")
        verbose_name_plural = _("decisions to pass on")
        ordering = ["-created_at", "authority__code"]
        constraints = [models.UniqueConstraint(fields=["motion", "authority"], name="board_dispatch_once")]
        indexes = [models.Index(fields=["authority", "passed_on_at"], name="board_dispatch_authority")]

    def __str__(self) -> str:
        return f"{self.motion} → {self.authority}"
