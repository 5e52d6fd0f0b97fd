"""Every demo account can sign in with the demo password and its demo TOTP secret (the board's
members too, so that a vote can reach its majority in the demo); ``seed_demo`` prints one login
per role."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from ilonet.accounts import demo
from ilonet.accounts.models import User
from ilonet.directory import demo as directory_demo
from ilonet.shared.testing import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def logins():
    return demo.seed_accounts(directory_demo.ensure_authorities())


def test_every_demo_account_has_the_demo_second_factor(logins):
    users = User.objects.filter(email__endswith=f"@{demo.DEMO_DOMAIN}")
    assert users.count() > 200
    for user in users:
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        assert TOTP(authenticator).validate_code(totp_code(demo.demo_totp_secret(user.email))), user.email


def test_a_board_member_signs_in_with_the_demo_secret(logins):
    email = f"boardmember.de@{demo.DEMO_DOMAIN}"
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302 and "/2fa/authenticate/" in response["Location"]
    response = client.post(response["Location"], {"code": totp_code(demo.demo_totp_secret(email))})
    assert response.status_code == 302
    assert client.get("/board/").status_code == 200


def test_the_printed_logins_are_one_per_role(logins):
    assert len(logins) == len({login.role for login in logins}) == 13
    assert [login.email for login in demo.demo_logins()] == [login.email for login in logins]
