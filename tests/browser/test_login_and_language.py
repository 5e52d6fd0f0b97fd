"""A person's first visit, in a real headless Chromium: log in with a password and a TOTP
code, reach the home page, switch to Dutch and read the translated heading."""

from allauth.mfa.totp.internal.auth import TOTP

from ilonet.accounts.models import RoleAssignment, User
from ilonet.directory.models import Organisation
from ilonet.directory.services import ensure_reference_organisations
from ilonet.shared.testing import TEST_PASSWORD, TOTP_SECRET

from .signin import sign_in


def _officer() -> User:
    ensure_reference_organisations()  # live-server tests start from a flushed database
    user = User.objects.create_user(
        "officer@example.eu", TEST_PASSWORD, organisation=Organisation.objects.get(code="nl"),
        first_name="Anna", last_name="Jansen",
    )  # fmt: skip
    RoleAssignment.objects.create(user=user, role="ilo")
    TOTP.activate(user, TOTP_SECRET)
    return user


def test_login_with_second_factor_then_switch_to_dutch(page):
    user = _officer()
    page.goto("/")
    assert "/accounts/login/" in page.url

    sign_in(page, user.email, TEST_PASSWORD, TOTP_SECRET)

    assert page.locator("h1").first.inner_text().strip() == "Welcome to ILOnet"
    assert page.locator("html").get_attribute("lang") == "en"

    page.select_option("select[name=language]", "nl")
    page.locator("form.ilonet-language-switcher [type=submit]").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").first.inner_text().strip() == "Welkom bij ILOnet"


def test_pages_load_no_resource_from_outside_and_break_no_csp_rule(page, live_server):
    """Everything is self-hosted: no request leaves the server, no CSP violation."""
    _officer()
    outside, violations = [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        (live_server.url, "data:")) else None)  # fmt: skip
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text
            else None)  # fmt: skip
    page.goto("/accounts/login/")
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert violations == []
