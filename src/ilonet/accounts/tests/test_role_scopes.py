"""A role's scope is picked by name, of the kind the role implies, among what the administrator
may grant; nobody types ``network:12``. The API may still send ``scope_ref``, validated the same
way (``accounts.scopes``)."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.forms import RoleAssignmentForm
from ilonet.accounts.models import RoleAssignment
from ilonet.accounts.roles import Role
from ilonet.directory.models import Organisation
from ilonet.networks.models import Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return Network.objects.create(name="Maghreb ILO network", kind="regional")


def _scope_options(body: str) -> list[str]:
    select = re.search(r'<select name="scope".*?</select>', body, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def _scope_labels(body: str) -> str:
    return re.search(r'<select name="scope".*?</select>', body, re.S).group(0)


def test_the_grant_form_has_no_free_text_scope(admin_user):
    form = RoleAssignmentForm(actor=admin_user)
    assert "scope_ref" not in form.fields and "organisation" not in form.fields


def test_the_picker_offers_the_networks_of_a_facilitator_by_name(admin_user, make_user, login, network):
    page = login(admin_user).get(
        reverse("accounts:user_detail", args=[make_user().pk]), {"role": "facilitator"}
    )
    assert _scope_options(page.content.decode()) == ["", f"network:{network.pk}"]
    assert "Maghreb ILO network" in _scope_labels(page.content.decode())


def test_the_picker_offers_member_states_to_a_return_officer(admin_user, make_user, login, network):
    body = (
        login(admin_user)
        .get(reverse("accounts:user_detail", args=[make_user().pk]), {"role": "return_officer"})
        .content.decode()
    )
    nl = Organisation.objects.get(code="nl")
    options = _scope_options(body)
    assert f"member_state:{nl.pk}" in options and "Netherlands" in _scope_labels(body)
    assert all(value.startswith("member_state:") for value in options[1:])
    assert f"network:{network.pk}" not in options


def test_a_role_without_scope_offers_none(admin_user, make_user, login):
    body = login(admin_user).get(
        reverse("accounts:user_detail", args=[make_user().pk]), {"role": "secretariat"}
    )
    assert _scope_options(body.content.decode()) == [""]


def test_a_facilitator_is_granted_a_network_picked_by_name(admin_user, make_user, login, network):
    person = make_user(None)
    client = login(admin_user)
    response = client.post(reverse("accounts:user_detail", args=[person.pk]), {
        "add_role": "1", "role": Role.FACILITATOR, "scope": f"network:{network.pk}",
        "valid_from": timezone.localdate().isoformat(),
    })  # fmt: skip
    assert response.status_code == 302
    grant = RoleAssignment.objects.get(user=person)
    assert (grant.scope_ref, grant.organisation) == (f"network:{network.pk}", None)
    body = client.get(reverse("accounts:user_detail", args=[person.pk])).content.decode()
    assert "Network: Maghreb ILO network" in body and f"network:{network.pk}<" not in body


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.RETURN_OFFICER, "network"),  # an object for a role scoped to a member state
        (Role.RETURN_OFFICER, "third_country:ma"),  # an organisation of another kind
        (Role.FACILITATOR, "member_state:nl"),
        (Role.SECRETARIAT, "member_state:nl"),  # a role without scope
        (Role.FACILITATOR, "network:999999"),  # no such network
        (Role.FACILITATOR, "network:12x"),
    ],
)
def test_a_scope_that_does_not_fit_the_role_is_refused(admin_user, make_user, login, network, role, scope):
    kind, _sep, key = scope.partition(":")
    if kind == "network" and not key:
        scope = f"network:{network.pk}"
    elif key and not key[0].isdigit():
        code = "tc-ma" if kind == "third_country" else key
        scope = f"{kind}:{Organisation.objects.get(code=code).pk}"
    person = make_user(None)
    response = login(admin_user).post(reverse("accounts:user_detail", args=[person.pk]), {
        "add_role": "1", "role": role, "scope": scope, "valid_from": timezone.localdate().isoformat(),
    })  # fmt: skip
    assert response.status_code == 422
    assert not RoleAssignment.objects.filter(user=person).exists()


def test_without_javascript_a_scope_of_the_wrong_kind_is_refused_with_a_message(
    admin_user, make_user, network
):
    form = RoleAssignmentForm(
        {"role": Role.RETURN_OFFICER, "scope": f"network:{network.pk}", "valid_from": "2026-01-01"},
        actor=admin_user,
    )
    assert not form.is_valid() and form.errors["scope"]
    unbound = RoleAssignmentForm(actor=admin_user)
    values = [value for _group, options in unbound.fields["scope"].choices[1:] for value, _label in options]
    assert f"network:{network.pk}" in values and any(v.startswith("member_state:") for v in values)


def _grant(client, admin, person, body):
    _token, secret = account_tokens.issue_api_token(actor=admin, name="t", scope="write")
    return client.post(
        f"/api/v1/accounts/admin/users/{person.pk}/roles",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"role": "facilitator", "scope_ref": "network:{network}"}, 201),
        ({"role": "facilitator", "scope_ref": "network:999999"}, 422),
        ({"role": "facilitator", "scope_ref": "board:1"}, 422),
        ({"role": "return_officer", "scope_ref": "network:{network}"}, 422),
        ({"role": "return_officer", "organisation": "nl"}, 201),
        ({"role": "return_officer", "organisation": "tc-ma"}, 422),
        ({"role": "observer", "organisation": "nl"}, 422),
    ],
)
def test_the_api_keeps_scope_ref_but_validates_it_like_the_page(
    client, admin_user, make_user, network, body, status
):
    body = {k: v.format(network=network.pk) for k, v in body.items()}
    response = _grant(client, admin_user, make_user(None), body)
    assert response.status_code == status, response.content
