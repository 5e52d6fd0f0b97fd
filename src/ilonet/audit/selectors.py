from collections import Counter
from datetime import datetime

from django.db.models import QuerySet

from ilonet import policy

from . import deferred
from .models import AuditEvent, ChainHead

# Each selector first appends the events the current transaction queued (``deferred.flush``, a
# no-op outside one): a transaction reads the trail with its own events in it, as before.


def event_list(
    *,
    user,
    action: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    outcome: str | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events the user may see, filtered. ``action`` matches a prefix ("auth.")."""
    deferred.flush()
    qs = policy.scope(user, policy.Action.VIEW_AUDIT, AuditEvent.objects.all())
    if action:
        qs = qs.filter(action__startswith=action.strip())
    if actor:
        qs = qs.filter(actor_label__icontains=actor.strip())
    if object_type:
        qs = qs.filter(object_type=object_type.strip())
    if outcome:
        qs = qs.filter(outcome=outcome)
    if since:
        qs = qs.filter(occurred_at__gte=since)
    if until:
        qs = qs.filter(occurred_at__lte=until)
    return qs.order_by("-seq")


def action_counts(*, since: datetime, until: datetime) -> dict[str, int]:
    """How many events of each action the trail holds in a period: the use of the platform for
    the Commission's report on the regulation (Art. 12(2)). Counts only, no actor: the caller
    authorises. One grouped query."""
    from django.db.models import Count

    deferred.flush()

    rows = (
        AuditEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
        .values("action")
        .annotate(n=Count("id"))
    )
    return dict(Counter({row["action"]: row["n"] for row in rows}))


def distinct_actors(*, since: datetime, until: datetime, action: str) -> int:
    """How many different accounts did ``action`` in a period (e.g. signed in); a number only."""
    deferred.flush()
    return (
        AuditEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until, action=action)
        .exclude(actor_id=None)
        .values("actor_id")
        .distinct()
        .count()
    )


def domain_events(*, user, action: policy.Action, prefix: str) -> QuerySet[AuditEvent]:
    """The events of one domain (``prefix``, e.g. "personaldata.") that ``action``'s scope opens
    to the user: the personal data access log for the data protection officer."""
    deferred.flush()
    qs = AuditEvent.objects.filter(action__startswith=prefix)
    return policy.scope(user, action, qs).order_by("-seq")


def chain_head_seq() -> int:
    """The sequence number of the last event of the chain (monitoring)."""
    deferred.flush()
    return ChainHead.objects.values_list("seq", flat=True).filter(id=1).first() or 0
