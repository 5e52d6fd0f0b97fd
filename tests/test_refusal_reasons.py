"""A refused user is told why, with the article: the rule of the action gives the reason
(Art. 9(3) for personal data, Art. 9(4) for the European Parliament's reader), in the reader's
language, on the 403 page and in the API's answer. Refusals that are not the rule's (a read-only
token, a missing step-up) keep the generic message."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from ilonet import policy
from ilonet.accounts.roles import Role

pytestmark = pytest.mark.django_db

A = policy.Action
GENERIC = "You do not have permission to do this."


def _refusal(user, action) -> str:
    with pytest.raises(PermissionDenied) as refused:
        policy.authorize(user, action)
    return str(refused.value)


@pytest.mark.parametrize(
    ("role", "action", "article"),
    [
        (Role.EP_READER, A.VIEW_CONTACT_LIST, "Art. 9(3)"),
        (Role.OBSERVER, A.VIEW_CONTACT_LIST, "Art. 9(3)"),
        (Role.EP_READER, A.VIEW_BOARD_MEMBERS, "Art. 9(3)"),
        (Role.EP_READER, A.VIEW_DEPLOYMENTS, "Art. 9(3)"),
        (Role.EP_READER, A.VIEW_NETWORKS, "Art. 9(3)"),
        (Role.EP_READER, A.VIEW_OFFICER_LISTS, "Art. 9(3)"),
        (Role.EP_READER, A.VIEW_BOARD, "Art. 9(4)"),
        (Role.EP_READER, A.VIEW_DECISIONS, "Art. 9(4)"),
        (Role.ILO, A.VIEW_BOARD, "Art. 7(2)"),
        (Role.OBSERVER, A.VIEW_DECISIONS, "Art. 9(2)(a)"),
    ],
)
def test_the_refusal_gives_the_rules_reason(make_user, role, action, article):
    message = _refusal(make_user(role), action)
    assert message.startswith(GENERIC) and article in message


def test_the_reason_is_in_the_readers_language(make_user):
    user = make_user(Role.EP_READER)
    with translation.override("nl"):
        message = _refusal(user, A.VIEW_BOARD)
    assert message.startswith("U hebt geen toestemming om dit te doen.") and "art. 9, lid 4" in message


def test_a_rule_without_a_reason_gives_the_generic_refusal(make_user):
    assert _refusal(make_user(Role.ILO), A.VIEW_AUDIT) == GENERIC


def test_a_read_only_token_is_not_given_the_rules_reason(make_user):
    user = make_user(Role.CHAIR, organisation="com", scope="com")
    setattr(user, policy.TOKEN_SCOPE_ATTR, "read")
    assert _refusal(user, A.MANAGE_BOARD) == GENERIC


def test_the_403_page_and_the_api_give_the_reason(make_user, login):
    client = login(make_user(Role.EP_READER))
    page = client.get("/deployments/contacts/", HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 403 and "art. 9, lid 3" in page.content.decode()
    answer = client.get("/api/v1/deployments/contacts")
    assert answer.status_code == 403 and "Art. 9(3)" in answer.json()["detail"]
