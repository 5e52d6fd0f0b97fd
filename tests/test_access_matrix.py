"""Every role x action cell of the access policy, including every denial.

The expected table is written out here by hand, independently of ``ilonet.policy.rules``:
a change of the rules that is not also made here fails this test.
"""

import pytest

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.policy import Action

A = Action
EVERY_ROLE = frozenset(Role)
ADMIN = frozenset({Role.PLATFORM_ADMIN})

# action -> the roles that may do it (everyone else is refused)
EXPECTED: dict[Action, frozenset[str]] = {
    A.VIEW_DIRECTORY: EVERY_ROLE,
    A.MANAGE_DIRECTORY: ADMIN,
    A.VIEW_USERS: ADMIN,
    A.MANAGE_USERS: ADMIN,
    A.MANAGE_ROLES: ADMIN,
    A.USE_API_TOKENS: EVERY_ROLE,
    A.VIEW_AUDIT: ADMIN,
    A.EXPORT_AUDIT: ADMIN,
}


def test_the_matrix_covers_every_action():
    assert set(EXPECTED) == set(Action)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_role_gets_exactly_the_expected_actions(make_user, role):
    user = make_user(role)
    granted = {action for action in Action if policy.can(user, action)}
    expected = {action for action, roles in EXPECTED.items() if role in roles}
    assert granted == expected


@pytest.mark.django_db
def test_a_user_without_roles_may_do_nothing(make_user):
    user = make_user(None)
    assert not any(policy.can(user, action) for action in Action)


@pytest.mark.django_db
def test_anonymous_and_inactive_users_are_denied_everything(make_user):
    from django.contrib.auth.models import AnonymousUser

    admin = make_user(Role.PLATFORM_ADMIN, is_active=False)
    for action in Action:
        assert not policy.can(AnonymousUser(), action)
        assert not policy.can(None, action)
        assert not policy.can(admin, action)


@pytest.mark.django_db
def test_an_expired_role_grants_nothing(make_user):
    from datetime import timedelta

    from django.utils import timezone

    user = make_user(Role.PLATFORM_ADMIN)
    today = timezone.localdate()
    user.role_assignments.update(
        valid_from=today - timedelta(days=30), valid_until=today - timedelta(days=1)
    )
    policy.forget_roles(user)
    assert not policy.can(user, Action.MANAGE_USERS)


@pytest.mark.django_db
def test_a_read_only_token_cannot_write_even_for_an_admin(make_user):
    user = make_user(Role.PLATFORM_ADMIN)
    setattr(user, policy.TOKEN_SCOPE_ATTR, "read")
    assert policy.can(user, Action.VIEW_USERS)
    assert not any(policy.can(user, action) for action in policy.actions.WRITE_ACTIONS)


def test_an_unknown_action_is_denied():
    class Fake:
        is_authenticated = True
        is_active = True
        _ilonet_role_cache = [(Role.PLATFORM_ADMIN, None, "")]

    assert not policy.can(Fake(), "no.such.action")


@pytest.mark.django_db
def test_django_superuser_flag_grants_nothing(make_user):
    user = make_user(None, is_superuser=True, is_staff=True)
    assert not any(policy.can(user, action) for action in Action)


@pytest.mark.django_db
def test_denials_through_authorize_are_audited(make_user):
    from django.core.exceptions import PermissionDenied

    from ilonet.audit.models import AuditEvent

    user = make_user(Role.ILO)
    with pytest.raises(PermissionDenied):
        policy.authorize(user, Action.MANAGE_USERS)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "permission.denied" and event.outcome == "denied"
    assert event.actor_id == user.pk and event.details["permission"] == "accounts.manage_users"


@pytest.mark.django_db
def test_scope_returns_nothing_without_a_scope_rule(make_user):
    from ilonet.accounts.models import RoleAssignment

    user = make_user(Role.PLATFORM_ADMIN)
    # VIEW_DIRECTORY is granted, but no scope rule exists for RoleAssignment rows.
    assert policy.scope(user, Action.VIEW_DIRECTORY, RoleAssignment.objects.all()).count() == 0
