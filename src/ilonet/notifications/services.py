"""Notifications: the one function that turns a recorded event into notifications for the
people allowed to see it (``deliver_notice``, the notifier of ``ilonet.jobs.notify``), and the
user's own writes (mark read, preferences).

**Who is told** (``deliver_notice``): the producer names an audience (roles, roles for an
organisation, users) and the action that opens the event's subject on a page; every user of
the audience is checked with ``policy.can(user, action, subject)`` and only those for whom it
holds get a notification. Nobody is told, on the site or by e-mail, what they may not open on
a page; the notification stores parameters (ids, codes, dates), no rendered personal data.

**E-mail** is never sent here: this runs inside the producer's transaction, and it only writes
rows (an ``OutboxMail`` per recipient who wants the kind at once, with a unique key) and
enqueues the job that sends them (``jobs.send_mail``), which commit with the event or not at
all. A user with no e-mail address, or who switched the kind off, is skipped: the
notification is still listed on the site."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.jobs.notify import Notice
from ilonet.policy.markers import system_operation

from . import kinds, selectors
from .models import Delivery, MailPlan, MailState, Notification, OutboxMail, Preference

# Mails per sending job: a fan-out to 10,000 people is 20 jobs, which several workers share.
MAIL_BATCH = 500


_without_mail: ContextVar[bool] = ContextVar("notifications_without_mail", default=False)


@system_operation
@contextmanager
def without_mail() -> Iterator[None]:
    """Notifications made inside are listed on the site but mailed to nobody (the demo's
    history, seeded by ``seed_demo`` through the real producers)."""
    token = _without_mail.set(True)
    try:
        yield
    finally:
        _without_mail.reset(token)


def _plans(users: Iterable[Any], kind: str, *, site_only: bool = False) -> dict[int, str]:
    """Per user: at once, in the digest, or no e-mail (no address, the kind switched off, or a
    notice for the site only: a sensitive document, Art. 9(1))."""
    if site_only or _without_mail.get():
        return {user.pk: MailPlan.NONE.value for user in users}
    chosen = dict(Preference.objects.filter(kind=kind).values_list("user_id", "delivery"))
    plans: dict[int, str] = {}
    for user in users:
        delivery = chosen.get(user.pk, Delivery.IMMEDIATE)
        if not (user.email or "").strip() or delivery == Delivery.OFF:
            plans[user.pk] = MailPlan.NONE
        else:
            plans[user.pk] = MailPlan.DIGEST if delivery == Delivery.DIGEST else MailPlan.IMMEDIATE
    return plans


@system_operation
def deliver_notice(notice: Notice) -> list[int]:
    """The notifier of ``ilonet.jobs.notify``: a notification for each allowed recipient
    (once per event key and recipient, however often it is called), and its e-mail queued.
    Returns the ids of the recipients told. An undeclared kind is a programming error."""
    kind = kinds.get(notice.kind)
    recipients = selectors.allowed_recipients(notice)
    if not recipients:
        return []
    now = timezone.now()
    subject_type = ContentType.objects.get_for_model(notice.obj) if notice.obj is not None else None
    subject_id = getattr(notice.obj, "pk", None)
    plans = _plans(recipients, kind.name, site_only=notice.site_only)
    already = set(
        Notification.objects.filter(key=notice.key, recipient__in=[u.pk for u in recipients]).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [user for user in recipients if user.pk not in already]
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind.name,
                key=notice.key[:200],
                subject_type=subject_type,
                subject_id=subject_id,
                link=notice.link[:300],
                params=notice.context,
                created_at=now,
                mail=plans[user.pk],
            )  # fmt: skip
            for user in fresh
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    at_once = [user.pk for user in fresh if plans[user.pk] == MailPlan.IMMEDIATE]
    if at_once:
        made = list(
            Notification.objects.filter(key=notice.key, recipient_id__in=at_once).values_list(
                "pk", "recipient_id"
            )
        )
        OutboxMail.objects.bulk_create(
            [
                OutboxMail(
                    key=f"{notice.key}:{recipient_id}"[:255],
                    recipient_id=recipient_id,
                    notification_id=pk,
                    created_at=now,
                )  # fmt: skip
                for pk, recipient_id in made
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        # By the notifications' own ids (the foreign key's index), not a join on the event key.
        queue_outbox(
            OutboxMail.objects.filter(notification_id__in=[pk for pk, _ in made], state=MailState.PENDING),
            key=f"notifications.mail:{notice.key}",
        )
    return [user.pk for user in recipients]


@system_operation
def notifier(notice: Notice) -> None:
    """What the notification hook calls (``ilonet.jobs.notify.register_notifier``)."""
    deliver_notice(notice)


@system_operation
def queue_outbox(mails, *, key: str) -> int:
    """Enqueue the sending of the given pending mails in batches (in the caller's transaction);
    each job's key is derived from ``key``, so the same batch is never queued twice."""
    from . import jobs  # the job module imports this one

    ids = list(mails.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), MAIL_BATCH):
        batch = ids[start : start + MAIL_BATCH]
        jobs.send_mail.enqueue(key=f"{key}:{batch[0]}-{batch[-1]}"[:200], ids=batch)
    return len(ids)


# --- the user's own notifications ----------------------------------------------------------------


def mark_read(*, actor: Any, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications as read (another's is not found)."""
    policy.authorize(actor, policy.Action.MANAGE_NOTIFICATIONS)
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id, recipient=actor)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return notification


def mark_all_read(*, actor: Any) -> int:
    """Mark all of the actor's unread notifications as read; how many were unread."""
    policy.authorize(actor, policy.Action.MANAGE_NOTIFICATIONS)
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def set_preferences(*, actor: Any, choices: dict[str, str]) -> dict[str, str]:
    """The actor's choice per kind (at once, daily digest, not by e-mail); audited."""
    policy.authorize(actor, policy.Action.MANAGE_NOTIFICATIONS)
    errors = {}
    for name, delivery in choices.items():
        if name not in kinds.KINDS:
            errors[name] = _("There is no such kind of notification.")
        elif delivery not in Delivery.values:
            errors[name] = _("Choose at once, in a daily digest or not by e-mail.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = dict(Preference.objects.filter(user=actor).values_list("kind", "delivery"))
        changed = {}
        for name, delivery in choices.items():
            if current.get(name, Delivery.IMMEDIATE) == delivery:
                continue
            Preference.objects.update_or_create(user=actor, kind=name, defaults={"delivery": delivery})
            changed[name] = [current.get(name, Delivery.IMMEDIATE), delivery]
        if changed:
            audit.record_change(
                actor=actor, action=AuditAction.NOTIFICATION_PREFERENCES_CHANGED, obj=actor, changes=changed
            )
        return {**{n: Delivery.IMMEDIATE.value for n in kinds.KINDS}, **current,
                **{n: d for n, (_old, d) in changed.items()}}  # fmt: skip
