"""Administrators manage users and roles in the UI; every change is audited."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from ilonet.accounts.models import ApiToken, RoleAssignment, User
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.directory.models import Organisation

pytestmark = pytest.mark.django_db


def test_admin_creates_an_account_without_a_usable_password(admin_user, login):
    client = login(admin_user)
    nl = Organisation.objects.get(code="nl")
    response = client.post(reverse("accounts:user_create"), {
        "email": "New.Officer@Example.eu", "first_name": "New", "last_name": "Officer",
        "organisation": nl.pk, "preferred_language": "nl",
    })  # fmt: skip
    user = User.objects.get(email="new.officer@example.eu")
    assert response.status_code == 302
    assert not user.has_usable_password()
    event = AuditEvent.objects.filter(action="record.created", object_id=str(user.pk)).get()
    assert event.actor_id == admin_user.pk


def test_creating_a_duplicate_account_is_refused_with_a_message(admin_user, login):
    client = login(admin_user)
    response = client.post(reverse("accounts:user_create"), {
        "email": "ADMIN@example.eu", "first_name": "A", "last_name": "B",
        "organisation": admin_user.organisation_id, "preferred_language": "en",
    })  # fmt: skip
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="admin@example.eu").count() == 1


def test_admin_grants_and_revokes_a_scoped_role(admin_user, make_user, login):
    officer = make_user(None)
    client = login(admin_user)
    response = client.post(reverse("accounts:user_detail", args=[officer.pk]), {
        "add_role": "1", "role": Role.RETURN_OFFICER,
        "scope": f"member_state:{Organisation.objects.get(code='nl').pk}",
        "valid_from": timezone.localdate().isoformat(),
    })  # fmt: skip
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=officer)
    assert assignment.role == Role.RETURN_OFFICER and assignment.organisation.code == "nl"
    assert assignment.granted_by == admin_user
    client.post(reverse("accounts:role_revoke", args=[officer.pk, assignment.pk]))
    assert not RoleAssignment.objects.filter(user=officer).exists()
    actions = set(AuditEvent.objects.filter(object_id=str(officer.pk)).values_list("action", flat=True))
    assert "role.granted" in actions and "role.revoked" in actions


def test_a_role_ending_before_it_starts_is_refused(admin_user, make_user, login):
    officer = make_user(None)
    client = login(admin_user)
    response = client.post(reverse("accounts:user_detail", args=[officer.pk]), {
        "add_role": "1", "role": Role.ILO,
        "valid_from": "2026-05-01", "valid_until": "2026-04-01",
    })  # fmt: skip
    assert response.status_code == 422
    assert "cannot be before" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=officer).exists()


def test_an_unknown_role_is_refused(admin_user, make_user, login):
    officer = make_user(None)
    client = login(admin_user)
    response = client.post(reverse("accounts:user_detail", args=[officer.pk]), {
        "add_role": "1", "role": "emperor", "valid_from": "2026-05-01",
    })  # fmt: skip
    assert response.status_code == 422
    assert not RoleAssignment.objects.filter(user=officer).exists()


def test_non_admins_cannot_post_role_changes(make_user, login):
    chair = make_user(Role.CHAIR, organisation="com")
    target = make_user(Role.ILO)
    assignment = target.role_assignments.get()
    client = login(chair)
    response = client.post(reverse("accounts:role_revoke", args=[target.pk, assignment.pk]))
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_admin_cannot_deactivate_their_own_account(admin_user, login):
    client = login(admin_user)
    response = client.post(
        reverse("accounts:user_detail", args=[admin_user.pk]),
        {
            "save_user": "1",
            "email": admin_user.email,
            "first_name": "A",
            "last_name": "B",
            "job_title": "",
            "organisation": admin_user.organisation_id,
            "preferred_language": "en",
        },
    )  # fmt: skip  (is_active unchecked)
    assert response.status_code == 422
    assert list(response.context["edit_form"].errors) == ["is_active"]
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_profile_issues_a_token_shown_once(make_user, login):
    user = make_user(Role.ILO)
    client = login(user)
    response = client.post(reverse("account_profile"), {"name": "stats", "scope": "read", "days": 30})
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret.startswith("ilo_")
    token = ApiToken.objects.get(user=user)
    assert token.digest == ApiToken.digest_of(secret)
    assert secret not in client.get(reverse("account_profile")).content.decode()


def test_profile_refuses_a_token_lifetime_beyond_the_maximum(make_user, login, settings):
    client = login(make_user(Role.ILO))
    response = client.post(reverse("account_profile"), {
        "name": "x", "scope": "read", "days": settings.API_TOKEN_MAX_DAYS + 1})  # fmt: skip
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_audit_search_and_csv_export(admin_user, make_user, login):
    make_user(Role.ILO)
    client = login(admin_user)
    page = client.get(reverse("audit:event_list"), {"action": "auth."})
    assert page.status_code == 200
    assert all(e.action.startswith("auth.") for e in page.context["events"])
    response = client.get(reverse("audit:event_export"), {"action": "auth."})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["seq", "occurred_at", "actor_label", "action"]
    assert all(row[3].startswith("auth.") for row in rows[1:])
    assert AuditEvent.objects.filter(action="audit.exported", actor=admin_user).exists()


def test_audit_filter_with_until_before_since_shows_an_error(admin_user, login):
    client = login(admin_user)
    response = client.get(reverse("audit:event_list"), {
        "since": "2026-05-02T00:00", "until": "2026-05-01T00:00"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["until"]


def test_an_account_created_by_an_admin_has_a_verified_address(admin_user):
    """allauth refuses security keys for unverified addresses; the admin vouches for it."""
    from allauth.account.models import EmailAddress

    from ilonet.accounts import services

    user = services.create_user(
        actor=admin_user, email="key@example.eu", organisation=Organisation.objects.get(code="nl")
    )
    assert EmailAddress.objects.get(user=user).verified


def test_a_person_sees_their_sign_in_address_but_cannot_add_or_change_one(make_user, login):
    """allauth's own page would let anyone add an address and make it their sign-in identity,
    unverified and unaudited; ours shows it and takes no form."""
    from allauth.account.models import EmailAddress

    person = make_user(email="officer@example.eu")
    client = login(person)
    page = client.get(reverse("account_email"))
    assert page.status_code == 200 and "officer@example.eu" in page.content.decode()
    for action in ("action_add", "action_primary", "action_remove"):
        refused = client.post(reverse("account_email"), {action: "1", "email": "mine@elsewhere.example"})
        assert refused.status_code == 405
    assert list(EmailAddress.objects.filter(user=person).values_list("email", flat=True)) in (
        [],
        ["officer@example.eu"],
    )
    person.refresh_from_db()
    assert person.email == "officer@example.eu"


def test_an_administrator_changes_the_sign_in_address_audited_and_unique(admin_user, make_user, login):
    from allauth.account.models import EmailAddress

    person = make_user(email="old.address@example.eu", organisation="nl")
    make_user(email="taken@example.eu")
    client = login(admin_user)
    form = {
        "save_user": "1", "email": "New.Address@Example.eu", "first_name": "Ada", "last_name": "Lind",
        "job_title": "", "organisation": person.organisation_id, "preferred_language": "en",
        "is_active": "on",
    }  # fmt: skip
    saved = client.post(reverse("accounts:user_detail", args=[person.pk]), form)
    assert saved.status_code == 302
    person.refresh_from_db()
    assert person.email == "new.address@example.eu"
    assert list(EmailAddress.objects.filter(user=person).values_list("email", "primary", "verified")) == [
        ("new.address@example.eu", True, True)
    ]
    event = AuditEvent.objects.filter(action="record.updated", object_id=str(person.pk)).latest("pk")
    assert event.actor_id == admin_user.pk
    assert event.details["changes"]["email"] == ["old.address@example.eu", "new.address@example.eu"]

    for address in ("TAKEN@example.eu", "not an address"):
        refused = client.post(reverse("accounts:user_detail", args=[person.pk]), {**form, "email": address})
        assert refused.status_code == 422 and "email" in refused.context["edit_form"].errors
    person.refresh_from_db()
    assert person.email == "new.address@example.eu"
