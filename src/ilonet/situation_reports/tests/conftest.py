from datetime import date, timedelta

import pytest
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.deployments.tests.helpers import days, deploy, desk, officer
from ilonet.directory import demo as directory_demo
from ilonet.networks import services as network_services
from ilonet.situation_reports import services


@pytest.fixture(autouse=True)
def authorities(db):
    return directory_demo.ensure_authorities()


def last_quarter() -> tuple[date, date]:
    today = timezone.localdate()
    start_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = start_this - timedelta(days=1)
    return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


SECTIONS = {
    "b": {"text": "Departures rose, mostly young men.", "vulnerable_persons": "More minors.", "gender": ""},
    "f": {"text": "Forged residence permits at check-in.", "vulnerable_persons": "", "gender": ""},
}


@pytest.fixture
def world(make_user):
    """A local network in Morocco with two members, an officer in Tunisia (another network),
    and one person per reading role."""
    secretariat = make_user(Role.SECRETARIAT, organisation="com")
    morocco = network_services.create_network(
        actor=secretariat, name="Morocco", kind="local", countries=["MA"]
    )
    tunisia = network_services.create_network(
        actor=secretariat, name="Tunisia", kind="local", countries=["TN"]
    )
    actor = desk(make_user)
    member = officer(make_user, first_name="Mirela", last_name="Zwanenburg")
    deploy(actor, member, country="MA", start=days(-400))
    colleague = officer(make_user, first_name="Tamsin", last_name="Oyelaran")
    deploy(actor, colleague, country="MA", start=days(-300))
    outsider = officer(make_user, first_name="Quentin", last_name="Fauvelle", authority="fr-auth")
    deploy(desk(make_user, "fr-auth"), outsider, country="TN", start=days(-300), authority="fr-auth")
    return {
        "morocco": morocco,
        "tunisia": tunisia,
        "member": member,
        "colleague": colleague,
        "outsider": outsider,
        "desk": actor,
        "fr_desk": desk(make_user, "fr-auth"),
        "secretariat": secretariat,
        "chair": make_user(Role.CHAIR, organisation="com"),
        "board": make_user(Role.BOARD_MEMBER, scope="nl"),
        "ep": make_user(Role.EP_READER, organisation="ep"),
        "observer": make_user(Role.OBSERVER, organisation="iom"),
        "coordinator": make_user(Role.RETURN_COORDINATOR, organisation="com"),
        "admin": make_user(Role.PLATFORM_ADMIN, organisation="com"),
    }


@pytest.fixture
def write():
    def make(author, *, network=None, period=None, sections=None, submit=False, summary="Stable."):
        start, end = period or last_quarter()
        report = services.create_report(
            actor=author,
            subject="network" if network else "officer",
            network=network,
            period_start=start,
            period_end=end,
            summary=summary,
            sections=SECTIONS if sections is None else sections,
        )
        return services.submit_report(actor=author, report=report) if submit else report

    return make
