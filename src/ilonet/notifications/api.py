"""The notification centre in the API: the caller's own notifications and e-mail preferences."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import StrictSchema

from . import selectors, services
from .models import Delivery

router = PolicyRouter(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    label: str
    text: str
    link: str
    params: dict
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_label(obj) -> str:
        return selectors.label_of(obj.kind)

    @staticmethod
    def resolve_text(obj) -> str:
        return selectors.text_of(obj)


class UnreadOut(Schema):
    unread: int = Field(..., description="Exact up to 99; 100 means more than 99")


class PreferencesIn(StrictSchema):
    preferences: dict[str, Delivery]


class PreferencesOut(Schema):
    preferences: dict[str, str]


@router.get("", response=list[NotificationOut], action=policy.Action.VIEW_NOTIFICATIONS)
@paginate(PageNumberPagination, page_size=50)
def list_notifications(request, unread: bool = False):
    """Your notifications, newest first (``unread=true``: the unread ones only), the text in
    the language of the request."""
    return selectors.notifications_of(user=request.user, unread_only=unread)


@router.get("/unread", response=UnreadOut, action=policy.Action.VIEW_NOTIFICATIONS)
def unread_count(request):
    return {"unread": selectors.unread_count(user=request.user)}


@router.post(
    "/{int:notification_id}/read", response=NotificationOut, action=policy.Action.MANAGE_NOTIFICATIONS
)
def mark_read(request, notification_id: int):
    """Mark one of your notifications as read."""
    get_object_or_404(selectors.notifications_of(user=request.user), pk=notification_id)
    return services.mark_read(actor=request.user, notification_id=notification_id)


@router.post("/read-all", response=UnreadOut, action=policy.Action.MANAGE_NOTIFICATIONS)
def mark_all_read(request):
    """Mark all your notifications as read."""
    services.mark_all_read(actor=request.user)
    return {"unread": 0}


@router.get("/preferences", response=PreferencesOut, action=policy.Action.VIEW_NOTIFICATIONS)
def get_preferences(request):
    """Per kind of notification: ``immediate`` (by e-mail at once), ``digest`` (in the daily
    digest) or ``off`` (not by e-mail; it is listed on the site either way)."""
    return {"preferences": selectors.preferences_of(user=request.user)}


@router.put("/preferences", response=PreferencesOut, action=policy.Action.MANAGE_NOTIFICATIONS)
def set_preferences(request, payload: PreferencesIn):
    """Change some kinds (the others keep their choice); an unknown kind is a 422."""
    choices = {name: str(value) for name, value in payload.preferences.items()}
    return {"preferences": services.set_preferences(actor=request.user, choices=choices)}
