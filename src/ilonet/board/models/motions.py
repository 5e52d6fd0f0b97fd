"""Decisions (Art. 7(8), Art. 7(9), Art. 8(1)): ``Motion``, ``Participation`` (who voted, once per seat),
``Ballot`` (what was voted; unlinkable to the voter for secret votes), ``Proxy``,
``MotionComment``, ``MotionChange`` and ``DecisionDispatch`` (decisions passed on to the
officers by their deploying authorities, Art. 7(9))."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilonet.shared.dates import short_datetime

from .composition import Seat
from .meetings import Meeting
from .programme import WorkProgramme
from .reports import ActivityReport
from .rules import RulesOfProcedure

# --- motions, votes, decisions (Art. 7(8), Art. 7(9), Art. 8(1)) --------------------------------------------


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
    primary key. An open vote writes its ballot when it is cast; a secret vote writes all its
    ballots when the vote closes, in a random order and in the closing transaction (until then
    they are ``SealedBallot`` rows), so that no id, row number, transaction id or row order
    links one to a voter. The voter checks it was counted with the receipt shown once (only its
    SHA-256 fingerprint is stored). Tallies are always counted from these rows."""

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


class SealedBallot(models.Model):
    """The choice and receipt fingerprint of a secret vote while the vote runs, encrypted
    (AES-GCM, a key derived from the server's secret key and the motion, never stored in the
    database) and padded to one length. Written in the voter's transaction, so it is linkable to
    the participation by the database's own row data; it is therefore unsealed, counted and
    deleted when the vote closes, and the ``Ballot`` rows are written afresh then, in a random
    order, all in the closing transaction (see docs/board.md, "Secret ballots")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    motion = models.ForeignKey(Motion, verbose_name=_("motion"), on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField(_("sealed ballot"))

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self) -> str:
        return str(self.id)


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
        return f"{self.get_kind_display()} ({short_datetime(self.at)})"


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
