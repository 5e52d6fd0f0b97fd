"""The producers of return cooperation's notifications, run for the test that nobody is told
what they may not open (ilonet/notifications/tests/test_recipient_filter.py)."""

from ilonet.accounts.roles import Role
from ilonet.cooperation.services import flights, places

from .conftest import days, make_flight, make_offer


def _officers(make_user):
    return (
        make_user(Role.RETURN_OFFICER, organisation="nl", scope="nl"),
        make_user(Role.RETURN_OFFICER, organisation="de", scope="de"),
    )


def offer(make_user):
    nl, _de = _officers(make_user)
    return make_offer(nl)


def flight(make_user):
    nl, _de = _officers(make_user)
    return make_flight(nl)


def answered(make_user, accept: bool):
    nl, de = _officers(make_user)
    request = places.request_places(
        actor=de, offer=make_offer(nl), member_state="DE", third_country="MA", places=1
    )
    return places.answer_request(actor=nl, request=request, accept=accept)


def allocated(make_user):
    nl, de = _officers(make_user)
    request = flights.request_seats(actor=de, flight=make_flight(nl), member_state="DE", seats=2)
    return flights.allocate_seats(actor=nl, request=request, seats=1)


def released(make_user):
    nl, de = _officers(make_user)
    taken = flights.take_seats(actor=de, flight=make_flight(nl), member_state="DE", seats=2)
    return flights.release_seats(actor=de, request=taken, seats=1)


def deadline(make_user):
    nl, de = _officers(make_user)
    flights.request_seats(
        actor=de, flight=make_flight(nl, request_deadline=days(2)), member_state="DE", seats=1
    )
    return flights.notify_deadlines()
