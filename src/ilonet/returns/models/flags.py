"""Flags, obstacles, the worklist and its reminders, and the blind index of names."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import ReturnCase


class FlagKind(models.TextChoices):
    NO_TRAVEL_DOCUMENT = "no_travel_document", _("No travel document")
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unaccompanied minor")
    VULNERABLE_PERSON = "vulnerable_person", _("Vulnerable person")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")


class CaseFlag(models.Model):
    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="flags")
    member_state = models.CharField(max_length=2)
    kind = models.CharField(_("flag"), max_length=30, choices=FlagKind.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case flag")
        verbose_name_plural = _("case flags")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=models.Q(cleared_at__isnull=True), name="returns_flag_once"
            )
        ]

    def __str__(self) -> str:
        return f"flag {self.kind} of case {self.case_id}"


class ObstacleKind(models.TextChoices):
    NON_COOPERATION = "non_cooperation", _("Non-cooperation of the person")
    MISSING_TRAVEL_DOCUMENTS = "missing_travel_documents", _("Missing travel documents")
    UNANSWERED_READMISSION = "unanswered_readmission", _("Unanswered readmission requests")
    HEALTH = "health", _("Health conditions")
    TRANSPORT = "transport", _("Transport conditions")


class Obstacle(models.Model):
    """An obstacle flagged on a case or on a third country (RS 1, RS 2(a)); rolled up without
    personal data (``selectors.obstacle_rollup``)."""

    member_state = models.CharField(_("member state"), max_length=2)
    third_country = models.CharField(_("third country"), max_length=2)
    case = models.ForeignKey(
        ReturnCase, on_delete=models.CASCADE, null=True, blank=True, related_name="obstacles"
    )
    kind = models.CharField(_("obstacle"), max_length=30, choices=ObstacleKind.choices)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    flagged_on = models.DateField(_("flagged on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        indexes = [
            models.Index(
                fields=["member_state", "third_country", "kind"],
                condition=models.Q(resolved_on__isnull=True),
                name="returns_obstacle_open",
            )
        ]

    def __str__(self) -> str:
        return f"obstacle {self.kind} ({self.member_state}, {self.third_country})"


class WorklistRule(models.TextChoices):
    NO_RETURN_DECISION = "no_return_decision", _("End of legal stay without a return decision")
    READMISSION_UNANSWERED = "readmission_unanswered", _("Readmission request without an answer")
    DEPARTURE_PERIOD_EXPIRED = "departure_period_expired", _("Voluntary departure period expired")
    DETENTION_REVIEW_DUE = "detention_review_due", _("Detention review due")
    TRAVEL_DOCUMENT_PENDING = "travel_document_pending", _("Travel document pending")
    NEEDS_ATTENTION = "needs_attention", _("Flagged: needs attention")
    ON_HOLD = "on_hold", _("On hold: to be released by an officer")


class WorklistEntry(models.Model):
    """A case that stalls under one rule, since a date (RS 2(a): no gaps between stages). Derived
    from the timeline and rewritten in the transaction of each event; ``due_on`` is ``since`` plus
    the rule's delay (settings ``RETURNS_WORKLIST_DELAYS``)."""

    # indexed by the unique (case, rule) constraint, which starts with it
    # checked by statement, not by a foreign key, on PostgreSQL (``dbsql.CASE_REFERENCES_POSTGRES``)
    case = models.ForeignKey(
        ReturnCase, on_delete=models.CASCADE, related_name="worklist", db_index=False, db_constraint=False
    )
    member_state = models.CharField(max_length=2)
    rule = models.CharField(_("rule"), max_length=30, choices=WorklistRule.choices)
    since = models.DateField(_("since"))
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("worklist entry")
        verbose_name_plural = _("worklist entries")
        constraints = [models.UniqueConstraint(fields=["case", "rule"], name="returns_worklist_once")]
        indexes = [
            models.Index(fields=["member_state", "due_on", "id"], name="returns_worklist_due"),
            models.Index(fields=["member_state", "rule", "due_on", "id"], name="returns_worklist_rule"),
            models.Index(fields=["rule", "due_on"], name="returns_worklist_jobs"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} of case {self.case_id}"


class Reminder(models.Model):
    """A reminder sent once (a detention review before it falls due)."""

    case = models.ForeignKey(ReturnCase, on_delete=models.CASCADE, related_name="+")
    member_state = models.CharField(max_length=2)
    rule = models.CharField(max_length=30)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "rule", "due_on"], name="returns_reminder_once")
        ]

    def __str__(self) -> str:
        return f"reminder {self.rule} of case {self.case_id}"


class NameDigest(models.Model):
    """The blind index of the person's names: keyed digests (``vault.name_digests``), never names."""

    # indexed by the unique (case, digest) constraint, which starts with it
    # checked by statement, not by a foreign key, on PostgreSQL (``dbsql.CASE_REFERENCES_POSTGRES``)
    case = models.ForeignKey(
        ReturnCase, on_delete=models.CASCADE, related_name="digests", db_index=False, db_constraint=False
    )
    member_state = models.CharField(max_length=2)
    digest = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "digest"], name="returns_digest_once")]
        indexes = [models.Index(fields=["member_state", "digest"], name="returns_digest_lookup")]

    def __str__(self) -> str:
        return self.digest
