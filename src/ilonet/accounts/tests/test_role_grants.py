"""Issue 7: no administrator grants a role to themselves; a role that opens personal data (the
readers of Art. 9(3)) is pending until a second administrator confirms it, and a pending grant
gives no access."""

import pytest
from django.core.exceptions import ValidationError

from ilonet import policy
from ilonet.accounts import services
from ilonet.accounts.models import RoleAssignment, RoleStatus
from ilonet.accounts.roles import ART_9_3_READERS, Role
from ilonet.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(make_user):
    return (
        make_user(Role.PLATFORM_ADMIN, organisation="com", email="a@example.eu"),
        make_user(Role.PLATFORM_ADMIN, organisation="com", email="b@example.eu"),
    )


def test_an_administrator_cannot_grant_a_role_to_themselves(admins):
    admin, _other = admins
    with pytest.raises(ValidationError, match="yourself"):
        services.assign_role(actor=admin, user=admin, role=Role.SECRETARIAT)
    assert not RoleAssignment.objects.filter(user=admin, role=Role.SECRETARIAT).exists()
    assert AuditEvent.objects.filter(action="role.grant_refused", actor=admin).exists()


def test_the_self_grant_page_shows_the_reason(admins, login):
    admin, _other = admins
    answer = login(admin).post(
        f"/accounts/users/{admin.pk}/",
        {"add_role": "1", "role": Role.SECRETARIAT, "valid_from": "2026-01-01"},
    )
    assert answer.status_code == 422 and "yourself" in answer.content.decode()


@pytest.mark.parametrize("role", sorted(ART_9_3_READERS))
def test_a_personal_data_role_waits_for_a_second_administrator(admins, make_user, role):
    first, second = admins
    person = make_user(organisation="nl")
    grant = services.assign_role(actor=first, user=person, role=role)
    assert grant.status == RoleStatus.PENDING
    policy.forget_roles(person)
    assert not policy.can(person, policy.Action.VIEW_CONTACT_LIST)
    with pytest.raises(ValidationError, match="different administrator"):
        services.confirm_role(actor=first, assignment=grant)
    services.confirm_role(actor=second, assignment=grant)
    grant.refresh_from_db()
    policy.forget_roles(person)
    assert grant.status == RoleStatus.CONFIRMED and grant.confirmed_by == second
    assert policy.can(person, policy.Action.VIEW_CONTACT_LIST)
    assert AuditEvent.objects.filter(action="role.confirmed", actor=second).exists()


def test_a_role_without_personal_data_is_granted_at_once(admins, make_user):
    first, _second = admins
    grant = services.assign_role(actor=first, user=make_user(), role=Role.RETURN_OFFICER)
    assert grant.status == RoleStatus.CONFIRMED


def test_a_second_administrator_confirms_on_the_user_page(admins, make_user, login):
    first, second = admins
    person = make_user()
    grant = services.assign_role(actor=first, user=person, role=Role.SECRETARIAT)
    client = login(second)
    assert "Confirm" in client.get(f"/accounts/users/{person.pk}/").content.decode()
    answer = client.post(f"/accounts/users/{person.pk}/roles/{grant.pk}/confirm/")
    assert answer.status_code == 302
    grant.refresh_from_db()
    assert grant.status == RoleStatus.CONFIRMED
