"""Demo accounts: one login per role and a believable network of about 150 liaison officers
across about 60 third countries. Deterministic (fixed seed).

Every demo account has a TOTP second factor with a known secret (``demo_totp_secret``), so any
of them can sign in (``make totp EMAIL=...``): the board's members, for instance, to reach a
majority in a vote. The per-role logins printed by ``seed_demo`` also get recovery codes."""

import base64
import hashlib
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from ilonet.directory.models import Organisation, OrganisationKind
from ilonet.directory.selectors import participating_member_states, schengen_associated_countries

from .models import RoleAssignment, User
from .roles import Role

DEMO_PASSWORD = "ilonet-demo-2026"
DEMO_DOMAIN = "demo.ilonet.eu"
SEED = 20191240
# An officer of the Dutch deploying authority without a deployment yet (no country scope).
AWAITING_DEPLOYMENT = f"newofficer@{DEMO_DOMAIN}"

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
        ("coordinator", "Mira", "Novak", org["com"], "EU return coordinator", Role.RETURN_COORDINATOR, None),
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

    # About 150 liaison officers across the deployment countries.
    deployers = authorities + [org["com"], org["frontex"], org["europol"], org["euaa"]]
    for n in range(150):
        country = DEPLOYMENT_COUNTRIES[n % len(DEPLOYMENT_COUNTRIES)]
        authority = deployers[rng.randrange(len(deployers))]
        first, last = _person(rng)
        add(f"{_slug(first)}.{_slug(last)}.{n:03d}@{DEMO_DOMAIN}", first, last, authority,
            "Immigration liaison officer", Role.ILO, third[country])  # fmt: skip

    # A Dutch officer not deployed yet: the demo's next deployment to plan (Art. 4(1)).
    add(AWAITING_DEPLOYMENT, "Noor", "Willems", nl_auth, "Immigration liaison officer", Role.ILO)

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
    logins = [
        DemoLogin(email, str(Role(role).label), _with_second_factor(saved[email]))
        for email, role in named_emails
    ]
    _give_every_other_account_a_second_factor(saved)
    return logins


def _give_every_other_account_a_second_factor(users: dict[str, User]) -> None:
    """A TOTP authenticator with the demo secret for each demo account that has none yet."""
    have = set(
        Authenticator.objects.filter(user__in=users.values(), type=Authenticator.Type.TOTP).values_list(
            "user_id", flat=True
        )
    )
    Authenticator.objects.bulk_create(
        [
            Authenticator(
                user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(demo_totp_secret(email))}
            )
            for email, user in users.items()
            if user.pk not in have
        ],  # fmt: skip
        batch_size=500,
    )


def demo_logins() -> list[DemoLogin]:
    """The per-role demo logins of an already seeded database (those with recovery codes)."""
    users = (
        User.objects.filter(
            email__endswith=f"@{DEMO_DOMAIN}", authenticator__type=Authenticator.Type.RECOVERY_CODES
        )
        .order_by("pk")
        .prefetch_related("role_assignments")
    )
    return [
        DemoLogin(u.email, u.role_assignments.all()[0].get_role_display(),
                  demo_totp_secret(u.email))
        for u in users
    ]  # fmt: skip
