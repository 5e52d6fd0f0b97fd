"""The demo prints every login a scenario needs (issue 8): one per role, one per voting seat of
the steering board, enough to take the open vote to the absolute majority of Art. 7(8), each
with a second factor that works, and an invitation link for an officer not yet enrolled. The
output is the same at every run."""

import io
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ilonet.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, INVITEE_EMAIL
from ilonet.accounts.models import User
from ilonet.board import counting, selectors
from ilonet.board.models import Choice, Motion
from ilonet.shared.testing import totp_code

pytestmark = pytest.mark.django_db

LOGIN = re.compile(rf"^\s+(\*?)\s*.*?\s(\S+@{re.escape(DEMO_DOMAIN)})\s+([A-Z2-7]{{32}})$")


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--allow-production", stdout=out)
    return out.getvalue()


def _board_section(output: str) -> list[tuple[bool, str, str]]:
    section = output.split("Steering board:", 1)[1].split("Try an invitation", 1)[0]
    return [(m.group(1) == "*", m.group(2), m.group(3)) for m in map(LOGIN.match, section.splitlines()) if m]


def _second_factor_works(email: str, secret: str) -> bool:
    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    return TOTP(authenticator).validate_code(totp_code(secret))


def test_the_demo_prints_enough_board_logins_for_a_majority_and_an_invitation_link_every_run():
    output = _seed()
    today = timezone.localdate()
    voting = selectors.voting_members_on(day=today)
    needed = counting.absolute_majority(voting)
    assert f"Steering board: {voting} voting members; a decision needs {needed} votes in favour" in output

    # Enough voting seats that have not voted on the open vote, each with a working second factor.
    motion = Motion.objects.get(status="open")
    voted_seats = set(motion.participations.values_list("seat_id", flat=True))
    votes_for = motion.participations.filter(choice=Choice.FOR).count()
    not_yet_voted = {email: secret for voted, email, secret in _board_section(output) if not voted}
    chair = User.objects.get(email=f"chair@{DEMO_DOMAIN}")
    seats = {m.seat_id for m in selectors.member_list(user=chair)
             if m.user.email in not_yet_voted and m.seat.voting and m.seat_id not in voted_seats}  # fmt: skip
    assert len(seats) == len(not_yet_voted)  # one login per such seat
    assert votes_for + len(seats) >= motion.threshold == needed
    for email, secret in not_yet_voted.items():
        assert _second_factor_works(email, secret), email
    response = Client().post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")

    # A ready invitation link for an officer who has not set up the account.
    link = re.search(r"http://\S+/accounts/invitation/([A-Za-z0-9_-]+)/", output)
    assert link and INVITEE_EMAIL in output
    assert not User.objects.get(email=INVITEE_EMAIL).has_usable_password()
    response = Client().get(reverse("accounts:invitation_open", args=[link.group(1)]))
    assert response["Location"] == reverse("accounts:invitation_accept")

    # Deterministic: the same logins and link at the next run.
    again = _seed()
    assert again.replace("Demo data already present.", "Demo data loaded.") == output
