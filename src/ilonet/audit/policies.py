"""Who reads and exports the audit trail: the platform administrators. Role names are plain
strings (the audit trail sits below accounts; ``accounts`` tests check the names exist)."""

from ilonet import policy
from ilonet.policy.predicates import has_role

from .models import AuditEvent

PLATFORM_ADMIN = "platform_admin"

policy.register_rule(policy.Action.VIEW_AUDIT, has_role(PLATFORM_ADMIN), basis="Platform administrators.")
policy.register_rule(policy.Action.EXPORT_AUDIT, has_role(PLATFORM_ADMIN), basis="Platform administrators.")


@policy.register_scope(AuditEvent, policy.Action.VIEW_AUDIT)
def _audit_visible(user, qs):
    return qs
