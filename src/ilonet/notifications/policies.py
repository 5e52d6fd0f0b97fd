"""Access rules of the notifications: everyone with a role reads and manages their own
notifications and preferences (the services and selectors only ever touch the actor's own rows)."""

from ilonet import policy
from ilonet.policy.predicates import has_any_role

from .models import Notification

policy.register_rule(
    policy.Action.VIEW_NOTIFICATIONS, has_any_role, basis="Anyone with a role: their own notifications."
)
policy.register_rule(
    policy.Action.MANAGE_NOTIFICATIONS, has_any_role, basis="Anyone with a role: their own notifications."
)


@policy.register_scope(Notification, policy.Action.VIEW_NOTIFICATIONS)
def own_notifications(user, queryset):
    return queryset.filter(recipient=user)
