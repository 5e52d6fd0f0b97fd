"""Append-only, hash-chained audit trail.

Each event stores the HMAC-SHA256 (keyed with a secret held outside the database, see
``chain.py``) of its own canonical content together with the previous event's hash, so changing
or deleting any past event breaks the chain from that point on, and signed checkpoints outside
the database (``checkpoints.py``) show a rewrite by whoever holds the key
(``manage.py verify_audit_chain`` names the first broken event). The application has no way
to edit or delete events: ``save`` refuses updates, ``delete`` refuses always, and database
triggers (SQLite and PostgreSQL) refuse UPDATE and DELETE on the table.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class TrailQuerySet(models.QuerySet):
    """Reads of the trail (events or head) first append the events the current transaction
    queued (PostgreSQL, ``deferred.py``; nothing to do elsewhere or outside a transaction): a
    transaction reads the trail with its own events in it, as when each was written at once.
    The head is then locked to the end of that transaction."""

    def _flush(self) -> None:
        from .deferred import flush

        flush(self.db)

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._flush()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._flush()
        return super().iterator(*args, **kwargs)

    def count(self) -> int:
        self._flush()
        return super().count()

    def exists(self) -> bool:
        self._flush()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._flush()
        return super().aggregate(*args, **kwargs)


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("when"), db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the trail outlives accounts; the label keeps who it was
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("what"), max_length=64, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("from (address)"), null=True, blank=True)
    user_agent = models.CharField(_("from (client)"), max_length=200, blank=True)
    request_id = models.CharField(_("request"), max_length=32, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    # Which chain key hashed the event (rotation); NULL: written before the chain was keyed.
    key_id = models.CharField(max_length=16, null=True, blank=True, editable=False)

    objects = TrailQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "-seq"]),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")


class ChainHead(models.Model):
    """One row: the last sequence number and hash. Locking it serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    objects = TrailQuerySet.as_manager()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"head #{self.seq}"

    @classmethod
    def locked(cls) -> "ChainHead":
        """The head row, locked until the end of the transaction (SELECT … FOR UPDATE on
        PostgreSQL; on SQLite the transaction's write lock serialises appends). Made by a
        migration; get_or_create also covers a flushed test database."""
        head, _created = cls.objects.select_for_update().get_or_create(id=1)
        return head
