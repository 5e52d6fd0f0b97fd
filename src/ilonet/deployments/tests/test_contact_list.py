"""The ILO contact list (Art. 9(2)(d)): name, place of deployment, region, phone, e-mail; only
for ILOs, steering board members and duly authorised staff (Art. 9(3)); every read audited."""

import pytest
from django.utils import translation

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.deployments import selectors, services

from .helpers import days, deploy, desk, officer

pytestmark = pytest.mark.django_db

# Hand-written: who may read the contact list (Art. 9(3)). Everyone else is refused.
ALLOWED = {
    Role.ILO: True,
    Role.FACILITATOR: True,
    Role.BOARD_MEMBER: True,
    Role.BOARD_ALTERNATE: True,
    Role.NON_VOTING_MEMBER: True,
    Role.CHAIR: True,
    Role.SECRETARIAT: True,  # duly authorised staff of the board
    Role.DEPLOYING_AUTHORITY: True,  # duly authorised staff of the deploying authorities
    Role.OBSERVER: False,
    Role.EP_READER: False,  # Art. 9(4): only the parts the board opens; not personal data
    Role.RETURN_OFFICER: False,
    Role.RETURN_COORDINATOR: False,
    Role.PLATFORM_ADMIN: False,
    Role.DATA_PROTECTION_OFFICER: False,  # oversees processing through the access log; not of Art. 9(3)
}


def test_the_table_covers_every_role():
    assert set(ALLOWED) == set(Role)


@pytest.fixture
def registry(make_user):
    actor = desk(make_user)
    active = deploy(
        actor,
        officer(make_user, first_name="Noor", last_name="Visser"),
        country="SN",
        region=["GM"],
        phone="+221 77 123 45 67",
        email="n.visser@post.example.eu",
        city="Dakar",
        place_name="Embassy in Dakar",
    )
    ended = deploy(
        actor, officer(make_user, first_name="Old", last_name="Timer"), start=days(-900), end=days(10)
    )
    services.end_deployment(actor=actor, deployment=ended, end_date=days(-5))
    deploy(actor, officer(make_user, first_name="Future", last_name="Plan"), status="planned", start=days(40))
    return active


@pytest.mark.parametrize("role", list(Role))
def test_contact_list_page_follows_article_9_3_for_every_role(make_user, login, registry, role):
    client = login(make_user(role, scope="com" if role == Role.CHAIR else None))
    response = client.get("/deployments/contacts/")
    if ALLOWED[role]:
        assert response.status_code == 200
        assert "Noor Visser" in response.content.decode()
    else:
        assert response.status_code == 403
        assert "Noor Visser" not in response.content.decode()
        assert "You do not have permission to view this page." in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_contact_list_api_and_export_follow_article_9_3_for_every_role(client, make_user, registry, role):
    user = make_user(role)
    _t, secret = account_tokens.issue_api_token(actor=user, name="t")
    response = client.get("/api/v1/deployments/contacts", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == (200 if ALLOWED[role] else 403)
    if not ALLOWED[role]:
        detail = response.json()["detail"]
        assert detail.startswith("You do not have permission to do this.") and "Art. 9(3)" in detail
        assert not AuditEvent.objects.filter(action="personal_data.read").exists()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert client.get("/deployments/contacts/export.csv").status_code == (200 if ALLOWED[role] else 403)


def test_the_refusal_is_translated_and_audited(make_user, login, registry):
    user = make_user(Role.EP_READER)
    client = login(user)
    response = client.get("/deployments/contacts/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 403
    with translation.override("nl"):
        assert translation.gettext("Access denied") in response.content.decode()
    denial = AuditEvent.objects.get(action="permission.denied", actor_id=user.pk)
    assert denial.details["permission"] == "deployments.view_contacts"
    assert not AuditEvent.objects.filter(action="personal_data.read").exists()


def test_anonymous_users_get_the_login_page_and_the_api_401(client, registry):
    assert client.get("/deployments/contacts/").status_code == 302
    assert client.get("/api/v1/deployments/contacts").status_code == 401


def test_the_list_has_name_place_region_phone_and_email_of_deployed_officers_only(make_user, login, registry):
    body = login(make_user(Role.ILO)).get("/deployments/contacts/").content.decode()
    assert "Noor Visser" in body and "Dakar" in body and "Embassy in Dakar" in body
    assert "Gambia" in body and "Senegal" in body
    assert "+221 77 123 45 67" in body and 'href="tel:+221771234567"' in body
    assert "n.visser@post.example.eu" in body
    assert "Old Timer" not in body and "Future Plan" not in body


def test_the_api_gives_phone_in_e164_and_the_region_as_codes(client, make_user, registry):
    _t, secret = account_tokens.issue_api_token(actor=make_user(Role.ILO), name="t")
    item = client.get("/api/v1/deployments/contacts", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["items"][
        0
    ]
    assert item["name"] == "Noor Visser" and item["phone"] == "+221771234567"
    assert item["region"] == ["GM", "SN"] and item["email"] == "n.visser@post.example.eu"


def test_each_page_read_is_audited_once_not_per_row(make_user, login, registry):
    actor = desk(make_user)
    for _n in range(5):
        deploy(actor, officer(make_user), country="TN")
    user = make_user(Role.BOARD_MEMBER, scope="nl")
    client = login(user)
    client.get("/deployments/contacts/?country=TN")
    client.get("/deployments/contacts/export.csv")
    events = list(AuditEvent.objects.filter(action="personal_data.read").order_by("seq"))
    assert len(events) == 2
    assert events[0].details["list"] == "ilo_contacts" and events[0].details["rows"] == 5
    assert events[0].details["filters"] == {"country": "TN"} and events[0].details["page"] == 1
    assert events[1].details["format"] == "csv" and events[0].actor_id == user.pk


def test_the_list_is_searchable_and_filterable(make_user, registry):
    reader = make_user(Role.ILO)
    assert [d.officer.last_name for d in selectors.contact_list(user=reader, search="visser")] == ["Visser"]
    assert selectors.contact_list(user=reader, country="TN").count() == 0
    assert selectors.contact_list(user=reader, covers="GM").count() == 1
    assert selectors.contact_list(user=reader, continent="AF").count() == 1
    assert selectors.contact_list(user=make_user(Role.EP_READER)).count() == 0


def test_the_contact_list_page_has_a_constant_number_of_queries(
    make_user, login, django_assert_max_num_queries
):
    actor = desk(make_user)
    client = login(make_user(Role.ILO))
    deploy(actor, officer(make_user), region=["DZ"])
    # 13: the page's 12, and the unread count of the notification centre in the header.
    with django_assert_max_num_queries(13):
        assert client.get("/deployments/contacts/").status_code == 200
    for _n in range(30):
        deploy(actor, officer(make_user), region=["DZ", "TN"])
    with django_assert_max_num_queries(13):
        assert client.get("/deployments/contacts/").status_code == 200
