"""WebAuthn as second factor, with Chromium's virtual authenticator (no hardware needed):
add a security key after a TOTP login, then log in again with password + the key."""

from allauth.mfa.models import Authenticator

from ilonet.shared.testing import TEST_PASSWORD, TOTP_SECRET

from .signin import sign_in, submit_password
from .test_login_and_language import _officer


def test_security_key_can_be_added_and_used_to_log_in(page):
    user = _officer()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
    }})  # fmt: skip

    sign_in(page, user.email, TEST_PASSWORD, TOTP_SECRET)

    page.goto("/accounts/2fa/webauthn/add/")
    if "/reauthenticate/" in page.url:  # allauth asks again before adding a factor
        page.fill("input[name=password]", TEST_PASSWORD)
        page.locator("form:has(input[name=password]) [type=submit]").first.click()
        page.wait_for_url("**/webauthn/add/**")
    page.fill("input[name=name]", "Virtual key")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count() == 1

    page.context.clear_cookies()
    submit_password(page, user.email, TEST_PASSWORD)
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.locator("h1").first.inner_text().strip() == "Welcome to ILOnet"
