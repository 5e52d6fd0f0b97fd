"""Read side of the notifications: always the reader's own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ilonet import policy
from ilonet.accounts import selectors as account_selectors
from ilonet.jobs.notify import Notice
from ilonet.shared.prepared import PreparedQuery

from . import kinds
from .models import Delivery, Notification, Preference


def notifications_of(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (nothing for a user who may not read them)."""
    rows = policy.scope(user, policy.Action.VIEW_NOTIFICATIONS, Notification.objects.all())
    return rows.filter(read_at__isnull=True) if unread_only else rows


# The header counts unread notifications up to here and then says "99+": a count that grows
# with a user's backlog would be paid on every page.
UNREAD_CAP = 99


def unread_count(*, user: Any) -> int:
    """For the header of every page; 0 for anonymous users and users without a role. At most
    ``UNREAD_CAP + 1`` (one more than the cap: "more than 99")."""
    if not getattr(user, "is_authenticated", False) or not policy.can(user, policy.Action.VIEW_NOTIFICATIONS):
        return 0
    # The ids of at most UNREAD_CAP + 1 rows, counted here: a plainer query than a COUNT over a
    # LIMITed subquery, and this one runs on every page (compiled once: ilonet.shared.prepared).
    return len(_UNREAD.rows(recipient_id=user.pk))


def _unread_ids(recipient_id: int) -> QuerySet:
    unread = Notification.objects.filter(recipient_id=recipient_id, read_at=None).order_by()
    return unread.values_list("pk")[: UNREAD_CAP + 1]


_UNREAD = PreparedQuery(_unread_ids, recipient_id=-424242)


def preferences_of(*, user: Any) -> dict[str, str]:
    """Per declared kind, the user's choice (at once unless they chose otherwise)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {name: chosen.get(name, Delivery.IMMEDIATE.value) for name in kinds.KINDS}


def text_of(notification: Notification) -> str:
    return kinds.render(notification.kind, notification.params)


def label_of(kind: str) -> str:
    return kinds.label(kind)


def allowed_recipients(notice: Notice) -> list[Any]:
    """The users of the notice's audience who may open its subject: ``policy.can(user,
    notice.audience_action, notice.obj)``, user by user (the filter every producer goes through)."""
    audience = notice.recipients
    users = account_selectors.audience_users(
        roles=audience.roles, roles_in=audience.roles_in, user_ids=audience.user_ids
    )
    candidates, allowed = list(users), []
    for start in range(0, len(candidates), 2000):
        chunk = candidates[start : start + 2000]
        roles = account_selectors.current_role_tuples_of(user_ids=[user.pk for user in chunk])
        for user in chunk:
            policy.prime_roles(user, roles[user.pk])  # one query per 2,000 users, not one each
            if policy.can(user, notice.audience_action, notice.obj):
                allowed.append(user)
    return allowed
