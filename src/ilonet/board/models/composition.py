"""Composition (Art. 7(2), Art. 7(3), Art. 7(4)): ``Seat`` (a place on the board held for an organisation,
voting or non-voting by the regulation) and ``Membership`` (a person holding a seat as member or
alternate, with dates). Membership is data: the composition on any day can be recomputed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- composition (Art. 7(2), Art. 7(3), Art. 7(4)) ----------------------------------------------------------


class SeatKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member state")  # Art. 7(2)
    COMMISSION = "commission", _("European Commission")  # Art. 7(2)
    AGENCY = "agency", _("EU agency")  # Art. 7(2): Frontex, Europol, EUAA (formerly EASO)
    ASSOCIATED = "associated", _("Schengen-associated country (non-voting)")  # Art. 7(3)


class Seat(models.Model):
    """A place on the steering board (Art. 7(2), Art. 7(3)). Voting for member states, the Commission
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
