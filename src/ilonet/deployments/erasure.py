"""Erasure of the contact details of the contact list (Art. 9(2)(d)) once an officer has left it.

The contact list is of the officers deployed now (Art. 9(2)(d)); the phone and e-mail address at
the post are sealed with a data key per officer (``Deployment.phone``/``email``,
``ilonet.shared.sealed_fields``). When an officer has no planned or active deployment any more
and their last one ended more than ``CONTACT_DETAILS_RETENTION_DAYS`` ago (30 by default, a
hand-over; storage limitation, GDPR Art. 5(1)(e), Regulation 2018/1725 Art. 4(1)(e)), the daily
job destroys the officer's data key (crypto-shredding: a backup of the database taken before can
no longer be opened for them) and empties the columns. An officer deployed again later gets a new
key. The audit event names deployments and counts only.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.policy.markers import system_operation
from ilonet.shared.sealed_fields import key_store
from ilonet.shared.wipe import flush_erased_pages

from .models import CONTACT_KEY_STORE, Deployment, DeploymentStatus

BATCH = 1000


def _still_listed(cutoff: date) -> Q:
    """Deployments that keep an officer's contact details: planned, active, or ended (cancelled)
    on or after the cutoff."""
    return (
        Q(status__in=(DeploymentStatus.PLANNED, DeploymentStatus.ACTIVE))
        | Q(status=DeploymentStatus.ENDED, end_date__gte=cutoff)
        | Q(status=DeploymentStatus.ENDED, end_date__isnull=True, planned_end_date__gte=cutoff)
        | Q(status=DeploymentStatus.CANCELLED, updated_at__date__gte=cutoff)
    )


@system_operation
def erase_contact_details(*, today: date | None = None, batch: int = BATCH) -> int:
    """Destroy the data keys of the officers who left the contact list more than the retention
    ago, and empty their contact columns; returns how many officers. In batches of officers
    (bounded memory); the keys go first, so a batch interrupted after them reads as erased and
    is finished by the next run."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.CONTACT_DETAILS_RETENTION_DAYS)
    kept = Deployment.objects.filter(_still_listed(cutoff), officer_id=OuterRef("officer_id"))
    due = (
        Deployment.objects.exclude(phone="", email="")
        .filter(status__in=(DeploymentStatus.ENDED, DeploymentStatus.CANCELLED))
        .exclude(Exists(kept))
    )
    store = key_store(CONTACT_KEY_STORE)
    erased, last = 0, 0
    while True:
        officers = sorted(
            set(
                due.filter(officer_id__gt=last)
                .order_by("officer_id")
                .values_list("officer_id", flat=True)[:batch]
            )
        )
        if not officers:
            if erased:
                flush_erased_pages()  # no copy of the emptied columns left in the database's log
            return erased
        last = officers[-1]
        store.destroy_keys([f"officer-{pk}" for pk in officers])
        with transaction.atomic():
            ids = list(due.filter(officer_id__in=officers).values_list("pk", flat=True))
            Deployment.objects.filter(pk__in=ids).update(phone="", email="")
            audit.record(
                action=AuditAction.DEPLOYMENT_CONTACTS_ERASED,
                details={
                    "officers": len(officers),
                    "deployments": ids,
                    "retention_days": settings.CONTACT_DETAILS_RETENTION_DAYS,
                    "basis": "Art. 9(2)(d)",
                },
            )
        erased += len(officers)
