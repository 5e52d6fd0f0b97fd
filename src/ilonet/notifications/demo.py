"""Demo data for the notification centre. ``seed_demo`` seeds the other apps inside
``services.without_mail()``, so their real producers fill the centre (deployments notified to
the board, facilitators, decisions to pass on) without mailing the demo's history; here the
older ones are marked as read, a few stay unread for every role, and one user prefers a
daily digest for one kind, so that the header count, the list and the preferences show."""

from __future__ import annotations

from django.utils import timezone

from ilonet.accounts.demo import DEMO_DOMAIN

from .models import Delivery, Notification, Preference

UNREAD_PER_USER = 3


def seed_notifications() -> int:
    """Leave the newest ``UNREAD_PER_USER`` notifications of each demo user unread; returns how
    many notifications the demo has."""
    demo = Notification.objects.filter(recipient__email__endswith=f"@{DEMO_DOMAIN}")
    recipients = list(demo.order_by().values_list("recipient_id", flat=True).distinct())
    newest: list[int] = []
    for recipient_id in recipients:  # each a read of the (recipient, created_at) index
        newest += (
            Notification.objects.filter(recipient_id=recipient_id)
            .order_by("-created_at", "-pk")[:UNREAD_PER_USER]
            .values_list("pk", flat=True)
        )
    # One update by recipient ids (no join on e-mail addresses per user: slow on PostgreSQL).
    Notification.objects.filter(recipient_id__in=recipients, read_at__isnull=True).exclude(
        pk__in=newest
    ).update(read_at=timezone.now())
    chair = Notification.objects.filter(recipient__email=f"chair@{DEMO_DOMAIN}").first()
    if chair is not None:
        Preference.objects.get_or_create(
            user_id=chair.recipient_id, kind="deployment.changed", defaults={"delivery": Delivery.DIGEST}
        )
    return demo.count()
