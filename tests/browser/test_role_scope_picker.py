"""Granting a role in a real headless Chromium: choosing the role reloads the scope picker (htmx,
under the site's strict CSP) with the scopes of that role's kind, by name; nobody types
``network:12``."""

from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from ilonet.accounts.models import RoleAssignment, User
from ilonet.directory.models import Organisation
from ilonet.directory.services import ensure_reference_organisations
from ilonet.networks.models import Network
from ilonet.shared.testing import TEST_PASSWORD, TOTP_SECRET

from .signin import sign_in


def _people() -> tuple[User, User]:
    ensure_reference_organisations()  # live-server tests start from a flushed database
    admin = User.objects.create_user(
        "admin@example.eu", TEST_PASSWORD, organisation=Organisation.objects.get(code="com")
    )
    RoleAssignment.objects.create(user=admin, role="platform_admin")
    TOTP.activate(admin, TOTP_SECRET)
    person = User.objects.create_user(
        "person@example.eu", TEST_PASSWORD, organisation=Organisation.objects.get(code="nl")
    )
    return admin, person


def _sign_in(page, user: User) -> None:
    sign_in(
        page, user.email, TEST_PASSWORD, TOTP_SECRET,
        arrived=lambda url: "/accounts/" not in url or "/users/" in url,
    )  # fmt: skip


def _scope_labels(page) -> list[str]:
    return [label.strip() for label in page.locator("select[name=scope] option").all_inner_texts()]


def test_choosing_a_role_offers_the_scopes_of_its_kind_by_name(page):
    admin, person = _people()
    network = Network.objects.create(name="Maghreb ILO network", kind="regional")
    _sign_in(page, admin)
    page.goto(f"/accounts/users/{person.pk}/")

    page.select_option("select[name=role]", "facilitator")
    expect(page.locator("select[name=scope] option")).to_have_count(2)
    assert _scope_labels(page)[1] == "Maghreb ILO network"

    page.select_option("select[name=role]", "return_officer")
    expect(page.locator("select[name=scope] option[value^='network:']")).to_have_count(0)

    assert "Netherlands" in _scope_labels(page)

    page.select_option("select[name=role]", "facilitator")
    expect(page.locator("select[name=scope] option")).to_have_count(2)
    page.select_option("select[name=scope]", f"network:{network.pk}")
    page.locator("button[name=add_role]").click()
    page.wait_for_load_state()
    grant = RoleAssignment.objects.get(user=person)
    assert (grant.role, grant.scope_ref) == ("facilitator", f"network:{network.pk}")
    assert "Network: Maghreb ILO network" in page.content()
