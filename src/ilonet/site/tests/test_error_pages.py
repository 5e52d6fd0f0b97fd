"""The 403 page: inside the site's layout for a signed-in user (menu, account, language
switcher), saying once that access is refused, with the refusal's own reason when it has one."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from ilonet.site.views import permission_denied

pytestmark = pytest.mark.django_db

REFUSED = "You do not have permission to view this page."
POLICY_MESSAGE = "You do not have permission to do this."


def test_a_refused_page_keeps_the_menu_the_user_and_the_language_switcher(make_user, login):
    user = make_user("ep_reader", first_name="Lucas", last_name="Martin")
    response = login(user).get("/deployments/contacts/")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'class="ecl-menu"' in html
    assert "Lucas Martin" in html
    assert 'class="ilonet-language-switcher"' in html


def test_a_refusal_by_the_policy_is_stated_once(make_user, login):
    response = login(make_user("ep_reader")).get("/deployments/contacts/")
    html = response.content.decode()
    assert html.count(REFUSED) == 1
    assert POLICY_MESSAGE not in html
    assert html.count("(Art. 9(2)(d), Art. 9(3))") == 1  # the rule's reason, once


def test_a_refusal_with_a_reason_gives_the_reason_once(make_user):
    request = RequestFactory().post("/board/motions/1/vote/")
    request.user = make_user("non_voting_member")
    reason = "Only a voting member can act on behalf of another member (Art. 8(1))."
    html = permission_denied(request, PermissionDenied(reason)).content.decode()
    assert html.count(REFUSED) == 1
    assert html.count(reason) == 1


def test_the_api_still_answers_json(make_user, login):
    response = login(make_user("ep_reader")).get("/api/v1/deployments/contacts")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")


def test_an_expired_form_says_so_once_inside_the_layout(make_user):
    from django.test import Client

    from ilonet.accounts.testing import record_second_factor

    user = make_user("ilo")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    record_second_factor(client, user)
    response = client.post("/accounts/profile/", {"name": "t"})
    html = response.content.decode()
    assert response.status_code == 403
    assert html.count("Your form has expired or was not sent from this site.") == 1
    assert 'class="ecl-menu"' in html
