from datetime import datetime

from ninja import Schema
from ninja.pagination import CursorPagination, paginate

from ilonet import policy
from ilonet.api.routing import PolicyRouter

from . import selectors

router = PolicyRouter(tags=["audit"])


class AuditEventOut(Schema):
    seq: int
    occurred_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    outcome: str
    object_type: str
    object_id: str
    object_repr: str
    ip_address: str | None
    details: dict


@router.get("/events", response=list[AuditEventOut], action=policy.Action.VIEW_AUDIT)
@paginate(CursorPagination, ordering=("-seq",), page_size=100)
def list_events(
    request,
    action: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    """The audit trail, newest first (cursor-paginated: it grows to tens of millions)."""
    return selectors.event_list(
        user=request.user, action=action, actor=actor, object_type=object_type,
        since=since, until=until,
    )  # fmt: skip
