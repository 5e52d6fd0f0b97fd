"""The append-only timeline of a case. A correction is a new event that supersedes an earlier
one (``supersedes_seq``), never an edit: database triggers refuse UPDATE and DELETE (migration
0001_initial), as for the audit trail.

An imported event carries the sending system's stable id (``external_id``), unique in its member
state, and the import run and file line it came from; an imported case's own id is on its opening
event (``case_opened``). The import finds a row it already holds by that id, so a file imported
again changes nothing (``interchange.batch``). Until migration 0007 these were rows of a table of
their own (``ExternalKey``): one row, four indexes and two foreign-key checks more per imported
row (docs/benchmarks.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import ReturnCase


class CaseEvent(models.Model):
    # No index of its own: the unique (case, seq) index below starts with the case and serves
    # every look-up by case; a second one only cost each imported row one more index insertion.
    # No foreign key on PostgreSQL: a trigger checks each statement's cases at once, with their
    # member state (``dbsql.CASE_REFERENCES_POSTGRES``, migration 0009); SQLite keeps its key.
    case = models.ForeignKey(
        ReturnCase, on_delete=models.PROTECT, related_name="events", db_index=False, db_constraint=False
    )
    member_state = models.CharField(max_length=2)
    seq = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=40)
    occurred_on = models.DateField(_("date"))
    fields = models.JSONField(_("fields"), default=dict)
    supersedes_seq = models.PositiveIntegerField(_("supersedes event"), null=True, blank=True)
    needs_approval = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # Set by the import only; empty on the events entered on the page.
    external_id = models.CharField(_("external id"), max_length=64, null=True, blank=True, editable=False)
    # Where the row came from (a refused duplicate row names the line that came first). No foreign
    # key in the database (one check fewer per imported row) and no index: a run is never deleted,
    # and this is read only with the event, found by its external id.
    import_run = models.ForeignKey(
        "returns.ImportRun",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    import_line = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="returns_event_seq_once"),
            # external ids are unique per member state, cases' (on their opening event) and
            # events' together, as the sending system's are
            models.UniqueConstraint(
                fields=["member_state", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="returns_event_external_id_once",
            ),
        ]
        indexes = [models.Index(fields=["member_state", "kind", "occurred_on"], name="returns_event_kind")]

    def __str__(self) -> str:
        return f"event {self.seq} ({self.kind}) of case {self.case_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Case events are append-only: record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case events are append-only.")
