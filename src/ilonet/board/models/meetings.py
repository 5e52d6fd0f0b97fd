"""Meetings (Art. 7(5), Art. 7(6), Art. 7(7)): ``Meeting``, ``AgendaItem``, ``Participant`` (invitation and
attendance, observers invited per meeting, Art. 7(4)). A meeting's documents are kept in the
steering board's space on the exchange platform (``hooks``)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilonet.shared.dates import short_date

from .composition import Seat

# --- meetings (Art. 7(4), Art. 7(5), Art. 7(6), Art. 7(7)) ----------------------------------------


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
        return f"{self.title} ({short_date(self.starts_at)})"


class AgendaKind(models.TextChoices):
    INFORMATION = "information", _("For information")
    DISCUSSION = "discussion", _("For discussion")
    DECISION = "decision", _("For decision")


class AgendaItem(models.Model):
    """An item of a meeting's agenda, in the order of ``position`` (1, 2, 3, … without gaps).
    An item may be linked to the motion voted on under it (a vote in the same meeting); the
    agenda changes only while the meeting is planned (see ``selectors.agenda_refusal``)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=12, choices=AgendaKind.choices, default=AgendaKind.DISCUSSION
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)
    motion = models.OneToOneField(
        "board.Motion",
        verbose_name=_("motion voted on under this item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_item",
    )

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
