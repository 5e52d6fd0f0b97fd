"""Demo accounts: one login per role (with a known TOTP secret), every steering board member
and alternate with a known TOTP secret too (so a visitor can take a vote to its result), a
believable network of about 150 liaison officers across about 60 third countries, and one
officer who has not set up the account yet, with an invitation link to try. Deterministic
(fixed seed; the invitation link is derived from the installation's secret key)."""

import base64
import hashlib
import random
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.directory.models import Organisation, OrganisationKind
from ilonet.directory.selectors import participating_member_states, schengen_associated_countries

from . import emails
from .models import Invitation, InvitationStatus, RoleAssignment, User
from .roles import BOARD_ROLES, Role

DEMO_PASSWORD = "ilonet-demo-2026"
DEMO_DOMAIN = "demo.ilonet.eu"
SEED = 20191240
# The officer who has an account but has not set it up: the invitation of the demo is theirs.
INVITEE_EMAIL = f"noor.elamrani@{DEMO_DOMAIN}"
# The one login per role of the brief's table (their e-mail local parts), in the order printed.
NAMED_LOGINS = (
    "admin", "chair", "secretariat", "board.nl", "alternate.nl", "board.no", "ilo", "deploying",
    "facilitator", "observer", "ep", "return.nl", "return.be", "coordinator", "dpo",
)  # fmt: skip

FIRST_NAMES = (
    "Anna", "Pieter", "Sofia", "Lukas", "Marie", "Jan", "Elena", "Matteo", "Eva", "Tomás",
    "Inês", "Mikkel", "Laura", "Andrei", "Katarzyna", "Nikos", "Hanna", "Luca", "Clara",
    "Jonas", "Maja", "Filip", "Ana", "Oskar", "Léa", "Dimitar", "Zofia", "Aino", "Marek",
    "Irene", "Bram", "Ieva", "Kristjan", "Chiara", "Paulo", "Sanne", "Ricardo", "Lina",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "Müller", "Rossi", "García", "Dubois", "Novak", "Kowalski", "Papadopoulos",
    "Jansen", "Silva", "Nielsen", "Horvat", "Popescu", "Virtanen", "Schmidt", "Bianchi",
    "Martin", "Ivanova", "Berg", "Costa", "Kovács", "Lindqvist", "Murphy", "Peeters",
    "Fischer", "Moreau", "Ferreira", "Tamm", "Kazlauskas", "Ozols", "Borg", "Schembri",
)  # fmt: skip
# Third countries where the network has liaison officers (ISO 3166-1 alpha-2).
DEPLOYMENT_COUNTRIES = (
    "MA", "DZ", "TN", "LY", "EG", "NE", "NG", "SN", "ML", "GH", "CI", "GN", "GM", "SD", "ET",
    "ER", "SO", "KE", "CD", "CM", "TR", "LB", "JO", "IQ", "IR", "SY", "AF", "PK", "BD", "IN",
    "LK", "CN", "VN", "TH", "PH", "ID", "MY", "RU", "UA", "MD", "GE", "AM", "AZ", "BY", "RS",
    "AL", "MK", "BA", "ME", "KG", "AE", "QA", "SA", "US", "CA", "BR", "CO", "VE", "MX", "DO",
)  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    totp_secret: str


def demo_totp_secret(email: str) -> str:
    """A fixed base32 TOTP secret per demo account, so the README can explain the login."""
    digest = hashlib.sha256(f"ilonet-demo:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower().replace(" ", "") if ch.isalnum())


def _with_second_factor(user: User) -> str:
    secret = demo_totp_secret(user.email)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)
    return secret


def seed_accounts(authorities: list[Organisation]) -> list[DemoLogin]:
    """Create the demo accounts once; returns the per-role demo logins."""
    rng = random.Random(SEED)  # noqa: S311  (deterministic demo data, not security)
    password_hash = make_password(DEMO_PASSWORD)  # hash once: argon2 is slow on purpose
    org = {o.code: o for o in Organisation.objects.filter(
        kind__in=[OrganisationKind.EU_INSTITUTION, OrganisationKind.EU_AGENCY])}  # fmt: skip
    third = {o.country.code: o for o in Organisation.objects.filter(
        kind=OrganisationKind.THIRD_COUNTRY)}  # fmt: skip
    states = list(participating_member_states())
    by_state = {a.parent_id: a for a in authorities}
    nl = next(s for s in states if s.code == "nl")
    be = next(s for s in states if s.code == "be")
    nl_auth, iom = by_state[nl.pk], Organisation.objects.get(code="iom")
    norway = next(s for s in schengen_associated_countries() if s.code == "no")
    today = timezone.localdate()
    start = today.replace(year=today.year - 1)

    users: list[User] = []
    grants: list[tuple[User, str, Organisation | None]] = []

    def add(email, first, last, organisation, title, role, scope=None) -> User:
        user = User(email=email, first_name=first, last_name=last, organisation=organisation,
                    job_title=title, password=password_hash)  # fmt: skip
        users.append(user)
        grants.append((user, role, scope))
        return user

    # One demo login per role of the brief's table.
    named = [
        ("admin", "Ada", "Admin", org["com"], "Platform administrator", Role.PLATFORM_ADMIN, None),
        ("chair", "Camille", "Laurent", org["com"], "Head of unit, DG HOME", Role.CHAIR, org["com"]),
        ("secretariat", "Sven", "Olsen", org["com"], "Policy officer", Role.SECRETARIAT, None),
        ("board.nl", "Pieter", "Jansen", by_state[nl.pk], "Board member", Role.BOARD_MEMBER, nl),
        ("alternate.nl", "Sanne", "de Vries", by_state[nl.pk], "Alternate", Role.BOARD_ALTERNATE, nl),
        ("board.no", "Ingrid", "Haugen", norway, "Board member", Role.NON_VOTING_MEMBER, norway),
        ("ilo", "Bram", "Peeters", by_state[nl.pk], "Immigration liaison officer", Role.ILO, third["MA"]),
        ("deploying", "Marieke", "Bakker", nl_auth, "ILO desk", Role.DEPLOYING_AUTHORITY, nl_auth),
        ("facilitator", "Elena", "Rossi", org["com"], "Migration liaison officer", Role.FACILITATOR, None),
        ("observer", "Amira", "Haddad", iom, "Observer", Role.OBSERVER, None),
        ("ep", "Lucas", "Martin", org["ep"], "LIBE committee staff", Role.EP_READER, None),
        ("return.nl", "Johan", "Visser", by_state[nl.pk], "Return officer", Role.RETURN_OFFICER, nl),
        ("return.be", "Lotte", "Peeters", by_state[be.pk], "Return officer", Role.RETURN_OFFICER, be),
        ("coordinator", "Mira", "Novak", org["com"], "EU return coordinator", Role.RETURN_COORDINATOR, None),
        ("dpo", "Dana", "Kuipers", nl_auth, "Data protection officer", Role.DATA_PROTECTION_OFFICER, None),
    ]  # fmt: skip
    named_emails = []
    for local, first, last, organisation, title, role, scope in named:
        email = f"{local}@{DEMO_DOMAIN}"
        named_emails.append((email, role))
        add(email, first, last, organisation, title, role, scope)

    # The steering board: a member and an alternate per participating state (Art. 7(2)),
    # two Commission representatives, one each for Frontex, Europol, EUAA, and a non-voting
    # member per Schengen-associated country (Art. 7(3)).
    for state in states:
        if state.code == "nl":
            continue
        for role in (Role.BOARD_MEMBER, Role.BOARD_ALTERNATE):
            first, last = _person(rng)
            add(f"{_slug(role)}.{state.code}@{DEMO_DOMAIN}", first, last, by_state[state.pk],
                str(role.label), role, state)  # fmt: skip
    for code, count in (("com", 1), ("frontex", 1), ("europol", 1), ("euaa", 1)):
        for n in range(count):
            first, last = _person(rng)
            add(f"board.{code}{n or ''}@{DEMO_DOMAIN}", first, last, org[code],
                "Board member", Role.BOARD_MEMBER, org[code])  # fmt: skip
    for state in schengen_associated_countries():
        if state.code != "no":
            first, last = _person(rng)
            add(f"board.{state.code}@{DEMO_DOMAIN}", first, last, state,
                "Board member", Role.NON_VOTING_MEMBER, state)  # fmt: skip

    # A Dutch officer not yet deployed, without a password: the demo's invitation
    # (``demo_invitation``) lets a visitor set the account up.
    add(INVITEE_EMAIL, "Noor", "El Amrani", nl_auth, "Immigration liaison officer", Role.ILO)

    # About 150 liaison officers across the deployment countries.
    deployers = authorities + [org["com"], org["frontex"], org["europol"], org["euaa"]]
    for n in range(150):
        country = DEPLOYMENT_COUNTRIES[n % len(DEPLOYMENT_COUNTRIES)]
        authority = deployers[rng.randrange(len(deployers))]
        first, last = _person(rng)
        add(f"{_slug(first)}.{_slug(last)}.{n:03d}@{DEMO_DOMAIN}", first, last, authority,
            "Immigration liaison officer", Role.ILO, third[country])  # fmt: skip

    User.objects.bulk_create(users, batch_size=500)
    saved = {u.email: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in saved.values()],
        batch_size=500,
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=saved[u.email], role=role, organisation=scope, valid_from=start)
            for u, role, scope in grants
        ],  # fmt: skip
        batch_size=500,
    )
    invitee = saved[INVITEE_EMAIL]
    invitee.set_unusable_password()
    invitee.save(update_fields=["password"])
    logins = [
        DemoLogin(email, str(Role(role).label), _with_second_factor(saved[email]))
        for email, role in named_emails
    ]
    # Every member and alternate of the board gets a known second factor: enough seats to reach
    # the majority of Art. 7(8) can vote in the demo.
    for user, role, _scope in grants:
        if role in BOARD_ROLES:
            _with_second_factor(saved[user.email])
    return logins


def demo_logins() -> list[DemoLogin]:
    """The per-role demo logins of an already seeded database."""
    users = (
        User.objects.filter(email__in=[f"{local}@{DEMO_DOMAIN}" for local in NAMED_LOGINS])
        .order_by("pk")
        .prefetch_related("role_assignments")
    )
    return [
        DemoLogin(u.email, u.role_assignments.all()[0].get_role_display(),
                  demo_totp_secret(u.email))
        for u in users
    ]  # fmt: skip


@dataclass(frozen=True)
class DemoInvitation:
    email: str
    name: str
    link: str | None  # None once the invitation is accepted


def _demo_secret(invitation_number: int) -> str:
    """The demo invitation's link secret: derived from the installation's secret key, so the
    same link is printed at every ``make run`` until it is used or expires."""
    digest = salted_hmac(
        "ilonet.demo.invitation", f"{INVITEE_EMAIL}:{invitation_number}", secret=settings.SECRET_KEY,
        algorithm="sha256",
    ).digest()  # fmt: skip
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def demo_invitation() -> DemoInvitation | None:
    """The invitation link of the demo officer who has not set up the account, made (or made
    again, once expired or revoked) without sending mail. None before the demo is seeded."""
    invitee = User.objects.filter(email=INVITEE_EMAIL).first()
    if invitee is None:
        return None
    name = invitee.get_full_name()
    if invitee.has_usable_password():
        return DemoInvitation(invitee.email, name, None)
    number = Invitation.objects.filter(user=invitee).count()
    latest = Invitation.objects.filter(user=invitee).first()
    if latest is not None and latest.status() == InvitationStatus.PENDING:
        secret = _demo_secret(number)
        if latest.digest == Invitation.digest_of(secret):
            return DemoInvitation(invitee.email, name, emails.invitation_link(secret))
        latest.revoked_at = timezone.now()  # a link from elsewhere (mailed): replaced
        latest.save(update_fields=["revoked_at"])
    admin = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=invitee, invited_by=admin, language=invitee.preferred_language, created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )  # fmt: skip
    secret = _demo_secret(number + 1)
    emails.set_secret(invitation, secret, now=now)
    audit.record_change(
        actor=admin, action=AuditAction.ACCOUNT_INVITATION_SENT, obj=invitee,
        changes={"invitation": invitation.pk, "expires_at": invitation.expires_at, "demo": True},
    )  # fmt: skip
    return DemoInvitation(invitee.email, name, emails.invitation_link(secret))
