"""The interchange's own tables (``ilonet.returns.interchange``): import runs and their progress,
the rows an import refused, and the review queue of suspected duplicate persons. The stable
external ids of imported rows are on the events themselves (``CaseEvent.external_id``).

None holds personal data in clear: a refused row is reported by its line number, its external id
and the reason (never the row's names), and a suspected duplicate names two cases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Stopped, can be resumed")


class ImportRun(models.Model):
    """One import of one file for one member state. ``checkpoint_line`` is the last line of the
    file whose batch committed, written in the same transaction as that batch: a run killed
    midway resumes after it, and no row is written twice."""

    member_state = models.CharField(_("member state"), max_length=2)
    file_name = models.CharField(_("file"), max_length=255)
    file_digest = models.CharField(max_length=64)
    file_format = models.CharField(_("format"), max_length=8)
    total_lines = models.PositiveBigIntegerField(_("lines in the file"), null=True, blank=True)
    checkpoint_line = models.PositiveBigIntegerField(_("last committed line"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    # lines a batch; the import gives its own (``interchange.importing.DEFAULT_BATCH``, the same)
    batch_size = models.PositiveIntegerField(default=10_000)
    batches = models.PositiveIntegerField(_("batches committed"), default=0)
    cases_created = models.PositiveBigIntegerField(_("cases created"), default=0)
    events_created = models.PositiveBigIntegerField(_("events created"), default=0)
    rows_unchanged = models.PositiveBigIntegerField(_("rows already imported"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("rows refused"), default=0)
    duplicates_suspected = models.PositiveBigIntegerField(_("suspected duplicate persons"), default=0)
    failure = models.CharField(_("reason it stopped"), max_length=300, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("return case import")
        verbose_name_plural = _("return case imports")
        indexes = [
            models.Index(fields=["member_state", "file_digest", "status"], name="returns_import_resume")
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.member_state}, {self.file_name})"


class ImportRowError(models.Model):
    """A row the import refused, by its line: the rest of the file went on. The reason is a
    stable ``code`` with its ``params`` (``interchange.refusals``), put in words in the reader's
    language when shown (``reason``)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="row_errors")
    line = models.PositiveBigIntegerField(_("line"))
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    code = models.CharField(_("reason code"), max_length=40)
    params = models.JSONField(_("reason parameters"), default=dict, blank=True)

    class Meta:
        ordering = ["run", "line"]
        constraints = [models.UniqueConstraint(fields=["run", "line"], name="returns_import_error_once")]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"

    @property
    def reason(self) -> str:
        """The reason in the active language."""
        from ilonet.returns.interchange.refusals import render

        return render(self.code, self.params)


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Same person")
    SEPARATED = "separated", _("Different persons")


class DuplicateSuspect(models.Model):
    """Two cases of one member state whose persons have the same name (blind-index digest of the
    whole name) and date of birth: an import does not stop on them, an officer decides."""

    member_state = models.CharField(_("member state"), max_length=2)
    case = models.ForeignKey("returns.ReturnCase", on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey("returns.ReturnCase", on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suspected duplicate person")
        verbose_name_plural = _("suspected duplicate persons")
        constraints = [models.UniqueConstraint(fields=["case", "match"], name="returns_duplicate_pair_once")]
        indexes = [models.Index(fields=["member_state", "status", "id"], name="returns_duplicate_queue")]

    def __str__(self) -> str:
        return f"suspected duplicate {self.case_id}/{self.match_id}"
