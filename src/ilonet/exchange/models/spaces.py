"""Spaces and folders of the exchange (Art. 9(1)): one space for the steering board, one for each
local or regional network, one for each working group the board sets up (Art. 8(3)(a))."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .vocab import DeletionReason, SpaceKind


class Space(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=SpaceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    network = models.OneToOneField(
        "networks.Network",
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_space",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="board"), name="exchange_one_board_space"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="network") & models.Q(network__isnull=False))
                | (~models.Q(kind="network") & models.Q(network__isnull=True)),
                name="exchange_network_space_has_network",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpaceMember(models.Model):
    """A member of a working group's space; managers organise it."""

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    is_manager = models.BooleanField(_("manager"), default=False)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("space member")
        verbose_name_plural = _("space members")
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="exchange_member_once")]

    def __str__(self) -> str:
        return f"{self.space}: {self.user}"


class Folder(models.Model):
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="folders"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent folder"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    # The folder of a board meeting's documents, in the board's space (one document store:
    # the meeting page lists this folder, ``services.meetings``).
    meeting = models.OneToOneField(
        "board.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_reason = models.CharField(
        _("why it left"), max_length=10, choices=DeletionReason.choices, blank=True
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["space", "parent", "name"], name="exchange_folder_listing")]

    def __str__(self) -> str:
        return self.name


class SpaceDocumentCount(models.Model):
    """How many documents of a space are in force (not deleted, not expired): the list of
    spaces shows it to the space's members without counting the documents on every visit.
    Kept by database triggers on ``exchange_document`` (migration 0006): every insert, update
    and delete of a document, by a service, a bulk update or raw SQL, changes it in the same
    transaction, so it is never behind. ``selectors.document_counts`` takes from it the live
    documents that lie in a deleted folder (none when the services made the change), and the
    Parliament's reader, who reads only what the board opened, is counted through the scope."""

    space = models.OneToOneField(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    live = models.BigIntegerField(_("documents in force"), default=0)

    class Meta:
        verbose_name = _("document count of a space")
        verbose_name_plural = _("document counts of spaces")

    def __str__(self) -> str:
        return f"{self.space_id}: {self.live}"
