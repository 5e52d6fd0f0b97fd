"""The home page shows each user their own work, by role: the panels the policy opens to them and
no others, each bounded, in a number of queries that does not grow with the data; roles whose
features do not exist yet are told so plainly."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ilonet.accounts import demo as accounts_demo
from ilonet.accounts.roles import Role
from ilonet.board import demo as board_demo
from ilonet.board import selectors as board_selectors
from ilonet.board import services as board
from ilonet.board.models import Capacity, Choice, Procedure
from ilonet.deployments import demo as deployments_demo
from ilonet.directory import demo as directory_demo
from ilonet.networks import demo as networks_demo

pytestmark = pytest.mark.django_db

PANEL = re.compile(r'data-home-panel="(\w+)"')

# Every demo login (accounts/demo.py) and the panels of its home page.
EXPECTED_PANELS = {
    "admin": {"role_grants"},
    "chair": {"votes", "meetings", "notifications", "reminders"},  # the chair holds a Commission seat
    "secretariat": {"meetings", "notifications", "reminders"},
    "board.nl": {"votes", "meetings", "notifications"},
    "alternate.nl": {"votes", "meetings", "notifications"},
    "board.no": {"meetings", "notifications"},  # non-voting (Art. 7(3))
    "ilo": {"notifications", "situation_reports"},
    "deploying": {"authority", "reminders"},
    "facilitator": {"notifications", "situation_reports"},
    "observer": {"meetings"},  # invited meetings only (Art. 7(4))
    "ep": set(),
    # cooperation: requests waiting for the answer of the officer's member state (RS 1)
    "return.nl": {"return_cases", "cooperation"},
    "return.be": {"return_cases", "cooperation"},
    "coordinator": set(),
    "dpo": set(),
}


def _panels(body: str) -> set[str]:
    return set(PANEL.findall(body))


def _section(body: str, panel: str) -> str:
    start = body.index(f'data-home-panel="{panel}"')
    return body[start : body.index("</section>", start)]


def _demo_user(local: str):
    return get_user_model().objects.get(email=f"{local}@{accounts_demo.DEMO_DOMAIN}")


def test_each_demo_role_sees_the_panels_of_its_own_work_and_no_others(client, login):
    accounts_demo.seed_accounts(directory_demo.ensure_authorities())
    deployments_demo.seed_deployments()
    networks_demo.seed_networks()
    board_demo.seed_board()
    logins = {login.email.split("@")[0] for login in accounts_demo.demo_logins()}
    assert logins == set(EXPECTED_PANELS), "a new demo role needs its expected panels here"
    seen, bodies = {}, {}
    for local in sorted(EXPECTED_PANELS):
        client.logout()
        response = login(_demo_user(local)).get("/")
        assert response.status_code == 200
        bodies[local] = response.content.decode()
        seen[local] = _panels(bodies[local])
    assert seen == EXPECTED_PANELS
    # The demo's secret written procedure waits for the Dutch seat, member and alternate alike.
    for local in ("board.nl", "alternate.nl"):
        assert "Appointment of the network coordinator for the Sahel region" in _section(
            bodies[local], "votes"
        )
    # The demo's joint meeting is 60 days ahead; observers were not invited to it.
    assert "European Migration Network" in _section(bodies["board.no"], "meetings")
    assert "No board meeting in the next 60 days." in _section(bodies["observer"], "meetings")
    # Art. 7(9): the Dutch deploying authority has not passed on the adopted work programme.
    assert "Adoption of the work programme" in _section(bodies["deploying"], "reminders")


def _notes(body: str) -> str:
    start = body.index("Available and planned")
    return body[start : body.index("data-home-email-note")]


@pytest.mark.parametrize(
    ("role", "organisation", "planned"),
    [
        (Role.RETURN_COORDINATOR, "com", "Indicators from return case data are planned"),
    ],
)
def test_roles_whose_features_are_planned_are_told_so_without_links(
    make_user, login, role, organisation, planned
):
    body = login(make_user(role, organisation=organisation)).get("/").content.decode()
    notes = _notes(body)
    assert planned in notes and "<strong>Planned:</strong>" in notes
    assert "<a " not in notes  # no link to what does not exist


def test_the_home_page_says_where_e_mail_is_chosen(make_user, login):
    body = login(make_user(Role.ILO, organisation="nl")).get("/").content.decode()
    assert reverse("notifications:preferences") in body and "sends no e-mail" not in body


def test_the_home_page_no_longer_promises_what_does_not_exist(make_user, login):
    body = login(make_user(Role.RETURN_OFFICER)).get("/").content.decode()
    for promise in ("secure exchange of information between liaison officers", "coordination of returns"):
        assert promise not in body


def _chair_with_a_seat(make_user):
    chair = make_user(Role.CHAIR, organisation="com")
    board.sync_composition(actor=chair, on=timezone.localdate())
    seat = board_selectors.seats_on(day=timezone.localdate()).get(organisation__code="com", number=1)
    board.appoint(
        actor=chair, seat=seat, user=chair, capacity=Capacity.MEMBER, valid_from=timezone.localdate()
    )
    return chair


def _written_procedure(chair, title="Motion"):
    motion = board.create_motion(
        actor=chair,
        title=title,
        text="The board decides.",
        procedure=Procedure.WRITTEN,
        closes_at=timezone.now() + timedelta(days=7),
    )
    return board.open_motion(actor=chair, motion=motion)


def test_a_vote_leaves_the_home_page_once_the_seat_has_voted(make_user, login):
    chair = _chair_with_a_seat(make_user)
    motion = _written_procedure(chair, title="Adopt the common approach")
    client = login(chair)
    assert "Adopt the common approach" in _section(client.get("/").content.decode(), "votes")
    board.cast_vote(actor=chair, motion=motion, choice=Choice.FOR)
    votes = _section(client.get("/").content.decode(), "votes")
    assert "Adopt the common approach" not in votes and "No open votes for your seat." in votes


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries.captured_queries)


THIRD_COUNTRIES = (
    "MA",
    "TN",
    "DZ",
    "EG",
    "SN",
    "ML",
    "NE",
    "NG",
    "GH",
    "CI",
    "KE",
    "ET",
    "SD",
    "SO",
    "TR",
    "JO",
    "LB",
    "IQ",
    "PK",
    "AF",
    "BD",
    "IN",
    "LK",
    "VN",
    "TH",
    "PH",
    "CN",
    "UA",
    "GE",
    "AM",
)


def test_the_chairs_home_page_reads_as_many_queries_for_thirty_rows_as_for_three(make_user, login):
    from ilonet.networks import services as networks

    chair = _chair_with_a_seat(make_user)
    client = login(chair)

    def add(start: int, stop: int) -> None:
        for n in range(start, stop):
            _written_procedure(chair, title=f"Motion {n}")
            begin = timezone.now() + timedelta(days=1 + n)
            board.create_meeting(
                actor=chair,
                title=f"Meeting {n}",
                starts_at=begin,
                ends_at=begin + timedelta(hours=3),
                location="Brussels",
            )
            networks.create_network(
                actor=chair, name=f"Network {n}", kind="local", countries=[THIRD_COUNTRIES[n]]
            )

    add(0, 3)
    few = _queries(client)
    add(3, 30)
    body = client.get("/").content.decode()
    assert _queries(client) == few
    assert body.count("Motion ") == 5 and "See all open votes" in body  # bounded, with the full list
    assert "See all coming meetings" in body


def test_the_deploying_authoritys_home_page_reads_as_many_queries_for_thirty_rows_as_for_three(
    make_user, login
):
    from ilonet.board.models import DecisionDispatch, Motion
    from ilonet.deployments.tests.helpers import days, deploy, desk, officer
    from ilonet.directory.models import Organisation

    directory_demo.ensure_authorities()
    actor = desk(make_user)
    authority = Organisation.objects.get(code="nl-auth")
    client = login(actor)

    def add(start: int, stop: int) -> None:
        for n in range(start, stop):
            deploy(actor, officer(make_user, mfa=False), end=days(10 + n))
            deploy(actor, officer(make_user, mfa=False), status="planned", start=days(-1 - n), end=days(700))
            deploy(actor, officer(make_user, mfa=False), start=days(-400), end=days(-1 - n))
            decision = Motion.objects.create(
                title=f"Decision {n}",
                text="Text.",
                procedure=Procedure.WRITTEN,
                closes_at=timezone.now(),
                status="closed",
                outcome="adopted",
            )
            DecisionDispatch.objects.create(motion=decision, authority=authority)

    add(0, 3)
    few = _queries(client)
    add(3, 30)
    assert _queries(client) == few
    body = client.get("/").content.decode()
    assert body.count("See all in the registry") == 3 and "See all decisions to pass on" in body


def test_the_administrators_home_page_reads_as_many_queries_for_thirty_grants_as_for_three(make_user, login):
    from ilonet.accounts.models import RoleAssignment, RoleStatus

    admin = make_user(Role.PLATFORM_ADMIN, organisation="com")
    client = login(admin)

    def add(count: int) -> None:
        for _n in range(count):
            RoleAssignment.objects.create(
                user=make_user(mfa=False), role=Role.ILO, status=RoleStatus.PENDING, granted_by=admin
            )

    add(3)
    few = _queries(client)
    add(27)
    assert _queries(client) == few
    assert "See all role grants waiting for confirmation" in client.get("/").content.decode()


def test_the_home_page_speaks_dutch(make_user, login):
    chair = _chair_with_a_seat(make_user)
    client = login(chair)
    client.cookies["django_language"] = "nl"
    body = client.get("/").content.decode()
    assert 'lang="nl"' in body
    assert "Geen openstaande stemmingen voor uw zetel." in body
    assert "Vergaderingen van de stuurgroep in de komende 60 dagen" in body


def test_what_reached_the_board_is_counted_up_to_a_bound_then_said_to_be_more(client, login, monkeypatch):
    """The notifications panel counts at most RECEIVED_CAP rows of each kind (issue 9: no page
    counts a growing table whole); beyond it, it says "more than"."""
    from ilonet.site import home

    accounts_demo.seed_accounts(directory_demo.ensure_authorities())
    deployments_demo.seed_deployments()
    networks_demo.seed_networks()
    board_demo.seed_board()
    monkeypatch.setattr(home, "RECEIVED_CAP", 1)
    section = _section(login(_demo_user("secretariat")).get("/").content.decode(), "notifications")
    assert "More than 1 notifications of deployments and plans (Art. 4(1))" in section
