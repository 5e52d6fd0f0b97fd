"""WCAG 2.1 AA (the EU's accessibility rule) checked with axe-core on the main pages, in
English and Dutch. axe-core is vendored under tests/browser/vendor/ (MPL-2.0) and injected
into the page by the test, so the site itself loads no extra script. Every page each demo role
reaches is checked too, in English, by the tour of test_layout.py."""

from pathlib import Path

import pytest

from ilonet.accounts.models import RoleAssignment

from .test_login_and_language import _officer

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = ["/", "/directory/", "/directory/nl/", "/accounts/profile/", "/accounts/users/", "/audit/",
         "/about/", "/privacy/", "/accessibility/", "/no-such-page/"]  # fmt: skip


def _violations(page) -> list[str]:
    page.evaluate(AXE.read_text())  # via the debugger protocol: the site's CSP stays strict
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


def _signed_in(page, live_server):
    user = _officer()
    RoleAssignment.objects.create(user=user, role="platform_admin")
    from django.test import Client

    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])  # fmt: skip


def test_login_page_has_no_wcag_violations(page):
    page.goto("/accounts/login/")
    assert _violations(page) == []


@pytest.mark.parametrize("language", ["en", "nl"])
def test_main_pages_have_no_wcag_violations(page, live_server, language):
    _signed_in(page, live_server)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    found = {}
    for path in PAGES:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        violations = _violations(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_the_checker_catches_a_violation(page):
    """Guards the guard: an image without alternative text and a page without lang fail."""
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = " ".join(_violations(page))
    assert "image-alt" in found and "html-has-lang" in found and "label" in found
