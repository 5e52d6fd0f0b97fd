"""Composition (Art. 7(2), Art. 7(3), Art. 7(4)): ``Seat`` (a place on the board held for an organisation,
voting or non-voting by the regulation) and ``Membership`` (a person holding a seat as member or
alternate, with dates). Membership is data: the composition on any day can be recomputed."""

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilonet.shared.sealed_fields import SealedTextField

# The key store of the board members' data keys (the list of members, Art. 9(2)(c)), under
# PERSONAL_DATA_KEY_DIR, apart from the contact list's: one data key per person (``member-<user id>``).
BOARD_MEMBER_KEY_STORE = "board-member-keys.sqlite3"
# The blind index of the names on the list (``ilonet.shared.envelope.name_digests``): a domain of
# its own, so its digests cannot be matched with another list's.
BOARD_MEMBER_NAME_DOMAIN = "board-member-name"

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


class MembershipManager(models.Manager):
    """Memberships without the list's sealed fields: the composition, the policy and the votes
    never open them; only the list of members does (``defer(None)``, its reads audited)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().defer("listed_name", "listed_email")


class Membership(models.Model):
    """A person holding a seat as member or alternate, with dates (Art. 7(2)). The source of
    truth for who may vote for a seat; the list of members is published (Art. 9(2)(c)).

    The list's personal fields (``listed_name``, ``listed_email``: what the list shows) are
    sealed with the person's own data key (``ilonet.shared.sealed_fields``), searched through a
    blind index (``MembershipNameDigest``) and erased when the person has left the board
    (``board.erasure``). The account (``user``) is the sign-in credential, not the list."""

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
    # The list of members (Art. 9(2)(c)): copied from the account at the appointment, sealed per
    # person, emptied by the erasure once the person has left the board.
    listed_name = SealedTextField(
        _("name on the list"),
        blank=True,
        default="",
        subject="user_id",
        prefix="member",
        key_store=BOARD_MEMBER_KEY_STORE,
        plain_max_length=300,
    )
    listed_email = SealedTextField(
        _("e-mail address on the list"),
        blank=True,
        default="",
        validators=[validate_email],
        subject="user_id",
        prefix="member",
        key_store=BOARD_MEMBER_KEY_STORE,
        plain_max_length=254,
    )

    objects = MembershipManager()

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
        # No name: the representation goes into audit events and messages (Art. 9(2)(c)).
        return f"{self.get_capacity_display()}, {self.seat}"


class MembershipNameDigest(models.Model):
    """The blind index of a name on the list of members (Art. 9(2)(c)): keyed digests of the
    normalised name and of each of its words (``ilonet.shared.envelope.name_digests``), so the
    list is searched by name without a clear name in the database."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="name_digests")
    digest = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["digest", "membership"], name="board_member_digest_once")
        ]

    def __str__(self) -> str:
        return f"digest of membership {self.membership_id}"
