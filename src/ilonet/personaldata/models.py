"""Records of personal data held by liaison officers and deploying authorities (Art. 10).

No column holds personal data in clear: the personal fields of a record are one document sealed
with the data subject's own key (``vault``), biometric files are stored sealed the same way, and
names are found through keyed digests (``NameDigest``). What stays in clear is what the law and
the data protection officer need to run the processing: the purpose, the category, the dates,
the controller, who shared or transferred what to whom and on which basis. Records are named by
an opaque reference, never by a name (URLs, the audit trail, messages).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .law import Category, Purpose, TransferBasis


def new_ref() -> str:
    """An opaque, unguessable reference (96 bits), safe in URLs and file names."""
    return secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")


class Record(models.Model):
    ref = models.CharField(_("reference"), max_length=24, unique=True, default=new_ref, editable=False)
    controller = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("controller")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    sealed = models.TextField(_("sealed personal fields"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    erase_on = models.DateField(_("review or erasure date"), db_index=True)
    hold_reason = models.CharField(_("legal hold: reason"), max_length=300, blank=True)
    hold_until = models.DateField(_("legal hold: until"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data record")
        verbose_name_plural = _("personal data records")
        indexes = [models.Index(fields=["controller", "purpose"])]

    def __str__(self) -> str:  # the audit trail keeps this: the reference only
        return f"record {self.ref}"

    def on_hold(self, today) -> bool:
        return bool(self.hold_until and self.hold_until >= today)


class NameDigest(models.Model):
    """The blind index: keyed digests of the record's names, never the names."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="digests")
    digest = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "digest"], name="personaldata_digest_once")]

    def __str__(self) -> str:
        return self.digest


class BiometricFile(models.Model):
    class Kind(models.TextChoices):
        FACIAL_IMAGE = "facial_image", _("Facial image")
        FINGERPRINTS = "fingerprints", _("Fingerprints")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    storage_key = models.CharField(max_length=200, unique=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "kind"], name="personaldata_one_file_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of record {self.record_id}"


class PurposeAssignment(models.Model):
    """Which purposes of Art. 3(6) a user works on, granted by the controller's deploying
    authority: a user sees and processes a record only for a purpose assigned to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    controller = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"purpose {self.purpose} of user {self.user_id}"


class Share(models.Model):
    """An exchange limited to what is strictly necessary (Art. 10(4), Art. 3(6)(d))."""

    ref = models.CharField(max_length=24, unique=True, default=new_ref, editable=False)
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="shares")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    fields = models.JSONField(_("fields shared"))
    justification = models.TextField(_("justification"))
    expires_at = models.DateTimeField(_("open until"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"share {self.ref}"


class Transfer(models.Model):
    """A transfer to a third country or an international organisation (Art. 10(5), GDPR Chapter
    V). Kept after the record's erasure, without it: the register of transfers."""

    ref = models.CharField(max_length=24, unique=True, default=new_ref, editable=False)
    record = models.ForeignKey(Record, on_delete=models.SET_NULL, null=True, related_name="transfers")
    controller = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(_("recipient authority or organisation"), max_length=200)
    country = CountryField(_("country"), blank=True)
    international_organisation = models.BooleanField(_("international organisation"), default=False)
    basis = models.CharField(_("legal basis"), max_length=20, choices=TransferBasis.choices)
    basis_detail = models.CharField(_("instrument or reason"), max_length=300, blank=True)
    fields = models.JSONField(_("data sent"))
    transferred_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"transfer {self.ref}"
