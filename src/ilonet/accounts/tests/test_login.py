"""Password plus a mandatory second factor, throttling, and the audit of it all."""

import pytest
from django.urls import reverse

from ilonet.audit.models import AuditEvent
from ilonet.shared.testing import TEST_PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def _password_step(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _last_event(action):
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def test_login_needs_the_password_and_then_a_totp_code(client, make_user):
    user = make_user("ilo")
    response = _password_step(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _is_signed_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert _is_signed_in(client)
    assert client.get(reverse("home")).status_code == 200
    assert _last_event("auth.logged_in").actor_id == user.pk


def test_wrong_password_is_refused_with_a_message_and_audited(client, make_user):
    user = make_user("ilo")
    response = _password_step(client, user.email, "wrong password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _is_signed_in(client)
    assert _last_event("auth.login_failed").actor_label == user.email


def test_wrong_totp_code_is_refused_and_audited(client, make_user):
    user = make_user("ilo")
    _password_step(client, user.email)
    wrong = "000000" if totp_code() != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _is_signed_in(client)
    assert _last_event("mfa.failed").actor_label == user.email


def test_a_totp_code_cannot_be_replayed(client, make_user):
    user = make_user("ilo")
    code = totp_code()
    _password_step(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert _is_signed_in(client)
    client.post(reverse("account_logout"))
    assert not _is_signed_in(client)
    _password_step(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert not _is_signed_in(client)
    assert response.context["form"].errors


def test_repeated_failures_lock_the_account_for_that_address(client, make_user, settings):
    user = make_user("ilo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password_step(client, user.email, "wrong password")
    response = _password_step(client, user.email)  # even the right password now
    assert response.status_code == 429
    assert not _is_signed_in(client)
    assert _last_event("auth.locked_out").actor_label == user.email


def test_an_account_without_second_factor_can_only_set_one_up(client, make_user):
    user = make_user("ilo", mfa=False)
    _password_step(client, user.email)
    assert _is_signed_in(client)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("directory:organisation_list"))
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_nobody_can_sign_up_on_their_own(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.eu", "password1": "x" * 20, "password2": "x" * 20},
    )
    from ilonet.accounts.models import User

    assert not User.objects.filter(email="new@example.eu").exists()
    assert response.status_code in (200, 302, 403)


def test_an_expired_session_sends_the_user_back_to_login(client, make_user, login):
    user = make_user("ilo")
    login(user)
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sessions_are_short_lived_and_cookies_hardened(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_forged_csrf_token_gets_a_translated_403(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="nl")
    response = client.post(reverse("account_login"), {"login": "a@b.eu", "password": "x"})
    assert response.status_code == 403
    assert "verlopen" in response.content.decode()
