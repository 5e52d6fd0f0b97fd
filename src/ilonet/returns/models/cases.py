"""A return case: one member state, one person, one case type (RS 2(c)).

The person's identity (names in several scripts, birth, nationality, identity documents) is one
JSON document sealed with the person's own data key (``personaldata.vault``): no column holds it
in clear. Stage, status and the machine's state are **derived** from the timeline and cached
here in the transaction of each event (``services.timeline``); nothing sets them by hand.
``version`` counts the changes, for optimistic concurrency (a stale version is refused).
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    VOLUNTARY = "voluntary", _("Assisted voluntary return")
    ENFORCED = "enforced", _("Enforced return")
    OWN_MEANS = "own_means", _("Departure by own means")


def new_person_ref() -> str:
    """The opaque reference of the person's data key in the key store: the time it was made, in
    milliseconds (11 hexadecimal digits, so that references sort by it), then 96 random bits.
    The key store's table is ordered by reference: new keys land at its end, in a few pages,
    instead of all over a file of millions (a bulk import's batch of 500 keys touched a page
    each, measured at 13 µs of CPU a key against 3 µs in order). The time says no more than
    the case's own creation time."""
    millis = time.time_ns() // 1_000_000
    return f"rc{millis:011x}" + secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")


class ReturnCase(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    member_state = models.CharField(_("member state"), max_length=2)
    case_type = models.CharField(_("case type"), max_length=12, choices=CaseType.choices)
    third_country = models.CharField(_("third country of return"), max_length=2)
    person_ref = models.CharField(max_length=40, unique=True, default=new_person_ref, editable=False)
    identity_sealed = models.TextField(_("sealed identity"), blank=True, editable=False)
    # derived from the timeline (machine.replay), cached in the transaction of each event
    state = models.CharField(_("state"), max_length=40, editable=False)
    stage = models.CharField(_("stage"), max_length=40, editable=False)
    status = models.CharField(_("status"), max_length=40, editable=False)
    on_hold = models.BooleanField(_("on hold"), default=False, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    last_seq = models.PositiveIntegerField(default=0, editable=False)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=40, blank=True, editable=False)
    erase_on = models.DateField(_("erasure date"), null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    # the last change, named to whoever saves with a stale version (optimistic concurrency)
    last_change = models.CharField(_("last change"), max_length=60, blank=True, editable=False)
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    last_changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("return case")
        verbose_name_plural = _("return cases")
        indexes = [
            models.Index(fields=["member_state", "stage", "id"], name="returns_case_state_stage"),
            models.Index(fields=["member_state", "status", "id"], name="returns_case_state_status"),
            models.Index(fields=["member_state", "opened_on", "id"], name="returns_case_state_opened"),
            models.Index(
                fields=["erase_on"], condition=models.Q(erased_at__isnull=True), name="returns_case_erase"
            ),
            models.Index(
                fields=["third_country", "member_state"],
                condition=models.Q(closed_on__isnull=True),
                name="returns_case_open_country",
            ),
        ]

    def __str__(self) -> str:  # audit trail and messages: the reference only, never a name
        return f"return case {self.reference}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None
