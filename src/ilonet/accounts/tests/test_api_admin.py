"""Issue 7: the API offers what the administrators' pages do (accounts, roles with the
second-administrator rule) and the dated participation of member states (recital 31)."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.models import RoleAssignment, User
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.directory import selectors as directory
from ilonet.directory.models import Organisation

pytestmark = pytest.mark.django_db

BASE = "/api/v1/accounts/admin"


def _auth(user, scope="write"):
    _t, secret = account_tokens.issue_api_token(actor=user, name="t", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _send(client, method, url, body, headers):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def admins(make_user):
    return (
        make_user(Role.PLATFORM_ADMIN, organisation="com", email="first@example.eu"),
        make_user(Role.PLATFORM_ADMIN, organisation="com", email="second@example.eu"),
    )


def test_an_administrator_creates_updates_and_deactivates_an_account(client, admins):
    headers = _auth(admins[0])
    created = _send(
        client,
        "post",
        f"{BASE}/users",
        {"email": "New.Person@Example.eu", "organisation": "nl", "first_name": "New"},
        headers,
    )
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    assert created.json()["email"] == "new.person@example.eu"
    changed = _send(client, "patch", f"{BASE}/users/{user_id}", {"job_title": "Analyst"}, headers)
    assert changed.status_code == 200 and changed.json()["job_title"] == "Analyst"
    moved = _send(client, "patch", f"{BASE}/users/{user_id}", {"email": "Moved@Example.eu"}, headers)
    assert moved.status_code == 200 and moved.json()["email"] == "moved@example.eu"
    taken = _send(client, "patch", f"{BASE}/users/{user_id}", {"email": admins[1].email}, headers)
    assert taken.status_code == 422 and User.objects.get(pk=user_id).email == "moved@example.eu"
    gone = client.post(f"{BASE}/users/{user_id}/deactivate", **headers)
    assert gone.status_code == 200 and gone.json()["is_active"] is False
    assert AuditEvent.objects.filter(action="record.created", object_id=str(user_id)).exists()
    duplicate = _send(
        client, "post", f"{BASE}/users", {"email": "moved@example.eu", "organisation": "nl"}, headers
    )
    assert duplicate.status_code == 422


def test_role_grants_through_the_api_follow_the_two_administrator_rule(client, admins, make_user):
    first, second = admins
    person = make_user(organisation="nl")
    own = _send(client, "post", f"{BASE}/users/{first.pk}/roles", {"role": "secretariat"}, _auth(first))
    assert own.status_code == 422 and "yourself" in own.json()["errors"][0]["message"]
    grant = _send(client, "post", f"{BASE}/users/{person.pk}/roles", {"role": "secretariat"}, _auth(first))
    assert grant.status_code == 201 and grant.json()["status"] == "pending"
    grant_id = grant.json()["id"]
    pending = client.get(f"{BASE}/role-grants/pending", **_auth(second)).json()["items"]
    assert [g["id"] for g in pending] == [grant_id]
    same = client.post(f"{BASE}/users/{person.pk}/roles/{grant_id}/confirm", **_auth(first))
    assert same.status_code == 422
    confirmed = client.post(f"{BASE}/users/{person.pk}/roles/{grant_id}/confirm", **_auth(second))
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    revoked = client.delete(f"{BASE}/users/{person.pk}/roles/{grant_id}", **_auth(second))
    assert revoked.status_code == 204 and not RoleAssignment.objects.filter(pk=grant_id).exists()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.ILO, Role.EP_READER])
def test_only_administrators_manage_accounts_through_the_api(client, make_user, role):
    user = make_user(role, organisation="com")
    answer = _send(
        client, "post", f"{BASE}/users", {"email": "x@example.eu", "organisation": "nl"}, _auth(user)
    )
    assert answer.status_code == 403 and not User.objects.filter(email="x@example.eu").exists()


def test_a_read_only_token_cannot_grant(client, admins, make_user):
    answer = _send(
        client,
        "post",
        f"{BASE}/users/{make_user().pk}/roles",
        {"role": "observer"},
        _auth(admins[0], scope="read"),
    )
    assert answer.status_code == 403


def test_denmark_opts_in_from_a_future_date(client, admins):
    denmark = Organisation.objects.get(code="dk")
    today = timezone.localdate()
    start = today + timedelta(days=30)
    assert not directory.takes_part_on(denmark, on=today)
    answer = _send(
        client,
        "post",
        "/api/v1/directory/organisations/dk/participation",
        {"takes_part": True, "effective_from": start.isoformat()},
        _auth(admins[0]),
    )
    assert answer.status_code == 201, answer.content
    assert not directory.takes_part_on(denmark, on=today)
    assert not directory.takes_part_on(denmark, on=start - timedelta(days=1))
    assert directory.takes_part_on(denmark, on=start)
    assert denmark not in directory.participating_member_states()
    assert denmark in directory.participating_member_states(on=start)
    shown = client.get(
        f"/api/v1/directory/organisations/dk/participation?on={start.isoformat()}", **_auth(admins[0])
    ).json()
    assert shown["takes_part_on"] is True and shown["changes"] == [
        {"takes_part": True, "effective_from": start.isoformat()}
    ]
    past = _send(
        client,
        "post",
        "/api/v1/directory/organisations/dk/participation",
        {"takes_part": False, "effective_from": (today - timedelta(days=1)).isoformat()},
        _auth(admins[0]),
    )
    assert past.status_code == 422


def test_only_administrators_set_participation(client, make_user):
    answer = _send(
        client,
        "post",
        "/api/v1/directory/organisations/dk/participation",
        {"takes_part": True, "effective_from": timezone.localdate().isoformat()},
        _auth(make_user(Role.SECRETARIAT, organisation="com")),
    )
    assert answer.status_code == 403


def test_the_api_invites_a_new_account_holder_as_the_page_does(
    client, admins, django_capture_on_commit_callbacks
):
    """Issue 8, item 1, through the API: an account created there gets the same single-use link
    (its secret only in the mail, never in an answer), can be invited again and revoked."""
    headers = _auth(admins[0])
    with django_capture_on_commit_callbacks(execute=True):
        created = _send(
            client,
            "post",
            f"{BASE}/users",
            {
                "email": "noor@example.eu",
                "organisation": "nl",
                "first_name": "Noor",
                "last_name": "El Amrani",
            },
            headers,
        )
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    assert [m.to for m in mail.outbox] == [["noor@example.eu"]]
    first = client.get(f"{BASE}/users/{user_id}/invitation", **headers)
    assert first.status_code == 200 and first.json()["status"] == "pending"
    assert "secret" not in first.content.decode() and "digest" not in first.json()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"{BASE}/users/{user_id}/invitation", **headers)
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]
    assert len(mail.outbox) == 2
    revoked = client.delete(f"{BASE}/users/{user_id}/invitations/{again.json()['id']}", **headers)
    assert revoked.status_code == 204
    assert client.get(f"{BASE}/users/{user_id}/invitation", **headers).json()["status"] == "revoked"
    twice = client.delete(f"{BASE}/users/{user_id}/invitations/{again.json()['id']}", **headers)
    assert twice.status_code == 422


def test_an_account_created_without_invitation_has_none(client, admins):
    headers = _auth(admins[0])
    created = _send(
        client,
        "post",
        f"{BASE}/users",
        {"email": "quiet@example.eu", "organisation": "nl", "send_invitation": False},
        headers,
    )
    assert created.status_code == 201
    assert client.get(f"{BASE}/users/{created.json()['id']}/invitation", **headers).status_code == 404
