"""The rule table: which roles may do which action. Read together with the matrix test
(``tests/test_access_matrix.py``), which spells out every role x action cell."""

from ilonet.accounts.models import User
from ilonet.audit.models import AuditEvent
from ilonet.directory.models import Organisation

from . import register_scope, ruleset
from .actions import Action
from .predicates import has_any_role, is_platform_admin

ruleset.add_rule(Action.VIEW_DIRECTORY, has_any_role)
ruleset.add_rule(Action.MANAGE_DIRECTORY, is_platform_admin)
ruleset.add_rule(Action.VIEW_USERS, is_platform_admin)
ruleset.add_rule(Action.MANAGE_USERS, is_platform_admin)
ruleset.add_rule(Action.MANAGE_ROLES, is_platform_admin)
ruleset.add_rule(Action.USE_API_TOKENS, has_any_role)
ruleset.add_rule(Action.VIEW_AUDIT, is_platform_admin)
ruleset.add_rule(Action.EXPORT_AUDIT, is_platform_admin)


@register_scope(Organisation, Action.VIEW_DIRECTORY)
def _directory_visible(user, qs):
    return qs


@register_scope(User, Action.VIEW_USERS)
def _users_visible(user, qs):
    return qs


@register_scope(AuditEvent, Action.VIEW_AUDIT)
def _audit_visible(user, qs):
    return qs


from . import rules_board as rules_board  # noqa: E402,F401  (steering board)
from . import rules_deployments  # noqa: E402,F401  (deployments, networks, priorities)
