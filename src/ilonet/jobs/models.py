"""The state of background work.

- ``Job``: one unit of work with its idempotency key (unique): the key makes an enqueue happen
  once, and the job's state, set to "succeeded" in the same transaction as the job's effects,
  is the "effect done" record that makes a second run (after a worker was killed) a no-op.
  Each attempt runs as one django-tasks result (``task_id``) on the database backend.
- ``SchedulerLease``: the row that makes one scheduler at a time the active one.
- ``Tally``: named counters incremented by jobs: the worker's heartbeat (shown on the
  operations page), and the probe jobs of the tests and the benchmark.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Dead")
    SUCCEEDED = "succeeded", _("Succeeded")
    CANCELLED = "cancelled", _("Cancelled")


# States an administrator may act on.
RETRYABLE = (JobState.DEAD, JobState.CANCELLED)
CANCELLABLE = (JobState.QUEUED, JobState.FAILED)


class Job(models.Model):
    name = models.CharField(_("job"), max_length=200, help_text=_("Dotted path of the job function."))
    key = models.CharField(_("idempotency key"), max_length=255, unique=True)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("attempts allowed"))
    run_after = models.DateTimeField(_("next attempt not before"))
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    task_id = models.UUIDField(_("current attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(_("running until at the latest"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("last error"), blank=True)
    traceback = models.TextField(_("traceback of the last error"), blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="job_state_created"),
            models.Index(fields=["name", "-created_at"], name="job_name_created"),
            models.Index(fields=["state", "lease_until"], name="job_state_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"


class SchedulerLease(models.Model):
    """One row per scheduler role: the holder is the active scheduler until ``expires_at``;
    it renews the lease at every tick, another scheduler takes over once it has expired."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    holder = models.CharField(_("holder"), max_length=120)
    acquired_at = models.DateTimeField(_("acquired at"))
    beat_at = models.DateTimeField(_("last tick at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("scheduler lease")
        verbose_name_plural = _("scheduler leases")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder}"


class Tally(models.Model):
    name = models.CharField(_("name"), max_length=100, primary_key=True)
    count = models.PositiveBigIntegerField(_("count"), default=0)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return f"{self.name}: {self.count}"
