"""Erasure of the list of board members' personal fields (Art. 9(2)(c)) once a person has left
the board.

The list's name and e-mail address (``Membership.listed_name``, ``listed_email``) are sealed with
a data key per person (``member-<user id>``, key store ``board-member-keys.sqlite3``). When a
person holds no membership that runs today or later and their last one ended more than
``BOARD_MEMBER_DETAILS_RETENTION_DAYS`` ago (30 by default; storage limitation, GDPR
Art. 5(1)(e), Regulation 2018/1725 Art. 4(1)(e)), the daily job destroys the person's data key
(crypto-shredding: a backup of the database taken before can no longer be opened for them),
empties the columns and deletes the name's digests (the search index). The membership itself
(seat, capacity, dates, the account it points to) stays: past compositions and votes remain
explainable. A person appointed again later gets a new key. The audit event names memberships
and counts only. The account (sign-in e-mail and name) is not the list and is not touched.
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

from .models import BOARD_MEMBER_KEY_STORE, Membership, MembershipNameDigest

BATCH = 1000


@system_operation
def erase_member_details(*, today: date | None = None, batch: int = BATCH) -> int:
    """Destroy the data keys of the people who left the board more than the retention ago, empty
    their list columns and delete their name digests; returns how many people. In batches of
    people (bounded memory); the keys go first, so a batch interrupted after them reads as
    erased and is finished by the next run."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.BOARD_MEMBER_DETAILS_RETENTION_DAYS)
    kept = Membership.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=cutoff), user_id=OuterRef("user_id")
    )
    due = (
        Membership.objects.exclude(listed_name="", listed_email="")
        .filter(valid_until__lt=cutoff)
        .exclude(Exists(kept))
    )
    store = key_store(BOARD_MEMBER_KEY_STORE)
    erased, last = 0, 0
    while True:
        people = sorted(
            set(due.filter(user_id__gt=last).order_by("user_id").values_list("user_id", flat=True)[:batch])
        )
        if not people:
            if erased:
                flush_erased_pages()  # no copy of the emptied columns left in the database's log
            return erased
        last = people[-1]
        store.destroy_keys([f"member-{pk}" for pk in people])
        with transaction.atomic():
            ids = list(due.filter(user_id__in=people).values_list("pk", flat=True))
            Membership.objects.filter(pk__in=ids).update(listed_name="", listed_email="")
            MembershipNameDigest.objects.filter(membership_id__in=ids).delete()
            audit.record(
                action=AuditAction.BOARD_MEMBER_DETAILS_ERASED,
                details={
                    "people": len(people),
                    "memberships": ids,
                    "retention_days": settings.BOARD_MEMBER_DETAILS_RETENTION_DAYS,
                    "basis": "Art. 9(2)(c)",
                },
            )
        erased += len(people)
