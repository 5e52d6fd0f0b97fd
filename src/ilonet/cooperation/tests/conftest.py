from datetime import timedelta

import pytest
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.cooperation.services import flights, places


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def officer(make_user):
    """officer("nl") -> a return officer of that member state (role scoped to it)."""

    def make(state: str):
        return make_user(Role.RETURN_OFFICER, organisation=state, scope=state)

    return make


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.RETURN_COORDINATOR, organisation="com")


def make_offer(actor, **overrides):
    values = {
        "member_state": "NL",
        "programme": "REAN",
        "third_countries": ["MA", "GE"],
        "places": 10,
        "period_start": days(0),
        "period_end": days(180),
        "package": "Ticket, reintegration budget.",
        "conditions": "",
        "request_deadline": days(30),
    }
    values.update(overrides)
    return places.publish_offer(actor=actor, **values)


def make_flight(actor, **overrides):
    values = {
        "organiser": "NL",
        "third_country": "GE",
        "departure_on": days(20),
        "seats": 5,
        "request_deadline": days(10),
        "frontex_coordinated": True,
    }
    values.update(overrides)
    return flights.announce_flight(actor=actor, **values)
