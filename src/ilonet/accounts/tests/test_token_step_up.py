"""Issuing and revoking API tokens (``Action.MANAGE_API_TOKENS``) needs a browser session whose
second factor was given in the last ``SECOND_FACTOR_MAX_AGE_MINUTES`` minutes, never an API
token: a stolen read token could otherwise mint a write token, or revoke its owner's tokens."""

import json

import pytest
from django.urls import reverse

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.models import ApiToken
from ilonet.accounts.testing import record_second_factor
from ilonet.audit.models import AuditEvent
from ilonet.shared.testing import totp_code

pytestmark = pytest.mark.django_db
BODY = json.dumps({"name": "more", "scope": "write", "days": 10})
STALE = 11 * 60  # seconds: older than the 10 minutes of the default setting


def _bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _denials(user):
    return AuditEvent.objects.filter(
        action="permission.denied", actor_id=user.pk, details__permission="accounts.manage_api_tokens"
    ).count()


@pytest.mark.parametrize("scope", ["read", "write"])
def test_an_api_token_can_neither_mint_nor_revoke_tokens(client, make_user, scope):
    user = make_user("platform_admin")
    _t, secret = account_tokens.issue_api_token(actor=user, name="script", scope=scope)
    other, _s = account_tokens.issue_api_token(actor=user, name="other", scope="read")
    response = client.post(
        "/api/v1/accounts/tokens", BODY, content_type="application/json", **_bearer(secret)
    )
    assert response.status_code == 403 and response.json()["detail"]
    response = client.delete(f"/api/v1/accounts/tokens/{other.pk}", **_bearer(secret))
    assert response.status_code == 403
    assert ApiToken.objects.filter(user=user).count() == 2
    other.refresh_from_db()
    assert other.revoked_at is None
    assert _denials(user) == 2


def test_a_stale_session_is_refused_by_the_api(client, make_user, login):
    user = make_user("ilo")
    login(user)
    record_second_factor(client, user, seconds_ago=STALE)
    response = client.post("/api/v1/accounts/tokens", BODY, content_type="application/json")
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=user).exists() and _denials(user) == 1


def test_a_fresh_session_issues_and_revokes_through_the_api(client, make_user, login):
    user = make_user("ilo")
    login(user)
    response = client.post("/api/v1/accounts/tokens", BODY, content_type="application/json")
    assert response.status_code == 201 and response.json()["secret"].startswith("ilo_")
    token_id = response.json()["id"]
    assert client.delete(f"/api/v1/accounts/tokens/{token_id}").status_code == 204
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None


def test_a_stale_session_is_sent_to_give_its_second_factor_again(client, make_user, login, settings):
    settings.SECOND_FACTOR_MAX_AGE_MINUTES = 10
    user = make_user("ilo")
    login(user)
    record_second_factor(client, user, seconds_ago=STALE)
    response = client.post(reverse("account_profile"), {"name": "cli", "scope": "read", "days": 30})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not ApiToken.objects.filter(user=user).exists()
    # Giving the code replays the kept request: the token is issued and shown once.
    response = client.post(response["Location"], {"code": totp_code(), "next": reverse("account_profile")})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=user, name="cli").count() == 1
    assert b'id="new-token"' in response.content


def test_a_stale_session_cannot_revoke_through_the_page(client, make_user, login):
    user = make_user("ilo")
    token, _s = account_tokens.issue_api_token(actor=user, name="script")
    login(user)
    record_second_factor(client, user, seconds_ago=STALE)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_fresh_session_issues_and_revokes_through_the_page(client, make_user, login):
    user = make_user("ilo")
    login(user)
    response = client.post(reverse("account_profile"), {"name": "cli", "scope": "read", "days": 30})
    assert response.status_code == 200 and b'id="new-token"' in response.content
    token = ApiToken.objects.get(user=user, name="cli")
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("account_profile")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_allowed_age_of_the_second_factor_is_a_setting(client, make_user, login, settings):
    settings.SECOND_FACTOR_MAX_AGE_MINUTES = 30
    user = make_user("ilo")
    login(user)
    record_second_factor(client, user, seconds_ago=STALE)
    response = client.post("/api/v1/accounts/tokens", BODY, content_type="application/json")
    assert response.status_code == 201
