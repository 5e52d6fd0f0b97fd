"""Getting in (issue 8): an invitation is a single-use, expiring link by e-mail to set a password
and then a second factor. Only a digest of its secret is stored; a new invitation voids the old
one; a revoked, used, expired or unknown link opens one page that names no account; every step
is audited."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ilonet.accounts import emails, services, throttle
from ilonet.accounts.models import Invitation, InvitationStatus, User
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.directory.models import Organisation
from ilonet.shared.testing import totp_code

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture
def invite(admin_user, django_capture_on_commit_callbacks):
    """invite(email=..., language="en", now=None) -> (user, secret): an administrator invites
    someone; the mail goes out on commit, and the secret is read from it."""

    def send(email="new.officer@example.eu", *, language="en", now=None, actor=None, organisation="nl"):
        with django_capture_on_commit_callbacks(execute=True):
            user = services.invite_user(
                actor=actor or admin_user,
                email=email,
                organisation=Organisation.objects.get(code=organisation),
                first_name="Noor",
                last_name="El Amrani",
                preferred_language=language,
                now=now,
            )
        return user, secret_in(mail.outbox[-1])

    return send


def secret_in(message) -> str:
    return re.search(r"/accounts/invitation/([A-Za-z0-9_-]+)/", message.body).group(1)


def open_link(client, secret):
    return client.get(reverse("accounts:invitation_open", args=[secret]), follow=True)


def set_password(client, secret, password=GOOD_PASSWORD):
    open_link(client, secret)
    return client.post(
        reverse("accounts:invitation_accept"), {"new_password1": password, "new_password2": password}
    )


def _actions(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(user.pk)).order_by("seq").values_list("action", flat=True)
    )


# --- the link -----------------------------------------------------------------------------------


def test_only_a_digest_of_the_links_secret_is_stored(invite):
    user, secret = invite()
    invitation = Invitation.objects.get(user=user)
    assert invitation.digest == Invitation.digest_of(secret) != secret
    assert len(secret) >= 43  # 256 bits
    assert not Invitation.objects.filter(digest=secret).exists()
    assert invitation.sent_at is not None and not user.has_usable_password()


def test_the_link_works_once(invite):
    user, secret = invite()
    response = set_password(Client(), secret)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    assert Invitation.objects.get(user=user).status() == InvitationStatus.ACCEPTED
    again = open_link(Client(), secret)
    assert again.templates[0].name == "accounts/invitation_invalid.html"
    assert again.context["status"] == InvitationStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.accept_invitation(secret=secret, password="another long passphrase 8")


def test_the_secret_leaves_the_address_bar_before_the_password_page(invite):
    _user, secret = invite()
    client = Client()
    response = client.get(reverse("accounts:invitation_open", args=[secret]))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:invitation_accept")
    page = client.get(response["Location"])
    assert page.status_code == 200 and secret not in page.content.decode()


def test_an_invitation_expires_after_the_configured_days(invite, settings):
    settings.INVITATION_DAYS = 7
    start = timezone.now() - timedelta(days=30)
    user, secret = invite(now=start)
    invitation = Invitation.objects.get(user=user)
    assert invitation.expires_at == start + timedelta(days=7)
    assert invitation.status(now=start + timedelta(days=7, seconds=-1)) == InvitationStatus.PENDING
    assert invitation.status(now=start + timedelta(days=7)) == InvitationStatus.EXPIRED
    with pytest.raises(ValidationError):
        services.accept_invitation(secret=secret, password=GOOD_PASSWORD, now=start + timedelta(days=8))
    response = open_link(Client(), secret)  # today: long expired
    assert response.context["status"] == InvitationStatus.EXPIRED
    assert "expired" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_revoked_invitation_opens_nothing(invite, admin_user):
    user, secret = invite()
    services.revoke_invitation(actor=admin_user, invitation=Invitation.objects.get(user=user))
    assert open_link(Client(), secret).context["status"] == InvitationStatus.REVOKED
    with pytest.raises(ValidationError):
        services.revoke_invitation(actor=admin_user, invitation=Invitation.objects.get(user=user))


def test_a_new_invitation_voids_the_earlier_link(invite, admin_user, django_capture_on_commit_callbacks):
    user, old_secret = invite()
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invitation(actor=admin_user, user=user)
    new_secret = secret_in(mail.outbox[-1])
    assert new_secret != old_secret
    assert open_link(Client(), old_secret).context["status"] == InvitationStatus.REVOKED
    assert set_password(Client(), new_secret).status_code == 302


def test_an_account_already_set_up_gets_no_invitation(invite, admin_user):
    user, secret = invite()
    set_password(Client(), secret)
    with pytest.raises(ValidationError, match="already set up"):
        services.resend_invitation(actor=admin_user, user=user)


def test_unknown_expired_and_used_links_show_one_page_naming_no_account(invite):
    user, used = invite("first@example.eu")
    set_password(Client(), used)
    expired_user, expired = invite("second@example.eu", now=timezone.now() - timedelta(days=30))
    for secret in (used, expired, "A" * 43, "not-a-secret", "x" * 500):
        response = open_link(Client(), secret)
        body = response.content.decode()
        assert response.status_code == 200
        assert response.templates[0].name == "accounts/invitation_invalid.html"
        for someone in (user, expired_user):
            assert someone.email not in body and someone.last_name not in body


def test_the_password_must_follow_the_password_rules(invite):
    user, secret = invite()
    client = Client()
    for weak in ("short", "123456789012345", "password12345", "noor el amrani"):
        response = set_password(client, secret, weak)
        assert response.status_code == 422, weak
    with pytest.raises(ValidationError):
        services.accept_invitation(secret=secret, password="short")
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert Invitation.objects.get(user=user).status() == InvitationStatus.PENDING


def test_the_second_factor_comes_before_anything_else(invite):
    user, secret = invite()
    client = Client()
    set_password(client, secret)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/accounts/me").status_code == 403
    page = client.get(reverse("mfa_activate_totp"))  # no second password prompt
    assert page.status_code == 200
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(page.context["form"].secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200


def test_a_signed_in_user_cannot_accept_someone_elses_invitation(invite, make_user, login):
    _user, secret = invite()
    client = login(make_user(Role.ILO))
    response = open_link(client, secret)
    assert response.templates[0].name == "accounts/invitation_signed_in.html"
    assert "new_password1" not in response.content.decode()


def test_guessing_links_is_throttled_per_address(invite, monkeypatch):
    monkeypatch.setattr(throttle, "FAILURE_LIMIT", 3)
    _user, secret = invite()
    client = Client()
    for _ in range(3):
        open_link(client, "B" * 43)
    assert client.get(reverse("accounts:invitation_open", args=[secret])).status_code == 429
    assert (
        Client(REMOTE_ADDR="192.0.2.9").get(reverse("accounts:invitation_open", args=[secret])).status_code
        == 302
    )


# --- the mail -----------------------------------------------------------------------------------


def test_the_mail_is_in_english_with_html_and_plain_text(invite):
    invite(language="en")
    message = mail.outbox[-1]
    assert message.to == ["new.officer@example.eu"]
    assert message.subject == "Your invitation to ILOnet"
    assert "Dear Noor El Amrani" in message.body and "works once and expires on" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Set my password" in html and secret_in(message) in html


def test_the_mail_is_in_dutch_for_a_dutch_invitee(invite):
    invite(language="nl")
    message = mail.outbox[-1]
    assert message.subject == "Uw uitnodiging voor ILOnet"
    assert "Geachte Noor El Amrani" in message.body and "Your invitation" not in message.body
    assert "Mijn wachtwoord instellen" in message.alternatives[0][0]


def test_a_failing_mail_server_leaves_the_invitation_unsent_not_a_500(invite, admin_user, monkeypatch, login):
    def refuse(self, *args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    user = services.invite_user(
        actor=admin_user,
        email="x@example.eu",
        organisation=admin_user.organisation,
        first_name="X",
        last_name="Y",
    )
    invitation = Invitation.objects.get(user=user)
    assert emails.send_invitation_email(invitation.pk) is False
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    page = login(admin_user).get(reverse("accounts:user_detail", args=[user.pk]))
    assert "has not gone out" in page.content.decode()


# --- audit and policy ---------------------------------------------------------------------------


def test_every_step_is_audited(invite, admin_user):
    user, secret = invite()
    services.resend_invitation(actor=admin_user, user=user)
    services.revoke_invitation(
        actor=admin_user, invitation=Invitation.objects.get(user=user, revoked_at=None)
    )
    open_link(Client(), secret)  # voided by the resend
    assert _actions(user) == [
        "record.created",
        "account.invitation_sent",
        "account.invitation_sent",
        "account.invitation_revoked",
        "account.invitation_refused",
    ]
    user2, secret2 = invite("other@example.eu")
    set_password(Client(), secret2)
    accepted = AuditEvent.objects.get(action="account.invitation_accepted")
    assert accepted.actor_id == user2.pk and "new_password1" not in str(accepted.details)
    assert secret2 not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_a_deploying_authority_invites_only_officers_of_its_own_member_state(make_user):
    from ilonet.directory import demo as directory_demo

    directory_demo.ensure_authorities()
    nl_auth, de_auth = Organisation.objects.get(code="nl-auth"), Organisation.objects.get(code="de-auth")
    deploying = make_user(Role.DEPLOYING_AUTHORITY, organisation="nl-auth", scope="nl-auth")
    user = services.invite_user(
        actor=deploying, email="officer@example.nl", organisation=nl_auth, first_name="A", last_name="B"
    )
    assert user.organisation == nl_auth
    with pytest.raises(PermissionDenied):
        services.invite_user(
            actor=deploying, email="officer@example.de", organisation=de_auth, first_name="A", last_name="B"
        )
    denial = AuditEvent.objects.filter(action="permission.denied").latest("seq")
    assert denial.actor_id == deploying.pk and denial.details["permission"] == "accounts.invite_users"
    assert not User.objects.filter(email="officer@example.de").exists()
    german = make_user(None, organisation="de-auth", mfa=False)
    with pytest.raises(PermissionDenied):
        services.resend_invitation(actor=deploying, user=german)
    with pytest.raises(PermissionDenied):
        services.invite_user(
            actor=make_user(Role.ILO),
            email="c@example.nl",
            organisation=nl_auth,
            first_name="A",
            last_name="B",
        )


# --- the administrator's pages ------------------------------------------------------------------


def test_creating_an_account_sends_an_invitation_by_default(
    admin_user, login, django_capture_on_commit_callbacks
):
    client = login(admin_user)
    form = client.get(reverse("accounts:user_create")).context["form"]
    assert form["send_invitation"].value() is True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_create"), {
            "email": "invited@example.eu", "first_name": "In", "last_name": "Vited",
            "organisation": Organisation.objects.get(code="nl").pk, "preferred_language": "nl",
            "send_invitation": "on",
        })  # fmt: skip
    user = User.objects.get(email="invited@example.eu")
    assert response.status_code == 302 and mail.outbox[-1].to == [user.email]
    assert mail.outbox[-1].subject == "Uw uitnodiging voor ILOnet"
    page = client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    assert "Waiting for the invitee" in page and "Revoke the invitation" in page


def test_the_user_page_resends_and_revokes(invite, admin_user, login, django_capture_on_commit_callbacks):
    user, old = invite()
    client = login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:invitation_resend", args=[user.pk])).status_code == 302
    new = secret_in(mail.outbox[-1])
    invitation = Invitation.objects.get(user=user, revoked_at=None)
    client.post(reverse("accounts:invitation_revoke", args=[user.pk, invitation.pk]))
    for secret in (old, new):
        assert open_link(Client(), secret).context["status"] == InvitationStatus.REVOKED
    assert "Revoked" in client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
