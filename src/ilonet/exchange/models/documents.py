"""Documents and their versions (Art. 9(1), Art. 9(2)): metadata, the Art. 3(4) topics, the
sensitivity marking (Art. 9(1)), check-out, soft deletion and expiry; and the personal-data
guard's overrides (Art. 9(3))."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .spaces import Folder, Space
from .vocab import Category, DeletionReason, Language, Marking, Topic


class Document(models.Model):
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="documents"
    )
    folder = models.ForeignKey(
        Folder,
        verbose_name=_("folder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    authors = models.CharField(
        _("authors"),
        max_length=300,
        blank=True,
        help_text=_("Organisations or units, not persons (Art. 9(3))."),
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.EN)
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Separated by commas."))
    category = models.CharField(_("category (Art. 9(2))"), max_length=8, choices=Category.choices)
    marking = models.CharField(
        _("sensitivity marking (Art. 9(1))"), max_length=10, choices=Marking.choices, default=Marking.NORMAL
    )
    expires_on = models.DateField(_("leaves the space on"), null=True, blank=True)
    # A board meeting's document may belong to one item of its agenda (the meeting page shows it).
    agenda_item = models.ForeignKey(
        "board.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    guard_overridden = models.BooleanField(_("stored with a personal-data override"), default=False)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked out by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["space", "folder", "deleted_at", "title"], name="exchange_doc_listing"),
            models.Index(fields=["expires_on"], name="exchange_doc_expiry"),
            # The live documents by folder: those in a deleted folder, taken from the count of
            # their space (``selectors.document_counts``), found without reading the others.
            models.Index(
                fields=["folder"],
                condition=models.Q(deleted_at__isnull=True),
                name="exchange_doc_live",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sensitive(self) -> bool:
        """Sensitive documents are never in bulk downloads or digests (Art. 9(1))."""
        return self.marking == Marking.SENSITIVE

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in (t.strip() for t in self.tags.split(",")) if tag]


class DocumentTopic(models.Model):
    """A topic of Art. 3(4) the document covers."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="topics"
    )
    topic = models.CharField(_("topic (Art. 3(4))"), max_length=1, choices=Topic.choices)

    class Meta:
        verbose_name = _("topic of a document")
        verbose_name_plural = _("topics of documents")
        ordering = ["topic"]
        constraints = [models.UniqueConstraint(fields=["document", "topic"], name="exchange_topic_once")]
        indexes = [models.Index(fields=["topic", "document"], name="exchange_topic_doc")]

    def __str__(self) -> str:
        return self.get_topic_display()


class DocumentVersion(models.Model):
    """One stored file of a document. Files never change: a restored version is a new version
    pointing to the same stored file."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    key = models.CharField(_("stored as"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=8)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=500, blank=True)
    restored_from = models.ForeignKey(
        "self",
        verbose_name=_("restored from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    guard_overridden = models.BooleanField(_("stored with a personal-data override"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="exchange_version_once")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def download_name(self) -> str:
        return f"{self.document.title[:80]}{self.extension}"


class GuardOverride(models.Model):
    """A finding of the personal-data guard a board-authorised user judged false, with the
    reason (Art. 9(3)). Only the keyed fingerprint and the masked value are kept, never the value."""

    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="overrides"
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=128)
    kind = models.CharField(_("kind"), max_length=40)
    place = models.CharField(_("place"), max_length=200)
    masked = models.CharField(_("masked value"), max_length=120)
    reason = models.TextField(_("reason"), max_length=1000)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("overridden by"), on_delete=models.PROTECT, related_name="+"
    )
    overridden_at = models.DateTimeField(_("overridden at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal-data override")
        verbose_name_plural = _("personal-data overrides")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.masked}"
