"""The notifications' jobs (``ilonet.jobs``): sending the outbox, the daily digest, and the
sweep that loses no mail. E-mail is sent only here, never inside a request."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilonet.jobs import clock
from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily, Every

from . import mail, services
from .models import MailPlan, MailState, Notification, OutboxMail

DIGEST_AT = time(6, 0)


# Retries of a mail server that is down: 1, 2, 4, … minutes, then hourly; about 14 hours in
# all before the job is dead (its mails stay pending; the sweep queues them again).
@job(label=_("Send notification e-mails"), atomic=False, timeout=600,
     max_attempts=20, backoff=60.0, backoff_cap=3600.0)  # fmt: skip
def send_mail(*, ids: list[int]) -> dict[str, int]:
    """Send the pending mails among ``ids`` once each (``mail.send_outbox``). Not atomic: each
    mail is claimed and marked sent in its own write, so a retry sends only what is left."""
    return mail.send_outbox(ids)


@job(schedule=Daily(DIGEST_AT), label=_("Send the daily digest of notifications"), timeout=1800)
def send_daily_digest(**_scheduled: Any) -> dict[str, int]:
    """One mail per user with notifications they want in a digest that no digest carried yet.
    Atomic: the digest rows, the notifications they carry and the sending jobs commit together;
    the digest's key (day and user) makes a second run add nothing."""
    now = clock.now()
    day = timezone.localdate(now)
    due = Notification.objects.filter(mail=MailPlan.DIGEST, digest__isnull=True, created_at__lte=now)
    users = list(due.values_list("recipient_id", flat=True).distinct().order_by("recipient_id"))
    made = 0
    for user_id in users:
        digest, created = OutboxMail.objects.get_or_create(
            key=f"digest:{day.isoformat()}:{user_id}",
            defaults={"recipient_id": user_id, "is_digest": True, "digest_day": day, "created_at": now},
        )
        if created:
            due.filter(recipient_id=user_id).update(digest=digest)
            made += 1
    services.queue_outbox(
        OutboxMail.objects.filter(is_digest=True, digest_day=day, state=MailState.PENDING),
        key=f"notifications.digest:{day.isoformat()}",
    )
    return {"digests": made}


@job(schedule=Every(minutes=10), label=_("Sweep the notification e-mails"), timeout=600)
def sweep_outbox(**_scheduled: Any) -> dict[str, int]:
    """Loses no mail: mails still pending after 30 minutes (their job died, or is waiting out
    a long backoff) are queued again (the claim keeps them from being sent twice), and mails
    left half-sent by a killed worker are marked failed (``mail.fail_interrupted``)."""
    now = clock.now()
    interrupted = mail.fail_interrupted(now=now)
    slot = now.replace(second=0, microsecond=0)
    queued = services.queue_outbox(
        OutboxMail.objects.filter(state=MailState.PENDING, created_at__lt=now - timedelta(minutes=30)),
        key=f"notifications.sweep:{slot.isoformat()}",
    )
    return {"interrupted": interrupted, "queued": queued}
